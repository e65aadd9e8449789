/** Error codes owned by the tiered pre-sale (阶梯预售) module (merged into the one catalogue in types/errors.ts). */
export const PRESALE_ERRORS = {
  PRESALE_NOT_FOUND: '该商品暂无预售活动',
  PRESALE_INVALID: '预售活动设置不正确',
  /** The merchant may change a pre-sale only until its first deposit is paid. */
  PRESALE_LOCKED: '已有顾客支付定金，预售规则不能再修改',
  PRESALE_NOT_STARTED: '预售尚未开始',
  /** The deposit window is over (the final price is being or has been set). */
  PRESALE_ENDED: '预售已结束，不能再支付或退还定金',
  PRESALE_ALREADY_JOINED: '你已支付过这个预售的定金',
  PRESALE_DEPOSIT_NOT_FOUND: '定金订单不存在',
  /** The balance can be paid only in the balance window, on a paid deposit. */
  PRESALE_BALANCE_CLOSED: '当前不在尾款支付时间内',
  PRESALE_BALANCE_PAID: '尾款已支付',
} as const;
