/**
 * 商品详情: images, price, the full rebate, assist, 阶梯预售 and 拼团 rules, then 加入购物车 / 立即购买 / 发起助力 / 发起拼团 /
 * share / poster. A product with 规格 asks for the SKU (and quantity) in the 选择规格 sheet before it buys a line.
 */
import { Text, View } from '@tarojs/components';
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { SkuView } from '../../../../types/api';
import { formatFen, type Fen } from '../../../../types/money';
import AppShell from '../../../components/AppShell';
import { ErrorState, Loading, goHome } from '../../../components/PageState';
import RulesCard from '../../../components/RulesCard';
import ShareButton from '../../../components/ShareButton';
import { useRemote } from '../../../hooks/useRemote';
import { callFunction, errorMessage } from '../../../services/cloud';
import { getMe, type Me } from '../../../services/session';
import { assistPath, groupCheckoutPath, groupPath, productShare } from '../../../services/share';
import GroupSection from './GroupSection';
import PresaleSection from './PresaleSection';
import SkuSheet from '../components/SkuSheet';
import ProductImage from '../../../components/ProductImage';
import './index.css';

type SheetFor = 'cart' | 'buy' | 'group';
const SHEET_CONFIRM: Record<SheetFor, string> = { cart: '加入购物车', buy: '立即购买', group: '发起拼团' };

/** One checkout line as the checkout page reads it: `productId:quantity`, then `:skuId` for a product with 规格. */
const checkoutItem = (productId: string, quantity: number, skuId?: string) => `${productId}:${quantity}${skuId ? `:${skuId}` : ''}`;

