import { Text, View } from '@tarojs/components';
import type { PagedList } from '../../../hooks/usePagedList';

export default function ListFooter<T>({ list }: { list: PagedList<T> }) {
  if (list.status !== 'ready' || list.items.length === 0) return null;
  return (
    <View className='list-footer'>
      {list.loadingMore ? '加载中…' : list.moreError ? <Text onClick={() => void list.loadMore()}>{list.moreError}，点击重试</Text> : list.hasMore ? '上拉加载更多' : '没有更多了'}
    </View>
  );
}
