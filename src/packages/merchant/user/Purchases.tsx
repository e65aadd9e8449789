/**
 * 用户详情's purchases: the latest 20 orders (number, date, items with spec, amount, status), refunds (amount, status,
 * reason) and saved addresses, the phone masked by the server (138****8000).
 */
import { Text, View } from '@tarojs/components';
import type { MerchantUserOrderRow } from '../../../../types/api';
import { formatFen } from '../../../../types/money';
import { ErrorState, Loading } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import { callFunction } from '../../../services/cloud';
import { timeText } from '../format';
import { ORDER_STATUS_TEXT, REFUND_STATUS_TEXT } from '../statusText';

const itemText = (i: MerchantUserOrderRow['items'][number]) => `${i.title}${i.spec ? `（${i.spec}）` : ''} ×${i.quantity}`;

export default function Purchases({ openid }: { openid: string }) {
  const remote = useRemote(() => callFunction('merchant', 'userPurchases', { openid }), [openid]);
  if (remote.state.status === 'loading') return <View className='card'><Loading /></View>;
  if (remote.state.status === 'error') return <View className='card'><ErrorState message={remote.state.error} onRetry={() => void remote.reload()} /></View>;
  const p = remote.state.data;
  return (
    <View className='user-purchases'>
      <View className='card'>
        <Text className='card__title'>购买记录（最近 {p.orders.length} 笔）</Text>
        {p.orders.length === 0 && <Text className='muted'>还没有下过单</Text>}
        {p.orders.map((o) => (
          <View key={o.id} className='m-row user-order-row'>
            <View className='m-row__main'>
              <Text className='m-row__title user-order-row__no'>订单 {o.orderNo}</Text>
              <Text className='m-row__sub user-order-row__items'>{o.items.map(itemText).join('、')}</Text>
              <Text className='m-row__sub'>{timeText(o.createdAt)} 下单</Text>
            </View>
            <View className='user-order-row__side'>
              <Text className='price user-order-row__amount'>{formatFen(o.payableFen)}</Text>
              <Text className={`m-tag user-order-row__status${o.status === 'refunded' ? ' m-tag--warn' : ''}`}>
                {o.refundStatus && o.status !== 'refunded' ? `${ORDER_STATUS_TEXT[o.status]} · 退款${REFUND_STATUS_TEXT[o.refundStatus]}` : ORDER_STATUS_TEXT[o.status]}
              </Text>
            </View>
          </View>
        ))}
      </View>

      <View className='card'>
        <Text className='card__title'>退款（{p.refunds.length}）</Text>
        {p.refunds.length === 0 && <Text className='muted'>没有退款</Text>}
        {p.refunds.map((r) => (
          <View key={r.orderId} className='m-row user-refund-row'>
            <View className='m-row__main'>
              <Text className='m-row__title'>订单 {r.orderNo}</Text>
              <Text className='m-row__sub'>
                {timeText(r.requestedAt)} 申请 · 原因：{r.reason || '未填写'}
              </Text>
            </View>
            <View className='user-order-row__side'>
              <Text className='price'>{formatFen(r.amountFen)}</Text>
              <Text className={`m-tag user-refund-row__status${r.status === 'refunded' ? ' m-tag--ok' : r.status === 'rejected' ? ' m-tag--warn' : ''}`}>{REFUND_STATUS_TEXT[r.status]}</Text>
            </View>
          </View>
        ))}
      </View>

      <View className='card'>
        <Text className='card__title'>收货地址（{p.addresses.length}）</Text>
        {p.addresses.length === 0 && <Text className='muted'>没有保存的地址</Text>}
        {p.addresses.map((a) => (
          <View key={a.id} className='m-row user-address-row'>
            <View className='m-row__main'>
              <Text className='m-row__title'>
                {a.name} {a.phoneMasked}
                {a.isDefault ? ' · 默认' : ''}
              </Text>
              <Text className='m-row__sub'>
                {a.province}
                {a.city}
                {a.district} {a.detail}
              </Text>
            </View>
          </View>
        ))}
      </View>
    </View>
  );
}
