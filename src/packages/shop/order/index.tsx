/** 订单详情: the server's amounts, status, shipping and refund; pay / cancel / confirm / refund. ?id=…[&pay=1] */
import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useRef } from 'react';
import { formatFen } from '../../../../types/money';
import AppShell from '../../../components/AppShell';
import { ErrorState, Loading } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import { callFunction } from '../../../services/cloud';
import { formatDateTime } from '../../../utils/format';
import { ACTION_TEXT, useOrderActions } from '../components/useOrderActions';
import { ORDER_STATUS_TEXT, REFUND_STATUS_TEXT, orderActions } from '../orderText';
import ProductImage from '../../../components/ProductImage';
import './index.css';
import '../shop.css';
import '../../../styles/forms.css';

export default function OrderPage() {
  const { params } = useRouter();
  const orderId = params.id ?? '';
  const order = useRemote(() => callFunction('shop', 'getOrder', { orderId }), [orderId]);
  const actions = useOrderActions(() => void order.refresh());
  const autoPaid = useRef(false);

  // Straight from checkout: open the pay step once.
  useEffect(() => {
    if (params.pay !== '1' || autoPaid.current || order.state.status !== 'ready') return;
    autoPaid.current = true;
    if (order.state.data.status === 'pending_payment') void actions.run('pay', order.state.data);
  }, [order.state, params.pay, actions]);

  if (order.state.status === 'loading') return <AppShell className='order-page'><Loading /></AppShell>;
  if (order.state.status === 'error') {
    return (
      <AppShell className='order-page'>
        <ErrorState message={order.state.error} onRetry={() => void order.reload()} />
      </AppShell>
    );
  }
  const o = order.state.data;
  const available = orderActions(o);
  const d = o.discounts;

  return (
    <AppShell className='order-page'>
      <View className='order-head'>
        <Text className='order-head__status'>{ORDER_STATUS_TEXT[o.status]}</Text>
        {o.status === 'pending_payment' && <Text className='order-head__hint'>请在 {formatDateTime(o.expiresAt)} 前支付，超时订单自动关闭</Text>}
        {o.status === 'paid' && <Text className='order-head__hint'>商家正在备货</Text>}
        {o.status === 'shipped' && o.shipping && (
          <Text className='order-head__hint order-shipping'>
            {o.shipping.carrier} · 运单号 {o.shipping.trackingNo}
          </Text>
        )}
        {o.status === 'received' && o.refundDeadline && <Text className='order-head__hint'>退款期至 {formatDateTime(o.refundDeadline)}</Text>}
        {o.refundStatus && <Text className='order-head__hint order-refund'>{REFUND_STATUS_TEXT[o.refundStatus]}</Text>}
      </View>

      <View className='card'>
        <Text className='address-name'>
          {o.address.name} {o.address.phone}
        </Text>
        <Text className='muted'>
          {o.address.province}
          {o.address.city}
          {o.address.district} {o.address.detail}
        </Text>
      </View>

      <View className='card order-items'>
        {o.items.map((item) => (
          <View key={item.productId} className='order-item'>
            <ProductImage className='order-item__image' src={item.image} />
            <View className='order-item__body'>
              <Text>{item.title}</Text>
              <View className='row'>
                <Text className='muted'>
                  {formatFen(item.unitPriceFen)} × {item.quantity}
                  {o.assistTaskId ? '（助力价）' : ''}
                </Text>
                <Text>{formatFen(item.subtotalFen)}</Text>
              </View>
            </View>
          </View>
        ))}
        <View className='option-row'>
          <Text>商品金额</Text>
          <Text className='order-items-total'>{formatFen(o.itemsTotalFen)}</Text>
        </View>
        {d.couponFen > 0 && (
          <View className='option-row'>
            <Text>优惠券</Text>
            <Text>-{formatFen(d.couponFen)}</Text>
          </View>
        )}
        {d.walletCashFen > 0 && (
          <View className='option-row'>
            <Text>余额抵扣</Text>
            <Text>-{formatFen(d.walletCashFen)}</Text>
          </View>
        )}
        {d.pointsFen > 0 && (
          <View className='option-row'>
            <Text>积分抵扣（{d.pointsUsed} 积分）</Text>
            <Text>-{formatFen(d.pointsFen)}</Text>
          </View>
        )}
        <View className='option-row'>
          <Text>实付</Text>
          <Text className='price order-payable'>{formatFen(o.payableFen)}</Text>
        </View>
      </View>

      <View className='card order-times'>
        <Text className='muted'>订单编号 {o.id}</Text>
        <Text className='muted'>下单时间 {formatDateTime(o.createdAt)}</Text>
        {o.paidAt && <Text className='muted'>支付时间 {formatDateTime(o.paidAt)}</Text>}
        {o.shippedAt && <Text className='muted'>发货时间 {formatDateTime(o.shippedAt)}</Text>}
        {o.receivedAt && <Text className='muted'>收货时间 {formatDateTime(o.receivedAt)}</Text>}
        {o.refundedAt && <Text className='muted'>退款时间 {formatDateTime(o.refundedAt)}</Text>}
      </View>

      {available.length > 0 && (
        <View className='bottom-bar order-bar'>
          <View />
          <View className='order-actions order-bar__actions'>
            {available.map((a) => (
              <View key={a} className={`${a === 'pay' || a === 'confirm' ? 'primary-button' : 'ghost-button'} order-action order-action--${a}`} onClick={() => void actions.run(a, o)}>
                {actions.busy ? '处理中…' : ACTION_TEXT[a]}
              </View>
            ))}
          </View>
        </View>
      )}
      {actions.sheets}
    </AppShell>
  );
}
