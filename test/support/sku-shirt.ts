/** A product with 规格 for the 选择规格 tests: 颜色 红/蓝 × 尺码 M/L, 蓝/L sold out (ui and e2e). */
import { skuIdFor } from '../../cloudfunctions/domain/productSkus';
import type { ProductOption } from '../../types/models';

export const SHIRT_ID = 'p-shirt';
export const SHIRT_OPTIONS: ProductOption[] = [
  { name: '颜色', values: ['红', '蓝'] },
  { name: '尺码', values: ['M', 'L'] },
];
const sku = (颜色: string, 尺码: string, priceFen: number, stockQty: number) => ({ skuId: skuIdFor({ 颜色, 尺码 }, SHIRT_OPTIONS), spec: { 颜色, 尺码 }, priceFen, stockQty });
/** 红/M ¥39 ×5, 红/L ¥42 ×4, 蓝/M ¥39 ×3, 蓝/L ¥45 ×0. */
export const SHIRT_SKUS = [sku('红', 'M', 3900, 5), sku('红', 'L', 4200, 4), sku('蓝', 'M', 3900, 3), sku('蓝', 'L', 4500, 0)];

/** Stores the product (lowest price, summed stock, as the merchant's save keeps them). */
export async function seedShirt(db: { collection(name: string): { add(doc: object): Promise<unknown> } }): Promise<void> {
  const at = new Date('2026-11-01T00:00:00.000Z');
  await db.collection('products').add({
    _id: SHIRT_ID,
    title: '纯棉短袖 T 恤',
    description: '100% 棉。',
    images: ['/assets/demo/p-cup.svg'],
    priceFen: 3900,
    stock: 12,
    options: SHIRT_OPTIONS,
    skus: SHIRT_SKUS,
    onSale: true,
    sort: 1,
    createdAt: at,
    updatedAt: at,
  });
}
