/** The 选择规格 sheet's rules (src/packages/shop/components/skuChoice.ts): open values, the SKU of a full choice, toggling. */
import { missingOptions, skuFor, toggleValue, valueOpen } from '../../src/packages/shop/components/skuChoice';
import type { SkuView } from '../../types/api';
import { fen } from '../../types/money';

const OPTIONS = [
  { name: '颜色', values: ['红', '蓝'] },
  { name: '尺码', values: ['M', 'L'] },
];
const sku = (颜色: string, 尺码: string, stock: number): SkuView => ({ skuId: `${颜色}${尺码}`, spec: { 颜色, 尺码 }, specText: `${颜色} / ${尺码}`, priceFen: fen(39), stock });
const SKUS = [sku('红', 'M', 5), sku('红', 'L', 4), sku('蓝', 'M', 3), sku('蓝', 'L', 0)];

test.each([
  [{}, '尺码', 'L', true], // 红/L is in stock
  [{ 颜色: '蓝' }, '尺码', 'L', false], // only 蓝/L, sold out
  [{ 颜色: '蓝' }, '尺码', 'M', true],
  [{ 尺码: 'L' }, '颜色', '蓝', false],
  [{ 尺码: 'L' }, '颜色', '红', true],
  // the option's own value does not restrict it: 红 can replace 蓝
  [{ 颜色: '蓝', 尺码: 'M' }, '颜色', '红', true],
])('with %j picked, %s %s open: %s', (choice, option, value, open) => {
  expect(valueOpen(SKUS, choice, option, value)).toBe(open);
});

test('every value sold out: nothing is open', () => {
  const gone = SKUS.map((s) => ({ ...s, stock: 0 }));
  expect(OPTIONS.flatMap((o) => o.values.map((v) => valueOpen(gone, {}, o.name, v)))).toEqual([false, false, false, false]);
});

test('the SKU once every option has a value, else null', () => {
  expect(skuFor(OPTIONS, SKUS, { 颜色: '红' })).toBeNull();
  expect(skuFor(OPTIONS, SKUS, { 颜色: '红', 尺码: 'M' })?.skuId).toBe('红M');
  expect(skuFor(OPTIONS, SKUS, { 颜色: '绿', 尺码: 'M' })).toBeNull();
});

test('picking a value again clears it, another replaces it; missing options in option order', () => {
  expect(toggleValue({ 颜色: '红' }, '颜色', '红')).toEqual({});
  expect(toggleValue({ 颜色: '红' }, '颜色', '蓝')).toEqual({ 颜色: '蓝' });
  expect(toggleValue({ 颜色: '红' }, '尺码', 'M')).toEqual({ 颜色: '红', 尺码: 'M' });
  expect(missingOptions(OPTIONS, {})).toEqual(['颜色', '尺码']);
  expect(missingOptions(OPTIONS, { 尺码: 'M' })).toEqual(['颜色']);
});
