/** 我的助力: the tasks I started, newest first, with their progress and status. */
import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import type { AssistTaskSummary } from '../../../../types/api';
import AppShell from '../../../components/AppShell';
import { Empty, ErrorState, Loading } from '../../../components/PageState';
import { usePagedList } from '../../../hooks/usePagedList';
import { callFunction } from '../../../services/cloud';
import { assistPath } from '../../../services/share';
import { formatDateTime } from '../../../utils/format';
import './index.css';

const STATUS_TEXT: Record<AssistTaskSummary['status'], string> = { open: '进行中', succeeded: '已成功', expired: '已结束' };
const VOUCHER_TEXT = { available: '助力价待使用', used: '助力价已使用', expired: '助力价已过期' };

function fetchTasks(cursor: number | undefined) {
  return callFunction('assist', 'mine', cursor === undefined ? { pageSize: 10 } : { cursor, pageSize: 10 });
}

export default function MyAssistsPage() {
  const list = usePagedList(fetchTasks);
  usePullDownRefresh(() => void list.refresh().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.loadMore());

  return (
    <AppShell className='my-assists-page'>
      {list.status === 'loading' && <Loading />}
      {list.status === 'error' && <ErrorState message={list.error} onRetry={() => void list.reload()} />}
      {list.status === 'ready' && list.items.length === 0 && (
        <Empty text='还没有发起过助力'>
          <View className='primary-button' onClick={() => void Taro.switchTab({ url: '/pages/index/index' })}>
            去看看带“助力”的商品
          </View>
        </Empty>
      )}
      {list.items.map((task) => (
        <View key={task.taskId} className='card my-assist' onClick={() => void Taro.navigateTo({ url: assistPath(task.taskId) })}>
          <View className='row'>
            <Text className='my-assist__title'>{task.productTitle}</Text>
            <Text className={`my-assist__status my-assist__status--${task.status}`}>{STATUS_TEXT[task.status]}</Text>
          </View>
          <View className='row my-assist__meta'>
            <Text className='muted'>
              {task.helpers}/{task.target} 位好友 · {formatDateTime(task.startedAt)} 发起
            </Text>
            {task.voucherState && <Text className='muted'>{VOUCHER_TEXT[task.voucherState]}</Text>}
          </View>
        </View>
      ))}
      {list.status === 'ready' && list.items.length > 0 && (
        <View className='list-footer'>{list.loadingMore ? '加载中…' : list.hasMore ? '上拉加载更多' : '没有更多了'}</View>
      )}
    </AppShell>
  );
}
