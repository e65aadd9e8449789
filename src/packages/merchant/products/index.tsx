/**
 * 商品: every product, filtered by 在售 / 已下架 / 已归档; tap to edit, switch sale on or off, 归档 (gone from the
 * shop, kept on old orders) or 恢复, 删除 a product never ordered (the server refuses one with orders), add a new one.
 */
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { useCallback, useRef, useState } from 'react';
import type { MerchantProductView } from '../../../../types/api';
import { formatFen } from '../../../../types/money';
import AppShell from '../../../components/AppShell';
import { Empty, ErrorState, Loading } from '../../../components/PageState';
import { usePagedList } from '../../../hooks/usePagedList';
import { callFunction, errorMessage } from '../../../services/cloud';
import ProductImage from '../../../components/ProductImage';
import '../merchant.css';

type Filter = 'all' | 'onSale' | 'offSale' | 'archived';
const FILTERS: [Filter, string][] = [['all', '全部'], ['onSale', '在售'], ['offSale', '已下架'], ['archived', '已归档']];

export default function ProductsPage() {
  const [filter, setFilter] = useState<Filter>('all');
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const fetchPage = useCallback((cursor: number | undefined) => {
    const f = filterRef.current;
    return callFunction('merchant', 'listProducts', { pageSize: 20, ...(f === 'all' ? {} : { status: f }), ...(cursor === undefined ? {} : { cursor }) });
  }, []);
  const list = usePagedList(fetchPage);
  const first = useRef(true);
  useDidShow(() => {
    if (first.current) first.current = false;
    else void list.refresh();
  });
  usePullDownRefresh(() => void list.refresh().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.loadMore());

  const pick = (f: Filter) => {
    filterRef.current = f;
    setFilter(f);
    void list.reload();
  };

  const toggle = async (p: MerchantProductView) => {
    try {
      // Only the switch: the rest of what the list shows may be stale (another device edited the product meanwhile).
      await callFunction('merchant', 'setProductOnSale', { id: p.id, onSale: !p.onSale });
      void Taro.showToast({ title: p.onSale ? '已下架' : '已上架', icon: 'success' });
      void list.refresh();
    } catch (err) {
      void Taro.showToast({ title: errorMessage(err), icon: 'none' });
    }
  };

  const archive = async (p: MerchantProductView, archived: boolean) => {
    if (archived) {
      const { confirm } = await Taro.showModal({ title: '归档商品', content: `「${p.title}」将下架并从店铺中隐藏，已有订单不受影响，之后可在「已归档」中恢复。`, confirmText: '归档' });
      if (!confirm) return;
    }
    try {
      await callFunction('merchant', 'archiveProduct', { id: p.id, archived });
      void Taro.showToast({ title: archived ? '已归档' : '已恢复', icon: 'success' });
      void list.refresh();
    } catch (err) {
      void Taro.showToast({ title: errorMessage(err), icon: 'none' });
    }
  };

  const remove = async (p: MerchantProductView) => {
    const { confirm } = await Taro.showModal({ title: '删除商品', content: `删除「${p.title}」后无法恢复。有过订单的商品不能删除，可以归档。`, confirmText: '删除' });
    if (!confirm) return;
    try {
      await callFunction('merchant', 'deleteProduct', { id: p.id });
      void Taro.showToast({ title: '已删除', icon: 'success' });
      void list.refresh();
    } catch (err) {
      void Taro.showToast({ title: errorMessage(err), icon: 'none' });
    }
  };

  return (
    <AppShell className='m-page products-page'>
      <View className='m-filter'>
        {FILTERS.map(([f, label]) => (
          <Text key={f} className={`m-chip filter-${f}${filter === f ? ' m-chip--on' : ''}`} onClick={() => pick(f)}>
            {label}
          </Text>
        ))}
        <Text className='m-chip m-chip--on product-new' onClick={() => void Taro.navigateTo({ url: '/packages/merchant/product/index' })}>
          + 新建商品
        </Text>
      </View>
      {list.status === 'loading' && <Loading />}
      {list.status === 'error' && <ErrorState message={list.error} onRetry={() => void list.reload()} />}
      {list.status === 'ready' && list.items.length === 0 && <Empty text='还没有商品' />}
      {list.items.length > 0 && (
        <View className='card'>
          {list.items.map((p) => (
            <View key={p.id} className='m-row product-row'>
              <ProductImage className='thumb' src={p.images[0]} />
              <View className='m-row__main' onClick={() => void Taro.navigateTo({ url: `/packages/merchant/product/index?id=${p.id}` })}>
                <Text className='m-row__title product-row__title'>{p.title}</Text>
                <Text className='m-row__sub'>
                  {formatFen(p.priceFen)} · 库存 {p.stock} {p.archived ? '· 已归档' : p.onSale ? '' : '· 已下架'}
                </Text>
              </View>
              {p.archived ? (
                <Text className='m-btn m-btn--primary product-row__restore' onClick={() => void archive(p, false)}>
                  恢复
                </Text>
              ) : (
                <Text className={`m-btn product-row__toggle${p.onSale ? '' : ' m-btn--primary'}`} onClick={() => void toggle(p)}>
                  {p.onSale ? '下架' : '上架'}
                </Text>
              )}
              {!p.onSale && !p.archived && (
                <Text className='m-btn product-row__archive' onClick={() => void archive(p, true)}>
                  归档
                </Text>
              )}
              {!p.onSale && (
                <Text className='m-btn product-row__delete' onClick={() => void remove(p)}>
                  删除
                </Text>
              )}
            </View>
          ))}
        </View>
      )}
      {list.status === 'ready' && list.items.length > 0 && <View className='list-footer'>{list.loadingMore ? '加载中…' : list.hasMore ? '上拉加载更多' : '没有更多了'}</View>}
    </AppShell>
  );
}
