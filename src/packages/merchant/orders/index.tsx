/**
 * 订单: every order by status with the full shipping address (复制 for the courier form), a packing list per order
 * (打印 in the browser, 复制 in WeChat), and shipping a paid one with the carrier and tracking number.
 */
import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { OrderView } from '../../../../types/api';
import type { OrderStatus } from '../../../../types/models';
import { ORDER_STATUS_TEXT } from '../statusText';
import { formatFen } from '../../../../types/money';
import AppShell from '../../../components/AppShell';
import { Empty, ErrorState, Loading } from '../../../components/PageState';
import { callFunction, errorMessage } from '../../../services/cloud';
import FilterChips from '../components/FilterChips';
import ListFooter from '../components/ListFooter';
import { useFilteredList } from '../components/useFilteredList';
import { usePendingIds } from '../components/usePendingIds';
import { timeText } from '../format';
import { fullAddressText, packingList, packingListText } from '../packing';
import '../merchant.css';

type Filter = 'all' | OrderStatus;
const IS_H5 = process.env.TARO_ENV === 'h5';

function copy(data: string, title: string) {
  void Taro.setClipboardData({ data }).then(
    () => Taro.showToast({ title, icon: 'none' }),
    () => Taro.showToast({ title: '复制失败，请长按选择文字', icon: 'none' }),
  );
}

/** 装箱单: laid out for printing (the print stylesheet hides everything but the order being printed). */
function PackingSheet({ order, onClose }: { order: OrderView; onClose: () => void }) {
  const p = packingList(order);
  return (
    <View className='packing-list'>
      <Text className='packing-list__title'>装箱单</Text>
      <Text className='packing-list__row'>订单号：{p.orderNo}</Text>
      <Text className='packing-list__row'>下单时间：{p.date}</Text>
      <Text className='packing-list__row packing-list__recipient'>
        收件人：{p.recipient} {p.phone}
      </Text>
      <Text className='packing-list__row packing-list__address'>地址：{p.address}</Text>
      <View className='packing-list__lines'>
        {p.lines.map((l, i) => (
          <View key={i} className='packing-list__line'>
            <Text className='packing-list__item'>
              {l.title}
              {l.spec ? `（${l.spec}）` : ''}
            </Text>
            <Text className='packing-list__qty'>×{l.quantity}</Text>
          </View>
        ))}
      </View>
      <Text className='packing-list__row packing-list__total'>合计件数：{p.totalQuantity}</Text>
      <View className='m-actions packing-list__actions'>
        {IS_H5 ? (
          <Text className='m-btn m-btn--primary packing-list__print' onClick={() => window.print()}>
            打印
          </Text>
        ) : (
          <Text className='m-btn m-btn--primary packing-list__copy' onClick={() => copy(packingListText(p), '装箱单已复制')}>
            复制装箱单
          </Text>
        )}
        <Text className='m-btn packing-list__close' onClick={onClose}>
          收起
        </Text>
      </View>
    </View>
  );
}
const STATUS_TEXT = ORDER_STATUS_TEXT;
/** A refund asked for, or approved and on its way back (the server refuses to ship it then); null: none pending. */
const refundTag = (o: OrderView) => (o.refundStatus === 'requested' ? '退款申请中' : o.refundStatus === 'approved' && o.status !== 'refunded' ? '退款处理中' : null);
const FILTERS: [Filter, string][] = [['paid', '待发货'], ['shipped', '已发货'], ['received', '已收货'], ['refunded', '已退款'], ['all', '全部']];

