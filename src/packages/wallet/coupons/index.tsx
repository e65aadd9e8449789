/** 优惠券: usable now, held until a refund window passes, used and expired. */
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { formatFen } from '../../../../types/money';
import AppShell from '../../../components/AppShell';
import { Empty, ErrorState, Loading } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import { callFunction } from '../../../services/cloud';
import { formatDateTime } from '../../../utils/format';
import './index.css';
import '../../../styles/tabs.css';

type Status = 'available' | 'held' | 'used' | 'expired';
const TABS: { status: Status; text: string }[] = [
  { status: 'available', text: '可使用' },
  { status: 'held', text: '冻结中' },
  { status: 'used', text: '已使用' },
  { status: 'expired', text: '已过期' },
];

export default function CouponsPage() {
  const [status, setStatus] = useState<Status>('available');
  const coupons = useRemote(() => callFunction('wallet', 'coupons', { status }), [status]);

  return (
    <AppShell className='coupons-page'>
      <View className='status-tabs'>
        {TABS.map((tab) => (
          <Text key={tab.status} className={`status-tab coupon-tab--${tab.status}${tab.status === status ? ' status-tab--on' : ''}`} onClick={() => setStatus(tab.status)}>
            {tab.text}
          </Text>
        ))}
      </View>
      {coupons.state.status === 'loading' && <Loading />}
      {coupons.state.status === 'error' && <ErrorState message={coupons.state.error} onRetry={() => void coupons.reload()} />}
      {coupons.state.status === 'ready' && coupons.state.data.length === 0 && <Empty text='暂无优惠券' />}
      {coupons.state.status === 'ready' &&
        coupons.state.data.map((c) => (
          <View key={c.id} className={`card coupon coupon--${status}`}>
            <View className='coupon__value'>
              <Text className='coupon__amount'>{formatFen(c.amountFen)}</Text>
              <Text className='muted'>满 {formatFen(c.minSpendFen)} 可用</Text>
            </View>
            <View className='coupon__info'>
              <Text className='coupon__title'>{c.title}</Text>
              <Text className='muted'>
                {status === 'held' ? '好友订单过了退款期后可用' : c.expiresAt ? `${formatDateTime(c.expiresAt)} 到期` : '长期有效'}
              </Text>
            </View>
          </View>
        ))}
    </AppShell>
  );
}
