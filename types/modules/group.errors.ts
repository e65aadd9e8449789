/** Error codes owned by the group-buy (拼团) module (merged into the one catalogue in types/errors.ts). */
export const GROUP_ERRORS = {
  GROUP_OFFER_NOT_FOUND: '该商品暂无拼团活动',
  GROUP_OFFER_INVALID: '拼团活动设置不正确',
  GROUP_NOT_FOUND: '拼团不存在',
  /** Every seat is taken (paid or held by an unpaid order). */
  GROUP_FULL: '这个团已经满员了，可以发起自己的拼团',
  /** The group is no longer open: succeeded, failed, or its time ran out. */
  GROUP_CLOSED: '这个团已经结束了，可以发起自己的拼团',
  /** The leader's payment has not arrived yet, so friends cannot join. */
  GROUP_NOT_OPEN: '团长尚未完成支付，暂时不能参团',
  GROUP_ALREADY_MEMBER: '你已经在这个团里了',
  GROUP_NEW_USERS_ONLY: '本拼团仅限新用户参团（未在本店下过单）',
  GROUP_OPEN_LIMIT: '你发起的拼团数量已达上限，请等待已有拼团结束',
  /** A group order buys exactly one unit of the offer's product, on its own. */
  GROUP_ORDER_INVALID: '拼团订单只能购买 1 件该拼团商品',
  /** The merchant may ship a group order only once its group has succeeded. */
  GROUP_NOT_SHIPPABLE: '拼团尚未成团，暂不能发货',
  /** Refunds of a group order wait for its group: a failed group refunds every member automatically. */
  GROUP_REFUND_WAIT: '拼团进行中，未成团将自动全额退款；成团后可申请退款',
} as const;