function ShipForm({ order, onShipped }: { order: OrderView; onShipped: (o: OrderView) => void }) {
  const [carrier, setCarrier] = useState('顺丰速运');
  const [trackingNo, setTrackingNo] = useState('');
  const [error, setError] = useState('');
  const pending = usePendingIds();
  const ship = () =>
    pending.run(order.id, async () => {
      if (!carrier.trim() || !/^[A-Za-z0-9-]{4,40}$/.test(trackingNo.trim())) return setError('请填写快递公司和运单号（字母数字，4–40 位）');
      try {
        onShipped(await callFunction('merchant', 'shipOrder', { orderId: order.id, carrier: carrier.trim(), trackingNo: trackingNo.trim() }));
        void Taro.showToast({ title: '已发货', icon: 'success' });
      } catch (err) {
        setError(errorMessage(err));
      }
    });
  return (
    <View className='ship-form'>
      <View className='m-field'>
        <Text className='m-field__label'>快递公司</Text>
        <Input className='m-input ship-form__carrier' value={carrier} maxlength={20} onInput={(e) => setCarrier(e.detail.value)} />
      </View>
      <View className='m-field'>
        <Text className='m-field__label'>运单号</Text>
        <Input className='m-input ship-form__tracking' value={trackingNo} maxlength={40} onInput={(e) => setTrackingNo(e.detail.value)} />
      </View>
      {error && <Text className='form-error'>{error}</Text>}
      <Text className={`m-btn m-btn--primary ship-form__submit${pending.busy(order.id) ? ' primary-button--disabled' : ''}`} onClick={() => void ship()}>
        {pending.busy(order.id) ? '提交中…' : '确认发货'}
      </Text>
    </View>
  );
}

export default function OrdersPage() {
  const { list, filter, pick } = useFilteredList<OrderView, Filter>('paid', (f, cursor) =>
    callFunction('merchant', 'listOrders', { pageSize: 20, ...(f === 'all' ? {} : { status: f }), ...(cursor === undefined ? {} : { cursor }) }),
  );
  const [shipping, setShipping] = useState<string | null>(null);
  const [packing, setPacking] = useState<string | null>(null);
  return (
    <AppShell className='m-page m-orders-page'>
      <FilterChips name='order-filter' value={filter} options={FILTERS} onPick={pick} />
      {list.status === 'loading' && <Loading />}
      {list.status === 'error' && <ErrorState message={list.error} onRetry={() => void list.reload()} />}
      {list.status === 'ready' && list.items.length === 0 && <Empty text='没有这类订单' />}
      {list.items.map((o) => (
        <View key={o.id} className={`card m-order${packing === o.id ? ' m-order--printing' : ''}`}>
          <View className='m-row'>
            <View className='m-row__main'>
              <Text className='m-row__title m-order__items'>{o.items.map((i) => `${i.title}${i.spec ? `（${i.spec}）` : ''} ×${i.quantity}`).join('，')}</Text>
              <Text className='m-row__sub'>
                {o.orderNo ?? o.id} · {timeText(o.paidAt ?? o.createdAt)}
              </Text>
              {o.shipping && (
                <Text className='m-row__sub'>
                  {o.shipping.carrier} {o.shipping.trackingNo}
                </Text>
              )}
            </View>
            <View className='m-row__main' style={{ flex: 'none', alignItems: 'flex-end' }}>
              <Text className='price'>{formatFen(o.payableFen)}</Text>
              <Text className={`m-tag m-order__status${refundTag(o) ? ' m-tag--warn' : ''}`}>{refundTag(o) ?? STATUS_TEXT[o.status]}</Text>
            </View>
          </View>
          {o.address && (
            <View className='m-address'>
              <Text className='m-address__text'>{fullAddressText(o.address)}</Text>
              <Text className='m-btn m-address__copy' onClick={() => copy(fullAddressText(o.address), '地址已复制')}>
                复制
              </Text>
            </View>
          )}
          {packing === o.id && <PackingSheet order={o} onClose={() => setPacking(null)} />}
          <View className='m-actions m-order__actions'>
            {packing !== o.id && (
              <Text className='m-btn m-order__packing' onClick={() => setPacking(o.id)}>
                装箱单
              </Text>
            )}
            {o.status === 'paid' && o.refundStatus !== 'approved' && shipping !== o.id && (
              <Text className='m-btn m-btn--primary m-order__ship' onClick={() => setShipping(o.id)}>
                发货
              </Text>
            )}
          </View>
          {shipping === o.id && (
            <ShipForm
              order={o}
              onShipped={() => {
                setShipping(null);
                void list.refresh();
              }}
            />
          )}
        </View>
      ))}
      <ListFooter list={list} />
    </AppShell>
  );
}
