import { Input, Swiper, SwiperItem, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import type { ProductSummary } from '../../../types/api';
import type { HomeBanner, HomeBanners } from '../../../types/modules/store.api';
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

function Banner({ banner, fromRules }: { banner: HomeBanner; fromRules: boolean }) {
  const link = banner.productId;
  return (
    <View className={`banner${link ? ' banner--link' : ''}`} onClick={link ? () => void Taro.navigateTo({ url: productPath(link) }) : undefined}>
      <Text className='banner__title'>{banner.heading}</Text>
      {banner.caption && <Text className='banner__text'>{banner.caption}</Text>}
      {fromRules && <Text className='banner__hint'>好友下单并过了退款期，奖励即可提现</Text>}
      {link && <Text className='banner__go'>去看看 ›</Text>}
    </View>
  );
}

/** The merchant's slides (several: a swiper), or the shop's first active rule; nothing while loading or on an error. */
function BannerArea({ home }: { home: HomeBanners | null }) {
  if (!home || home.banners.length === 0) return null;
  if (home.banners.length === 1) return <Banner banner={home.banners[0]} fromRules={home.fromRules} />;
  return (
    <Swiper className='banner-swiper' autoplay circular indicatorDots interval={4000} indicatorActiveColor='#ffffff' indicatorColor='rgba(255, 255, 255, 0.5)'>
      {home.banners.map((b, i) => (
        <SwiperItem key={i}>
          <Banner banner={b} fromRules={false} />
        </SwiperItem>
      ))}
    </Swiper>
  );
}

/** Card-shaped grey blocks while the first page loads. */
function GridSkeleton() {
  return (
    <View className='product-grid grid-skeleton skeleton-grid' aria-label='加载中'>
      {[0, 1, 2, 3].map((i) => (
        <View key={i} className='skeleton-card'>
          <View className='skeleton__block skeleton-card__media' />
          <View className='skeleton-card__body'>
            <View className='skeleton__line skeleton__line--wide' />
            <View className='skeleton__line skeleton__line--short' />
          </View>
        </View>
      ))}
    </View>
  );
}

export default function IndexPage() {
  // The search box's text, and the search the list shows (set on 搜索 / the keyboard's search key).
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const queryRef = useRef('');
  const list = usePagedList((cursor: number | undefined) => fetchProducts(queryRef.current, cursor));
  const [home, setHome] = useState<HomeBanners | null>(null);
  const loadBanners = () =>
    callFunction('shop', 'homeBanners', {}).then(
      (h) => setHome(h),
      () => undefined, // the banner area is decoration: on an error the products still show
    );
  useEffect(() => {
    void loadBanners();
  }, []);
  const search = (q: string) => {
    const next = q.trim().slice(0, 30);
    setText(next);
    if (next === queryRef.current) return;
    queryRef.current = next;
    setQuery(next);
    void list.reload();
  };

  usePullDownRefresh(() => {
    void Promise.all([list.refresh(), loadBanners()]).finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => {
    void list.loadMore();
  });

  return (
    <AppShell className='index-page' tab='index'>
      <BannerArea home={home} />

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

      {list.status === 'loading' && <GridSkeleton />}

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
