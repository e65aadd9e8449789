/**
 * 拼团: the success rate and the funnel (opened → shared → joined → succeeded), the groups by state, and the products
 * to set a group offer on (the editor is packages/merchant/groupOffer).
 */
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { MerchantGroupRow } from '../../../../types/api';
import type { GroupStatus } from '../../../../types/modules/group.models';
import AppShell from '../../../components/AppShell';
import { Empty, ErrorState, Loading } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import { callFunction } from '../../../services/cloud';
import FilterChips from '../components/FilterChips';
import ListFooter from '../components/ListFooter';
import { useFilteredList } from '../components/useFilteredList';
import { timeText } from '../format';
import '../merchant.css';

type Filter = 'all' | GroupStatus;
export const GROUP_STATUS_TEXT: Record<GroupStatus, string> = { pending: '待团长付款', open: '拼团中', succeeded: '已成团', failed: '未成团', cancelled: '已取消' };
const FILTERS: [Filter, string][] = [['open', '拼团中'], ['succeeded', '已成团'], ['failed', '未成团'], ['pending', '待付款'], ['cancelled', '已取消'], ['all', '全部']];

const rate = (n: number, of: number) => (of > 0 ? `${Math.round((n / of) * 100)}%` : '—');

function Stats() {
  const stats = useRemote(() => callFunction('merchant', 'groupStats', {}), []);
  if (stats.state.status === 'loading') return <Loading />;
  if (stats.state.status === 'error') return <ErrorState message={stats.state.error} onRetry={() => void stats.reload()} />;
  const s = stats.state.data;
  const f = s.funnel;
  const steps: [string, number, number][] = [
    ['开团', f.opened, f.opened],
    ['分享被打开', f.shared, f.opened],
    ['有好友参团', f.joined, f.shared],
    ['成团', f.succeeded, f.joined],
  ];
  return (
    <View className='card group-stats'>
      <View className='m-row'>
        <Text className='card__title'>成团率</Text>
        <Text className='price group-stats__rate'>{s.successRateBp === null ? '暂无' : `${(s.successRateBp / 100).toFixed(1)}%`}</Text>
      </View>
      <Text className='m-row__sub group-stats__counts'>
        拼团中 {s.byStatus.open} · 已成团 {s.byStatus.succeeded} · 未成团 {s.byStatus.failed} · 待付款 {s.byStatus.pending} · 已取消 {s.byStatus.cancelled}
      </Text>
      <Text className='card__title'>漏斗（按团计）</Text>
      {steps.map(([label, n, of], i) => (
        <View key={label} className='m-row group-funnel__step'>
          <Text className='m-row__title'>{label}</Text>
          <Text className='m-row__sub'>
            {n} 个团{i > 0 ? `（上一步的 ${rate(n, of)}）` : ''}
          </Text>
        </View>
      ))}
    </View>
  );
}

function Products() {
  const products = useRemote(() => callFunction('merchant', 'listProducts', { onSale: true, pageSize: 20 }), []);
  if (products.state.status !== 'ready' || products.state.data.items.length === 0) return null;
  return (
    <View className='card group-products'>
      <Text className='card__title'>设置拼团（选择商品）</Text>
      {products.state.data.items.map((p) => (
        <View key={p.id} className='m-row group-product' onClick={() => void Taro.navigateTo({ url: `/packages/merchant/groupOffer/index?productId=${encodeURIComponent(p.id)}` })}>
          <Text className='m-row__title'>{p.title}</Text>
          <Text className='m-btn'>拼团设置</Text>
        </View>
      ))}
    </View>
  );
}

export default function GroupsPage() {
  const { list, filter, pick } = useFilteredList<MerchantGroupRow, Filter>('open', (f, cursor) =>
    callFunction('merchant', 'listGroups', { pageSize: 20, ...(f === 'all' ? {} : { status: f }), ...(cursor === undefined ? {} : { cursor }) }),
  );
  return (
    <AppShell className='m-page groups-page'>
      <Stats />
      <FilterChips name='group-filter' value={filter} options={FILTERS} onPick={pick} />
      {list.status === 'loading' && <Loading />}
      {list.status === 'error' && <ErrorState message={list.error} onRetry={() => void list.reload()} />}
      {list.status === 'ready' && list.items.length === 0 && <Empty text='没有这类拼团' />}
      {list.items.map((g) => (
        <View key={g.groupId} className='card group-row'>
          <View className='m-row'>
            <View className='m-row__main'>
              <Text className='m-row__title'>
                {g.productTitle} · {g.paidCount}/{g.size} 人 · {GROUP_STATUS_TEXT[g.status]}
              </Text>
              <Text className='m-row__sub'>
                团长 {g.leaderName} · 开团 {timeText(g.openedAt ?? g.createdAt)}
                {g.status === 'open' ? ` · 截止 ${timeText(g.deadline)}` : g.decidedAt ? ` · 结束 ${timeText(g.decidedAt)}` : ''}
                {g.seatsTaken > g.paidCount && g.status === 'open' ? ` · ${g.seatsTaken - g.paidCount} 人待付款` : ''}
                {g.shared ? ' · 已被好友打开' : ''}
              </Text>
            </View>
          </View>
        </View>
      ))}
      <ListFooter list={list} />
      <Products />
    </AppShell>
  );
}
