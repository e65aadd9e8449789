import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../../types/api';
import { errorMessage } from '../services/cloud';

export type ListStatus = 'loading' | 'ready' | 'error';

export interface PagedList<T> {
  items: T[];
  status: ListStatus;
  /** Message of the failed first page (status 'error'). */
  error: string;
  hasMore: boolean;
  loadingMore: boolean;
  /** Message of a failed later page; the items already shown stay. */
  moreError: string;
  /** Start over from the first page, showing the loading state. */
  reload: () => Promise<void>;
  /** Start over from the first page, keeping the current items until the answer arrives (pull-to-refresh). */
  refresh: () => Promise<void>;
  loadMore: () => Promise<void>;
}

/** A cursor-paged list: first page on mount, more on demand; answers to superseded requests are dropped. */
export function usePagedList<T>(fetchPage: (cursor: number | undefined) => Promise<Page<T>>): PagedList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [status, setStatus] = useState<ListStatus>('loading');
  const [error, setError] = useState('');
  const [next, setNext] = useState<number | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState('');
  const generation = useRef(0);
  const busyMore = useRef(false);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const loadFirst = useCallback(async (showLoading: boolean) => {
    const mine = ++generation.current;
    busyMore.current = false;
    setLoadingMore(false);
    setMoreError('');
    if (showLoading) setStatus('loading');
    try {
      const page = await fetchRef.current(undefined);
      if (mine !== generation.current) return;
      setItems(page.items);
      setNext(page.next);
      setError('');
      setStatus('ready');
    } catch (err) {
      if (mine !== generation.current) return;
      setError(errorMessage(err));
      setStatus('error');
    }
  }, []);

  const reload = useCallback(() => loadFirst(true), [loadFirst]);
  const refresh = useCallback(() => loadFirst(false), [loadFirst]);

  const loadMore = useCallback(async () => {
    if (status !== 'ready' || next === null || busyMore.current) return;
    const mine = generation.current;
    busyMore.current = true;
    setLoadingMore(true);
    setMoreError('');
    try {
      const page = await fetchRef.current(next);
      if (mine !== generation.current) return;
      setItems((prev) => prev.concat(page.items));
      setNext(page.next);
    } catch (err) {
      if (mine !== generation.current) return;
      setMoreError(errorMessage(err));
    } finally {
      if (mine === generation.current) {
        busyMore.current = false;
        setLoadingMore(false);
      }
    }
  }, [status, next]);

  useEffect(() => {
    void loadFirst(true);
  }, [loadFirst]);

  return { items, status, error, hasMore: next !== null, loadingMore, moreError, reload, refresh, loadMore };
}
