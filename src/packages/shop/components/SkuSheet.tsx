/**
 * 选择规格: a row of value chips per option, the chosen SKU's price and 库存, a quantity stepper capped by that stock,
 * and the confirm button, enabled once every option has a value. Values that lead only to sold-out SKUs are disabled.
 */
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { ProductDetail, SkuView } from '../../../../types/api';
import { formatFen, type Fen } from '../../../../types/money';
import ProductImage from '../../../components/ProductImage';
import { missingOptions, skuFor, toggleValue, valueOpen, type SpecChoice } from './skuChoice';
import './SkuSheet.css';
import '../shop.css';

const MAX_QUANTITY = 99;

interface Props {
  product: ProductDetail;
  /** The confirm button's words: 加入购物车, 立即购买, 发起拼团. */
  confirmText: string;
  /** A fixed quantity (a 拼团 order buys one): no stepper. */
  fixedQuantity?: number;
  /** One price whatever the SKU (the 拼团 price): shown instead of the SKU's. */
  fixedPriceFen?: Fen;
  busy?: boolean;
  onConfirm(sku: SkuView, quantity: number): void;
  onClose(): void;
}

export default function SkuSheet({ product, confirmText, fixedQuantity, fixedPriceFen, busy = false, onConfirm, onClose }: Props) {
  const options = product.options ?? [];
  const skus = product.skus ?? [];
  const [choice, setChoice] = useState<SpecChoice>({});
  const [quantity, setQuantity] = useState(1);
  const sku = skuFor(options, skus, choice);
  const cap = Math.max(1, Math.min(MAX_QUANTITY, sku?.stock ?? MAX_QUANTITY));
  const qty = fixedQuantity ?? Math.min(quantity, cap);
  const missing = missingOptions(options, choice);
  const ready = !!sku && sku.stock >= qty && !busy;

  // From the latest choice: two quick taps must not both start from the same render's.
  const pick = (option: string, value: string) =>
    setChoice((c) => (c[option] === value || valueOpen(skus, c, option, value) ? toggleValue(c, option, value) : c));

  return (
    <View className='sheet-mask sku-sheet' catchMove onClick={onClose}>
      <View className='sheet sku-sheet__body' onClick={(e) => e.stopPropagation()}>
        <View className='sku-sheet__head'>
          <ProductImage className='sku-sheet__image' src={product.images[0] ?? product.image} />
          <View className='sku-sheet__summary'>
            <Text className='price sku-sheet__price'>
              {fixedPriceFen !== undefined ? formatFen(fixedPriceFen) : sku ? formatFen(sku.priceFen) : `${formatFen(product.priceFen)}${product.priceVaries ? ' 起' : ''}`}
            </Text>
            <Text className='muted sku-sheet__stock'>库存 {sku ? sku.stock : product.stock}</Text>
            <Text className='sku-sheet__chosen'>{sku ? `已选：${sku.specText}` : `请选择 ${missing.join(' / ')}`}</Text>
          </View>
          <Text className='sku-sheet__close' onClick={onClose}>
            ×
          </Text>
        </View>
        {options.map((o) => (
          <View key={o.name} className='sku-sheet__option'>
            <Text className='sku-sheet__option-name'>{o.name}</Text>
            <View className='sku-sheet__values'>
              {o.values.map((v) => {
                const on = choice[o.name] === v;
                const open = valueOpen(skus, choice, o.name, v);
                return (
                  <Text key={v} className={`sku-chip${on ? ' sku-chip--on' : ''}${open ? '' : ' sku-chip--off'}`} onClick={() => pick(o.name, v)}>
                    {v}
                  </Text>
                );
              })}
            </View>
          </View>
        ))}
        {fixedQuantity === undefined && (
          <View className='row sku-sheet__quantity'>
            <Text>数量</Text>
            <View className='stepper'>
              <Text className={`stepper__minus sku-sheet__minus${qty <= 1 ? ' stepper--off' : ''}`} onClick={() => qty > 1 && setQuantity(qty - 1)}>
                −
              </Text>
              <Text className='stepper__value sku-sheet__qty'>{qty}</Text>
              <Text className={`stepper__plus sku-sheet__plus${qty >= cap ? ' stepper--off' : ''}`} onClick={() => qty < cap && setQuantity(qty + 1)}>
                ＋
              </Text>
            </View>
          </View>
        )}
        <View className={`primary-button sku-sheet__confirm${ready ? '' : ' primary-button--disabled'}`} onClick={() => ready && sku && onConfirm(sku, qty)}>
          {busy ? '处理中…' : confirmText}
        </View>
      </View>
    </View>
  );
}
