/** Words for a pre-sale deposit's state, shared by the product page and the merchant's 阶梯预售 page. */
import type { DepositState } from '../../../../types/modules/presale.models';

export const DEPOSIT_STATE_TEXT: Record<DepositState, string> = {
  pending: '定金待支付',
  paid: '已付定金',
  completed: '尾款已付，等待发货',
  forfeited: '未付尾款，定金已按规则扣除',
  refunded: '未付尾款，定金已退还',
  cancelled: '定金未支付，已关闭',
  withdrawn: '定金已退还',
  refused: '付款时预售已结束或规则已变更，定金已原路退还',
};
