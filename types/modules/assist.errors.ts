/** Error codes owned by the assist module (merged into the one catalogue in types/errors.ts). */
export const ASSIST_ERRORS = {
  ASSIST_CAMPAIGN_NOT_FOUND: '该商品暂无助力活动',
  ASSIST_CAMPAIGN_INVALID: '助力活动设置不正确',
  ASSIST_TASK_NOT_FOUND: '助力任务不存在',
  /** The task is not open any more: its time ran out (or it was closed). */
  ASSIST_TASK_EXPIRED: '助力任务已结束',
  /** A late friend: the task already reached its target. */
  ASSIST_TASK_DONE: '好友的助力已完成，你也可以发起自己的助力',
  ASSIST_SELF_HELP: '不能为自己的任务助力，快分享给好友吧',
  ASSIST_ALREADY_HELPED: '你已经为该任务助力过了',
  ASSIST_DAILY_CAP: '今日助力次数已用完，明天再来吧',
  ASSIST_NEW_USERS_ONLY: '本活动仅限新用户助力',
  ASSIST_VOUCHER_NOT_OWNER: '只有发起人可以使用助力价',
  ASSIST_VOUCHER_NOT_READY: '助力尚未完成，暂不能以助力价购买',
  ASSIST_VOUCHER_USED: '助力价已使用',
  ASSIST_VOUCHER_EXPIRED: '助力价已过期',
  ASSIST_VOUCHER_WRONG_PRODUCT: '助力价不适用于该商品',
} as const;
