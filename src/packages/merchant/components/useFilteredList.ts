/** A paged list with one filter value; changing the filter starts over. Pull-to-refresh and 上拉加载 wired. */
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { useCallback, useRef, useState } from 'react';
import type { Page } from '../../../../types/api';
import { usePagedList } from '../../../hooks/usePagedList';

export function useFilteredList<T, F extends string>(initial: F, fetch: (filter: F, cursor: number | undefined) => Promise<Page<T>>) {
  const [filter, setFilter] = useState<F>(initial);
  const ref = useRef(filter);
  ref.current = filter;
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;
  const list = usePagedList(useCallback((cursor: number | undefined) => fetchRef.current(ref.current, cursor), []));
  usePullDownRefresh(() => void list.refresh().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.loadMore());
  const pick = (f: F) => {
    ref.current = f;
    setFilter(f);
    void list.reload();
  };
  return { list, filter, pick };
}
