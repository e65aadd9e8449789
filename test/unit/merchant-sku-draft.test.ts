/**
 * The product editor's 规格 draft (src/packages/merchant/skuTable.ts): combinations in option order, values typed
 * several at once, a loaded product's table, and what a save sends — each SKU's stock only when changed from the
 * loaded one (a renamed option makes new combinations, which need theirs), problems by row or on the options.
 */
import type { MerchantProductView } from '../../types/api';
import type { Fen } from '../../types/money';
import { checkSkuDraft, combinations, rowKey, skuDraftOf, splitValues, type SkuDraft } from '../../src/packages/merchant/skuTable';

const options = [
  { name: '颜色', values: ['红', '蓝'] },
  { name: '尺码', values: ['M', 'L'] },
];
const sku = (c: string, size: string, priceFen: number, stockQty: number) => ({ skuId: `s-${c}${size}`, spec: { 颜色: c, 尺码: size }, priceFen: priceFen as Fen, stockQty });
const loaded: MerchantProductView = {
  id: 'p1',
  title: 'T恤',
  description: '',
  images: [],
  priceFen: 3900 as Fen,
  stock: 10,
  onSale: true,
  sort: 0,
  archived: false,
  options,
  skus: [sku('红', 'M', 3900, 4), sku('红', 'L', 4100, 3), sku('蓝', 'M', 3900, 0), sku('蓝', 'L', 4100, 3)],
  updatedAt: '',
  rev: 1,
};

describe('combinations and typed values', () => {
  it('every combination, the first option varying slowest; none without options', () => {
    expect(combinations(options)).toEqual([['红', 'M'], ['红', 'L'], ['蓝', 'M'], ['蓝', 'L']]);
    expect(combinations([])).toEqual([]);
  });

  it.each([
    ['红，蓝', ['红', '蓝']],
    ['红,蓝、绿', ['红', '蓝', '绿']],
    [' M  L ', ['M', 'L']],
    ['，，', []],
  ])('splitValues(%j)', (text, values) => expect(splitValues(text)).toEqual(values));
});

describe('checkSkuDraft', () => {
  const draft = skuDraftOf(loaded);

  it('a loaded product opens as 多规格 with its prices and stocks; 单规格 without SKUs', () => {
    expect(draft.multi).toBe(true);
    expect(draft.rows[rowKey(['红', 'L'])]).toEqual({ price: '41', stock: '3' });
    expect(skuDraftOf({ ...loaded, options: [], skus: [] })).toEqual({ multi: false, options: [], rows: {} });
    expect(skuDraftOf(null).multi).toBe(false);
  });

  it('unchanged: every SKU with its price and no stock; the lowest price', () => {
    const v = checkSkuDraft(draft, loaded);
    expect(v).toEqual({ options, skus: loaded.skus!.map(({ spec, priceFen }) => ({ spec, priceFen })), lowestFen: 3900 });
  });

  it('a changed stock is sent for that SKU only (0 included); a stock typed back to the loaded number is not', () => {
    const rows = { ...draft.rows, [rowKey(['红', 'M'])]: { price: '39', stock: '0' }, [rowKey(['蓝', 'L'])]: { price: '45.5', stock: '3' } };
    const v = checkSkuDraft({ ...draft, rows }, loaded);
    expect('skus' in v && v.skus.map((s) => s.stockQty)).toEqual([0, undefined, undefined, undefined]);
    expect('skus' in v && v.skus[3].priceFen).toBe(4550);
  });

  it('a renamed option makes every combination new: each sends its stock', () => {
    const v = checkSkuDraft({ ...draft, options: [{ name: '色彩', values: ['红', '蓝'] }, options[1]] }, loaded);
    expect('skus' in v && v.skus.map((s) => [s.spec, s.stockQty])).toEqual([
      [{ 色彩: '红', 尺码: 'M' }, 4],
      [{ 色彩: '红', 尺码: 'L' }, 3],
      [{ 色彩: '蓝', 尺码: 'M' }, 0],
      [{ 色彩: '蓝', 尺码: 'L' }, 3],
    ]);
  });

  it.each<[string, Partial<SkuDraft>, { options?: string; rows?: Record<string, string> }]>([
    ['an option without a name', { options: [{ name: ' ', values: ['红'] }] }, { options: '请填写规格名称，如：颜色' }],
    ['the same name twice', { options: [options[0], { name: '颜色', values: ['M'] }] }, { options: '规格名称「颜色」重复' }],
    ['an option without values', { options: [options[0], { name: '尺码', values: [] }] }, { options: '请给「尺码」添加至少一个规格值' }],
    ['no option at all', { options: [] }, { options: '请填写 1–2 种规格（如颜色、尺码）' }],
    ['a row priced 0 and a new row without stock', { options: [options[0], { name: '尺码', values: ['M', 'L', 'XL'] }], rows: { ...skuDraftOf(loaded).rows, [rowKey(['红', 'M'])]: { price: '0', stock: '4' }, [rowKey(['红', 'XL'])]: { price: '40', stock: '' }, [rowKey(['蓝', 'XL'])]: { price: '40', stock: '2' } } }, { rows: { [rowKey(['红', 'M'])]: '价格请填写大于 0 的金额，最多两位小数', [rowKey(['红', 'XL'])]: '请填写库存' } }],
    ['a stock that is not a whole number', { rows: { ...skuDraftOf(loaded).rows, [rowKey(['蓝', 'M'])]: { price: '39', stock: '1.5' } } }, { rows: { [rowKey(['蓝', 'M'])]: '库存请填写整数' } }],
  ])('refuses %s, next to the field', (_name, patch, problems) => {
    expect(checkSkuDraft({ ...draft, ...patch }, loaded)).toEqual({ problems: { rows: {}, ...problems } });
  });
});
