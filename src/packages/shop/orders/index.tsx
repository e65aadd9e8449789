/** 我的订单: by status, paged; pay, cancel, confirm receipt and ask for a refund right from the list. */
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { useCallback, useRef, useState } from 'react';
import type { OrderView } from '../../../../types/api';
import type { OrderStatus } from '../../../../types/models';
import { formatFen } from '../../../../types/money';
import AppShell from '../../../components/AppShell';
import { Empty, ErrorState, Loading } from '../../../components/PageState';
import { usePagedList } from '../../../hooks/usePagedList';
import { callFunction } from '../../../services/cloud';
import { ACTION_TEXT, useOrderActions } from '../components/useOrderActions';
import { ORDER_STATUS_TEXT, REFUND_STATUS_TEXT, orderActions, orderNoText, orderTitle } from '../orderText';
import ProductImage from '../../../components/ProductImage';
import './index.css';
import '../shop.css';
import '../../../styles/tabs.css';

const TABS: { text: string; status: OrderStatus | '' }[] = [
  { text: '全部', status: '' },
  { text: '待付款', status: 'pending_payment' },
  { text: '待发货', status: 'paid' },
  { text: '待收货', status: 'shipped' },
  { text: '已收货', status: 'received' },
  { text: '已退款', status: 'refunded' },
];

export default function OrdersPage() {
  const { params } = useRouter();
  const initial = TABS.find((t) => t.status === params.status)?.status ?? '';
  const [status, setStatus] = useState<OrderStatus | ''>(initial);
  const statusRef = useRef(status);
  statusRef.current = status;

  const fetchPage = useCallback(
    (cursor: number | undefined) =>
      callFunction('shop', 'listOrders', { ...(statusRef.current ? { status: statusRef.current } : {}), ...(cursor === undefined ? {} : { cursor }), pageSize: 10 }),
    [],
  );
  const list = usePagedList<OrderView>(fetchPage);
  // Paid from the list: the order's page shows 支付成功 and what to do next.
  const actions = useOrderActions(() => void list.refresh(), {
    onPaid: (id) => void Taro.navigateTo({ url: `/packages/shop/order/index?id=${encodeURIComponent(id)}&paid=1` }),
  });
  const shown = useRef(false);

  useDidShow(() => {
    if (shown.current) void list.refresh();
    shown.current = true;
  });
  usePullDownRefresh(() => void list.refresh().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.loadMore());

  const pick = (next: OrderStatus | '') => {
    if (next === status) return;
    statusRef.current = next;
    setStatus(next);
    void list.reload();
  };

  return (
    <AppShell className='orders-page'>
      <View className='status-tabs'>
        {TABS.map((tab) => (
          <Text key={tab.text} className={`status-tab${tab.status === status ? ' status-tab--on' : ''}`} onClick={() => pick(tab.status)}>
            {tab.text}
          </Text>
        ))}
      </View>
      {list.status === 'loading' && <Loading />}
      {list.status === 'error' && <ErrorState message={list.error} onRetry={() => void list.reload()} />}
      {list.status === 'ready' && list.items.length === 0 && <Empty text='暂无订单' />}
      {list.items.map((order) => (
        <View key={order.id} className='card order-card' onClick={() => void Taro.navigateTo({ url: `/packages/shop/order/index?id=${encodeURIComponent(order.id)}` })}>
          <View className='row'>
            <Text className='muted order-card__no'>订单 {orderNoText(order)}</Text>
            <Text className={`order-card__status order-status--${order.status}`}>
              {ORDER_STATUS_TEXT[order.status]}
              {order.refundStatus ? ` · ${REFUND_STATUS_TEXT[order.refundStatus]}` : ''}
            </Text>
          </View>
          <View className='order-card__body'>
            <ProductImage className='order-card__image' src={order.items[0]?.image} />
            <View className='order-card__info'>
              <Text className='order-card__title'>{orderTitle(order)}</Text>
              {order.items.length === 1 && order.items[0].spec && <Text className='item-spec order-card__spec'>{order.items[0].spec}</Text>}
              <Text className='muted'>共 {order.items.reduce((n, i) => n + i.quantity, 0)} 件</Text>
              {order.shipping && <Text className='muted order-card__shipping'>{order.shipping.carrier} {order.shipping.trackingNo}</Text>}
            </View>
            <Text className='price order-card__amount'>{formatFen(order.payableFen)}</Text>
          </View>
          {orderActions(order).length > 0 && (
            <View className='order-actions'>
              {orderActions(order).map((a) => (
                <View
                  key={a}
                  className={`${a === 'pay' || a === 'confirm' ? 'primary-button' : 'ghost-button'} order-action order-action--${a}`}
                  onClick={(e) => {
                    e.stopPropagation();
                    void actions.run(a, order);
                  }}
                >
                  {actions.busyWith(order.id, a) ? '处理中…' : ACTION_TEXT[a]}
                </View>
              ))}
            </View>
          )}
        </View>
      ))}
      {list.status === 'ready' && list.items.length > 0 && (
        <View className='list-footer'>
          {list.loadingMore ? '加载中…' : list.moreError ? <Text onClick={() => void list.loadMore()}>{list.moreError}，点击重试</Text> : list.hasMore ? '上拉加载更多' : '没有更多了'}
        </View>
      )}
      {actions.sheets}
    </AppShell>
  );
}
