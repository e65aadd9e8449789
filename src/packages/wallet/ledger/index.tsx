/**
 * 收支明细: one line per business event (a reward, a withdrawal, a checkout spend…), newest activity first, each with
 * its status; tap a line for its ledger legs. Cash or points. ?asset=cash|points
 */
import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { useCallback, useRef, useState } from 'react';
import type { WalletActivityView } from '../../../../types/api';
import AppShell from '../../../components/AppShell';
import { Empty, ErrorState, Loading } from '../../../components/PageState';
import { usePagedList } from '../../../hooks/usePagedList';
import { callFunction } from '../../../services/cloud';
import ActivityRow from '../components/ActivityRow';
import '../../../styles/tabs.css';

type Asset = WalletActivityView['asset'];

export default function LedgerPage() {
  const { params } = useRouter();
  const [asset, setAsset] = useState<Asset>(params.asset === 'points' ? 'points' : 'cash');
  const assetRef = useRef(asset);
  assetRef.current = asset;
  const fetchPage = useCallback(
    (cursor: number | undefined) => callFunction('wallet', 'activity', { asset: assetRef.current, pageSize: 20, ...(cursor === undefined ? {} : { cursor }) }),
    [],
  );
  const list = usePagedList(fetchPage);
  usePullDownRefresh(() => void list.refresh().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.loadMore());

  const pick = (next: Asset) => {
    if (next === asset) return;
    assetRef.current = next;
    setAsset(next);
    void list.reload();
  };

  return (
    <AppShell className='ledger-page'>
      <View className='status-tabs'>
        <Text className={`status-tab ledger-tab--cash${asset === 'cash' ? ' status-tab--on' : ''}`} onClick={() => pick('cash')}>
          现金
        </Text>
        <Text className={`status-tab ledger-tab--points${asset === 'points' ? ' status-tab--on' : ''}`} onClick={() => pick('points')}>
          积分
        </Text>
      </View>
      {list.status === 'loading' && <Loading />}
      {list.status === 'error' && <ErrorState message={list.error} onRetry={() => void list.reload()} />}
      {list.status === 'ready' && list.items.length === 0 && <Empty text='暂无记录' />}
      {list.items.length > 0 && (
        <View className='card'>
          {list.items.map((item) => (
            <ActivityRow key={item.id} item={item} />
          ))}
        </View>
      )}
      {list.status === 'ready' && list.items.length > 0 && (
        <View className='list-footer'>
          {list.loadingMore ? '加载中…' : list.moreError ? <Text onClick={() => void list.loadMore()}>{list.moreError}，点击重试</Text> : list.hasMore ? '上拉加载更多' : '没有更多了'}
        </View>
      )}
    </AppShell>
  );
}
