import { Input, ScrollView, Swiper, SwiperItem, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import type { ProductSummary } from '../../../types/api';
import type { HomeBanner, HomeBanners, ProductCategory } from '../../../types/modules/store.api';
import ProductCard from '../../components/ProductCard';
import TrustStrip from '../../components/TrustStrip';
import { usePagedList } from '../../hooks/usePagedList';
import AppShell from '../../components/AppShell';
import { callFunction } from '../../services/cloud';
import { productPath } from '../../services/share';
import './index.css';

const PAGE_SIZE = 10;

/**
 * The shop's products, or those whose title contains `q` (matched on the server, taken literally), within a category
 * tab (null: 全部).
 */
function fetchProducts(q: string, categoryId: string | null, cursor: number | undefined) {
  return callFunction('shop', 'listProducts', { pageSize: PAGE_SIZE, ...(cursor === undefined ? {} : { cursor }), ...(q ? { q } : {}), ...(categoryId ? { categoryId } : {}) });
}

/** 全部 and the merchant's categories, scrolling sideways; nothing when the shop has none. */
function CategoryTabs({ categories, value, onChange }: { categories: ProductCategory[]; value: string | null; onChange: (id: string | null) => void }) {
  if (categories.length === 0) return null;
  const tab = (id: string | null, name: string) => (
    <Text key={id ?? 'all'} className={`category-tab${value === id ? ' category-tab--on' : ''}`} onClick={() => onChange(id)}>
      {name}
    </Text>
  );
  return (
    <ScrollView className='category-tabs' scrollX enhanced showScrollbar={false}>
      <View className='category-tabs__row'>{[tab(null, '全部'), ...categories.map((c) => tab(c.id, c.name))]}</View>
    </ScrollView>
  );
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
  const [category, setCategory] = useState<string | null>(null);
  const categoryRef = useRef<string | null>(null);
  const list = usePagedList((cursor: number | undefined) => fetchProducts(queryRef.current, categoryRef.current, cursor));
  const [home, setHome] = useState<HomeBanners | null>(null);
  const [categories, setCategories] = useState<ProductCategory[]>([]);
  // The banner area and the tabs are navigation aids: on an error the products still show, under 全部.
  const loadHeader = () =>
    Promise.all([
      callFunction('shop', 'homeBanners', {}).then(setHome, () => undefined),
      callFunction('shop', 'categories', {}).then((c) => setCategories(c.categories), () => undefined),
    ]);
  useEffect(() => {
    void loadHeader();
  }, []);
  const choose = (id: string | null) => {
    if (id === categoryRef.current) return;
    categoryRef.current = id;
    setCategory(id);
    void list.reload();
  };
  const categoryName = categories.find((c) => c.id === category)?.name ?? null;
  const search = (q: string) => {
    const next = q.trim().slice(0, 30);
    setText(next);
    if (next === queryRef.current) return;
    queryRef.current = next;
    setQuery(next);
    void list.reload();
  };

  usePullDownRefresh(() => {
    void Promise.all([list.refresh(), loadHeader()]).finally(() => Taro.stopPullDownRefresh());
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

      <CategoryTabs categories={categories} value={category} onChange={choose} />

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
          <Text className='state-text'>
            {query ? `${categoryName ? `在「${categoryName}」里` : ''}没有找到与「${query}」相关的商品` : categoryName ? `「${categoryName}」暂无商品` : '暂无商品'}
          </Text>
          {(query || categoryName) && (
            <Text
              className='search__reset'
              onClick={() => {
                if (categoryRef.current !== null) {
                  categoryRef.current = null;
                  setCategory(null);
                }
                search('');
                if (!query) void list.reload();
              }}
            >
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
