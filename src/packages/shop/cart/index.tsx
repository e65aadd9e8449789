/** 购物车: the server-side cart; change quantities, remove, pick lines and go to checkout. */
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useRef, useState } from 'react';
import type { CartLine, CartView } from '../../../../types/api';
import { formatFen } from '../../../../types/money';
import AppShell from '../../../components/AppShell';
import { Empty, ErrorState, Loading } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import { callFunction, errorMessage } from '../../../services/cloud';
import { productPath } from '../../../services/share';
import ProductImage from '../../../components/ProductImage';
import './index.css';
import '../shop.css';

const MAX_QUANTITY = 99;

/** A line is one SKU of a product; lines from before SKUs name none (the product's one SKU). */
const lineKey = (line: CartLine) => `${line.productId}:${line.skuId ?? ''}`;
/** The SKU to name in a request: none for a product's one default SKU (the server takes it). */
const skuOf = (line: CartLine) => (line.skuId && line.skuId !== 'default' ? { skuId: line.skuId } : {});

export default function CartPage() {
  const cart = useRemote(() => callFunction('shop', 'getCart', {}), []);
  const [unselected, setUnselected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const shown = useRef(false);

  useDidShow(() => {
    if (shown.current) void cart.refresh();
    shown.current = true;
  });

  const change = async (task: () => Promise<CartView>) => {
    if (busy) return;
    setBusy(true);
    try {
      cart.set(await task());
    } catch (err) {
      void Taro.showToast({ title: errorMessage(err), icon: 'none' });
    } finally {
      setBusy(false);
    }
  };
  const setQuantity = (line: CartLine, quantity: number) => {
    if (quantity < 1 || quantity > Math.min(MAX_QUANTITY, Math.max(line.stock, 1))) return;
    void change(() => callFunction('shop', 'setCartQuantity', { productId: line.productId, ...skuOf(line), quantity }));
  };
  const remove = async (line: CartLine) => {
    const { confirm } = await Taro.showModal({ title: '删除商品', content: `从购物车删除「${line.title}${line.spec ? `（${line.spec}）` : ''}」？` });
    const sku = skuOf(line);
    const which = sku.skuId ? { lines: [{ productId: line.productId, skuId: sku.skuId }] } : { productIds: [line.productId] };
    if (confirm) void change(() => callFunction('shop', 'removeFromCart', which));
  };

  if (cart.state.status === 'loading') return <AppShell className='cart-page'><Loading /></AppShell>;
  if (cart.state.status === 'error') {
    return (
      <AppShell className='cart-page'>
        <ErrorState message={cart.state.error} onRetry={() => void cart.reload()} />
      </AppShell>
    );
  }
  const { items } = cart.state.data;
  if (items.length === 0) {
    return (
      <AppShell className='cart-page'>
        <Empty text='购物车是空的'>
          <View className='primary-button' onClick={() => void Taro.switchTab({ url: '/pages/index/index' })}>
            去逛逛
          </View>
        </Empty>
      </AppShell>
    );
  }

  const selected = items.filter((line) => line.available && !unselected.has(lineKey(line)));
  const totalFen = selected.reduce((sum, line) => sum + line.priceFen * line.quantity, 0);
  const toggle = (line: CartLine) => {
    if (!line.available) return;
    const next = new Set(unselected);
    if (next.has(lineKey(line))) next.delete(lineKey(line));
    else next.add(lineKey(line));
    setUnselected(next);
  };
  const checkout = () => {
    if (selected.length === 0) return;
    const spec = selected.map((line) => `${line.productId}:${line.quantity}${skuOf(line).skuId ? `:${line.skuId}` : ''}`).join(',');
    void Taro.navigateTo({ url: `/packages/shop/checkout/index?items=${encodeURIComponent(spec)}&fromCart=1` });
  };

  return (
    <AppShell className='cart-page'>
      {items.map((line) => {
        const checked = line.available && !unselected.has(lineKey(line));
        return (
          <View key={lineKey(line)} className={`card cart-line${line.available ? '' : ' cart-line--unavailable'}`}>
            <View className={`check${checked ? ' check--on' : ''}`} onClick={() => toggle(line)}>
              {checked ? '✓' : ''}
            </View>
            <ProductImage className='cart-line__image' src={line.image} onClick={() => void Taro.navigateTo({ url: productPath(line.productId) })} />
            <View className='cart-line__body'>
              <Text className='cart-line__title'>{line.title}</Text>
              {line.spec && <Text className='item-spec cart-line__spec'>{line.spec}</Text>}
              {!line.available && <Text className='muted cart-line__gone'>已失效（下架或售罄）</Text>}
              <View className='row cart-line__row'>
                <Text className='price cart-line__price'>{formatFen(line.priceFen)}</Text>
                <View className='stepper'>
                  <Text className='stepper__minus' onClick={() => setQuantity(line, line.quantity - 1)}>
                    −
                  </Text>
                  <Text className='stepper__value'>{line.quantity}</Text>
                  <Text className='stepper__plus' onClick={() => setQuantity(line, line.quantity + 1)}>
                    ＋
                  </Text>
                </View>
              </View>
              <Text className='muted cart-line__remove' onClick={() => void remove(line)}>
                删除
              </Text>
            </View>
          </View>
        );
      })}
      <View className='bottom-bar'>
        <View className='bottom-bar__total'>
          <Text>合计 </Text>
          <Text className='price cart-total'>{formatFen(totalFen)}</Text>
          <Text className='muted'>（以结算页为准）</Text>
        </View>
        <View className={`primary-button cart-checkout${selected.length ? '' : ' primary-button--disabled'}`} onClick={checkout}>
          去结算({selected.reduce((n, line) => n + line.quantity, 0)})
        </View>
      </View>
    </AppShell>
  );
}
