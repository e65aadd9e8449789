import { Input, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { useRef, useState } from 'react';
import type { ProductSummary } from '../../../types/api';
import ProductCard from '../../components/ProductCard';
import TrustStrip from '../../components/TrustStrip';
import { usePagedList } from '../../hooks/usePagedList';
import AppShell from '../../components/AppShell';
import { callFunction } from '../../services/cloud';
import { productPath } from '../../services/share';
import './index.css';

const PAGE_SIZE = 10;

/** The shop's products, or those whose title contains `q` (matched on the server, taken literally). */
function fetchProducts(q: string, cursor: number | undefined) {
  return callFunction('shop', 'listProducts', { pageSize: PAGE_SIZE, ...(cursor === undefined ? {} : { cursor }), ...(q ? { q } : {}) });
}

function openProduct(product: ProductSummary) {
  void Taro.navigateTo({ url: productPath(product.id) });
}

export default function IndexPage() {
  // The search box's text, and the search the list shows (set on 搜索 / the keyboard's search key).
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const queryRef = useRef('');
  const list = usePagedList((cursor: number | undefined) => fetchProducts(queryRef.current, cursor));
  const search = (q: string) => {
    const next = q.trim().slice(0, 30);
    setText(next);
    if (next === queryRef.current) return;
    queryRef.current = next;
    setQuery(next);
    void list.reload();
  };

  usePullDownRefresh(() => {
    void list.refresh().finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => {
    void list.loadMore();
  });

  return (
    <AppShell className='index-page' tab='index'>
      <View className='banner'>
        <Text className='banner__title'>推三返一</Text>
        <Text className='banner__text'>邀请 3 位好友下单，返 1 份奖励</Text>
        <Text className='banner__hint'>好友下单并过了退款期，奖励即可提现</Text>
      </View>

      <View className='search'>
        <Input className='search__input' value={text} maxlength={30} confirmType='search' placeholder='搜索商品' onInput={(e) => setText(e.detail.value)} onConfirm={(e) => search(e.detail.value)} />
        {query ? (
          <Text className='search__clear' onClick={() => search('')}>
            清除
          </Text>
        ) : (
          <Text className='search__go' onClick={() => search(text)}>
            搜索
          </Text>
        )}
      </View>

      {list.status === 'loading' && (
        <View className='state loading-state'>
          <Text className='state-text'>加载中…</Text>
        </View>
      )}

      {list.status === 'error' && (
        <View className='state error-state'>
          <Text className='state-text error-message'>{list.error}</Text>
          <View className='primary-button retry-button' onClick={() => void list.reload()}>
            重试
          </View>
        </View>
      )}

      {list.status === 'ready' && list.items.length === 0 && (
        <View className='state empty-state'>
          <Text className='state-text'>{query ? `没有找到与「${query}」相关的商品` : '暂无商品'}</Text>
          {query && (
            <Text className='search__reset' onClick={() => search('')}>
              看看全部商品
            </Text>
          )}
        </View>
      )}

      {list.status === 'ready' && list.items.length > 0 && (
        <View className='product-list'>
          <View className='product-grid'>
            {list.items.map((product) => (
              <ProductCard key={product.id} product={product} onTap={openProduct} />
            ))}
          </View>
          <View className='list-footer'>
            {list.loadingMore ? (
              <Text>加载中…</Text>
            ) : list.moreError ? (
              <Text className='load-more-error' onClick={() => void list.loadMore()}>
                {list.moreError}，点击重试
              </Text>
            ) : list.hasMore ? (
              <Text>上拉加载更多</Text>
            ) : (
              <Text>没有更多了</Text>
            )}
          </View>
        </View>
      )}
      <TrustStrip />
    </AppShell>
  );
}
