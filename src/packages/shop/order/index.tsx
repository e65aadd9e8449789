/** 订单详情: the server's amounts, status, shipping and refund; pay / cancel / confirm / refund. ?id=…[&pay=1] */
import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import { formatFen } from '../../../../types/money';
import AppShell from '../../../components/AppShell';
import { ErrorState, Loading } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import { callFunction } from '../../../services/cloud';
import { formatDateTime } from '../../../utils/format';
import { ACTION_TEXT, useOrderActions } from '../components/useOrderActions';
import { PAID_STATUSES } from '../components/usePay';
import { ORDER_STATUS_TEXT, REFUND_STATUS_TEXT, orderActions, orderNoText } from '../orderText';
import ProductImage from '../../../components/ProductImage';
import { groupPath } from '../../../services/share';
import './index.css';

/** A 拼团 order's wait, in words: it ships only once the group has succeeded; a failed group refunds it by itself. */
const GROUP_ORDER_TEXT = {
  waiting: '等待成团：成团后商家发货；到期未成团将自动全额退款',
  succeeded: '已成团，商家将尽快发货',
  failed: '拼团未成团，已自动全额退款',
  refused: '付款时拼团已结束，款项已原路退回',
} as const;
import '../shop.css';
import '../../../styles/forms.css';

export default function OrderPage() {
  const { params } = useRouter();
  const orderId = params.id ?? '';
  const order = useRemote(() => callFunction('shop', 'getOrder', { orderId }), [orderId]);
  // Set when this page took the payment: the 支付成功 state with what to do next (?paid=1 when the list took it).
  const [justPaid, setJustPaid] = useState(params.paid === '1');
  const actions = useOrderActions(() => void order.refresh(), { onPaid: () => setJustPaid(true) });
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

  const copy = (text: string, what: string) =>
    void Taro.setClipboardData({ data: text }).then(
      () => Taro.showToast({ title: `${what}已复制`, icon: 'none' }),
      () => undefined,
    );
  // Only a payment the order took: one that came after it closed is refunded, and the page says so below.
  const paidNow = justPaid && PAID_STATUSES.has(o.status);

  return (
    <AppShell className='order-page'>
      {paidNow && (
        <View className='pay-success'>
          <Text className='pay-success__icon'>✓</Text>
          <Text className='pay-success__title'>支付成功</Text>
          <Text className='pay-success__amount'>实付 {formatFen(o.payableFen)}</Text>
          <Text className='pay-success__hint'>订单编号 {orderNoText(o)} · 商家发货后可在订单中查看物流</Text>
          <View className='pay-success__actions'>
            <View className='ghost-button pay-success__order' onClick={() => setJustPaid(false)}>
              查看订单
            </View>
            <View className='primary-button pay-success__invite' onClick={() => void Taro.switchTab({ url: '/pages/invite/index' })}>
              邀请好友
            </View>
            <View className='ghost-button pay-success__home' onClick={() => void Taro.switchTab({ url: '/pages/index/index' })}>
              继续逛
            </View>
          </View>
          <Text className='pay-success__note'>好友通过你的分享首次下单，你可获得返利（规则见“邀请”页）</Text>
        </View>
      )}
      <View className='order-head'>
        <Text className='order-head__status'>{ORDER_STATUS_TEXT[o.status]}</Text>
        {o.status === 'pending_payment' && <Text className='order-head__hint'>请在 {formatDateTime(o.expiresAt)} 前支付，超时订单自动关闭</Text>}
        {o.status === 'paid' && (!o.group || o.group.state === 'succeeded') && <Text className='order-head__hint'>商家正在备货</Text>}
        {o.status === 'shipped' && <Text className='order-head__hint'>商品已发出，收到后请确认收货</Text>}
        {o.status === 'received' && o.refundDeadline && <Text className='order-head__hint'>退款期至 {formatDateTime(o.refundDeadline)}</Text>}
        {o.refundStatus && <Text className='order-head__hint order-refund'>{REFUND_STATUS_TEXT[o.refundStatus]}</Text>}
      </View>

      {o.group && (
        <View className='card order-group' onClick={() => void Taro.navigateTo({ url: groupPath(o.group!.groupId) })}>
          <Text className='card__title'>拼团订单{o.group.role === 'leader' ? '（团长）' : ''}</Text>
          <Text className='muted order-group__state'>{GROUP_ORDER_TEXT[o.group.state]}</Text>
          <Text className='ghost-button order-group__view'>查看拼团</Text>
        </View>
      )}

      {o.shipping && (
        <View className='card order-shipment'>
          <Text className='card__title'>物流信息</Text>
          <View className='option-row'>
            <Text className='muted'>快递公司</Text>
            <Text className='order-shipment__carrier'>{o.shipping.carrier}</Text>
          </View>
          <View className='option-row'>
            <Text className='muted'>运单号</Text>
            <View className='order-shipment__no-row'>
              <Text className='order-shipment__no' userSelect>
                {o.shipping.trackingNo}
              </Text>
              <Text className='order-shipment__copy' onClick={() => copy(o.shipping!.trackingNo, '运单号')}>
                复制
              </Text>
            </View>
          </View>
          {o.shippedAt && (
            <View className='option-row'>
              <Text className='muted'>发货时间</Text>
              <Text>{formatDateTime(o.shippedAt)}</Text>
            </View>
          )}
        </View>
      )}

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
          <View key={`${item.productId}:${item.skuId ?? ''}`} className='order-item'>
            <ProductImage className='order-item__image' src={item.image} />
            <View className='order-item__body'>
              <Text>{item.title}</Text>
              {item.spec && <Text className='item-spec order-item__spec'>{item.spec}</Text>}
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
        <View className='order-no-row'>
          <Text className='muted order-no'>订单编号 {orderNoText(o)}</Text>
          <Text className='order-shipment__copy' onClick={() => copy(orderNoText(o), '订单编号')}>
            复制
          </Text>
        </View>
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
                {actions.busyWith(o.id, a) ? '处理中…' : ACTION_TEXT[a]}
              </View>
            ))}
          </View>
        </View>
      )}
      {actions.sheets}
    </AppShell>
  );
}