export default function ProductPage() {
  const { params } = useRouter();
  const productId = params.id ?? '';
  const product = useRemote(() => callFunction('shop', 'getProduct', { productId }), [productId]);
  const [me, setMe] = useState<Me | null>(null);
  const [busy, setBusy] = useState('');
  // The 选择规格 sheet, open for the path that asked for it.
  const [choosing, setChoosing] = useState<SheetFor | null>(null);
  const [groupPriceFen, setGroupPriceFen] = useState<Fen | null>(null);

  useEffect(() => {
    getMe().then(setMe, () => undefined);
  }, []);

  const shareTo = productShare(productId, me?.inviteCode);
  useShareAppMessage(() => {
    const p = product.state.data;
    return { title: p ? `推荐一个好物：${p.title}` : '推三返一', path: shareTo, imageUrl: p?.images[0] ?? p?.image };
  });

  if (product.state.status === 'loading') return <AppShell className='product-page'><Loading /></AppShell>;
  if (product.state.status === 'error') {
    return (
      <AppShell className='product-page'>
        <ErrorState message={product.state.error} onRetry={() => void product.reload()} />
      </AppShell>
    );
  }

  const p = product.state.data;
  const rebates = p.rules.rebate;
  const assist = p.rules.assist;
  const soldOut = p.stock <= 0;
  const buyable = p.onSale && !soldOut;
  const images = p.images.length > 0 ? p.images : [p.image];

  const run = async (what: string, task: () => Promise<void>) => {
    if (busy) return;
    setBusy(what);
    try {
      await task();
    } catch (err) {
      void Taro.showToast({ title: errorMessage(err), icon: 'none' });
    } finally {
      setBusy('');
    }
  };

  const hasOptions = (p.options?.length ?? 0) > 0;
  // Without 规格 the server takes the product's one SKU: no skuId is sent, as before.
  const addToCart = (sku?: SkuView, quantity = 1) =>
    run('cart', async () => {
      await callFunction('shop', 'addToCart', sku ? { productId, skuId: sku.skuId, quantity } : { productId, quantity });
      setChoosing(null);
      void Taro.showToast({ title: '已加入购物车', icon: 'success' });
    });
  const buyNow = (sku?: SkuView, quantity = 1) => {
    setChoosing(null);
    void Taro.navigateTo({ url: `/packages/shop/checkout/index?items=${encodeURIComponent(checkoutItem(productId, quantity, sku?.skuId))}` });
  };
  const openGroup = (sku?: SkuView) => {
    setChoosing(null);
    void Taro.navigateTo({ url: groupCheckoutPath(productId, undefined, sku?.skuId) });
  };
  /** A buying path: straight on for a product without 规格, through the sheet for one with. */
  const buying = (path: SheetFor, go: () => void) => () => {
    if (!buyable) return;
    if (hasOptions) setChoosing(path);
    else go();
  };
  const startAssist = () =>
    run('assist', async () => {
      const task = await callFunction('assist', 'start', { productId });
      await Taro.navigateTo({ url: assistPath(task.taskId) });
    });
  const poster = () => void Taro.navigateTo({ url: `/packages/profile/poster/index?productId=${encodeURIComponent(productId)}` });

  return (
    <AppShell className='product-page'>
      <ProductImage className='product-page__hero' src={images[0]} />
      <View className='card product-page__summary'>
        <View className='row'>
          <Text className='price product-page__price'>{formatFen(p.priceFen)}{p.priceVaries ? ' 起' : ''}</Text>
          <Text className='muted product-page__stock'>{!p.onSale ? '已下架' : soldOut ? '售罄' : `库存 ${p.stock}`}</Text>
        </View>
        <Text className='product-page__title'>{p.title}</Text>
        {(rebates.length > 0 || assist) && (
          <View className='product-page__badges'>
            {rebates.length > 0 && <Text className='badge badge--rebate'>返利</Text>}
            {assist && <Text className='badge badge--assist'>助力价 {assist.success.kind === 'price' ? formatFen(assist.success.priceFen) : '得券'}</Text>}
          </View>
        )}
        <View className='product-page__share-row'>
          <ShareButton path={shareTo} className='ghost-button product-page__share' />
          <View className='ghost-button product-page__poster' onClick={poster}>
            生成海报
          </View>
        </View>
      </View>

      {assist && (
        <RulesCard title='助力规则' summary={assist.summary} lines={assist.details} className='product-page__assist-rules'>
          <View className={`primary-button product-page__start-assist${buyable ? '' : ' primary-button--disabled'}`} onClick={() => buyable && startAssist()}>
            {busy === 'assist' ? '正在发起…' : '发起助力'}
          </View>
        </RulesCard>
      )}
      <PresaleSection productId={productId} />
      <GroupSection productId={productId} buyable={buyable} onOpen={(priceFen) => { setGroupPriceFen(priceFen); buying('group', () => openGroup())(); }} onView={(id) => void Taro.navigateTo({ url: groupPath(id) })} />
      {rebates.map((rule) => (
        <RulesCard key={rule.id} title={`返利规则：${rule.name}`} summary={rule.summary} lines={rule.details} className='product-page__rebate-rules' />
      ))}

      <View className='card product-page__description'>
        <Text className='card__title'>商品介绍</Text>
        <Text className='product-page__text'>{p.description}</Text>
        {images.slice(1).map((src) => (
          <ProductImage key={src} className='product-page__image' src={src} mode='widthFix' />
        ))}
      </View>

      <View className='action-bar'>
        <View className='action-bar__home' onClick={goHome}>
          首页
        </View>
        <View className='action-bar__cart' onClick={() => void Taro.navigateTo({ url: '/packages/shop/cart/index' })}>
          购物车
        </View>
        <View className={`action-bar__add${buyable ? '' : ' action-bar--disabled'}`} onClick={buying('cart', () => void addToCart())}>
          {busy === 'cart' ? '加入中…' : '加入购物车'}
        </View>
        <View className={`action-bar__buy${buyable ? '' : ' action-bar--disabled'}`} onClick={buying('buy', () => buyNow())}>
          {buyable ? '立即购买' : p.onSale ? '已售罄' : '已下架'}
        </View>
      </View>
      {choosing && (
        <SkuSheet
          product={p}
          confirmText={SHEET_CONFIRM[choosing]}
          fixedQuantity={choosing === 'group' ? 1 : undefined}
          fixedPriceFen={choosing === 'group' ? (groupPriceFen ?? undefined) : undefined}
          busy={busy === 'cart'}
          onClose={() => setChoosing(null)}
          onConfirm={(sku, quantity) => (choosing === 'cart' ? void addToCart(sku, quantity) : choosing === 'buy' ? buyNow(sku, quantity) : openGroup(sku))}
        />
      )}
    </AppShell>
  );
}
