/**
 * 规格 / SKU rules as tables (domain/productSkus): which SKU a line buys, the default SKU of a product without options
 * (legacy products), the merchant's SKU table checks, stable ids, spec text, '起' prices, and line merging per SKU.
 */
import { checkSkuTable, DEFAULT_SKU_ID, pricesVary, resolveSku, skuIdFor, skusOf, specText } from '../../cloudfunctions/domain/productSkus';
import { normalizeLines } from '../../cloudfunctions/domain/shopPricing';
import type { ProductSku } from '../../types/models';
import type { Fen } from '../../types/money';

const f = (n: number) => n as Fen;
const color = { name: '颜色', values: ['红', '蓝'] };
const size = { name: '尺码', values: ['M', 'L'] };
const sku = (skuId: string, c: string, priceFen: number, stockQty: number): ProductSku => ({ skuId, spec: { 颜色: c }, priceFen: f(priceFen), stockQty });
const legacy = { priceFen: f(2500), stock: 7 };
const multi = { priceFen: f(3900), stock: 5, options: [color], skus: [sku('sR', '红', 3900, 2), sku('sB', '蓝', 4900, 3)] };
const single = { priceFen: f(3900), stock: 2, options: [{ name: '颜色', values: ['红'] }], skus: [sku('sR', '红', 3900, 2)] };

describe('resolveSku', () => {
  it.each([
    ['legacy, no skuId', legacy, undefined, { ok: true, skuId: DEFAULT_SKU_ID, priceFen: 2500, stockQty: 7 }],
    ['legacy, default', legacy, 'default', { ok: true, skuId: DEFAULT_SKU_ID, priceFen: 2500, stockQty: 7 }],
    ['legacy, another id', legacy, 'sR', { ok: false, reason: 'SKU_NOT_FOUND' }],
    ['empty skus is legacy', { ...legacy, skus: [] }, undefined, { ok: true, skuId: DEFAULT_SKU_ID, priceFen: 2500, stockQty: 7 }],
    ['multi, no skuId', multi, undefined, { ok: false, reason: 'SKU_REQUIRED' }],
    ['multi, 蓝', multi, 'sB', { ok: true, skuId: 'sB', priceFen: 4900, stockQty: 3 }],
    ['multi, unknown', multi, 'sX', { ok: false, reason: 'SKU_NOT_FOUND' }],
    ['multi, default is not a SKU there', multi, 'default', { ok: false, reason: 'SKU_NOT_FOUND' }],
    ['one SKU with options, no skuId (old client)', single, undefined, { ok: true, skuId: 'sR', priceFen: 3900, stockQty: 2 }],
  ])('%s', (_name, product, skuId, expected) => {
    const v = resolveSku(product, skuId);
    if (!expected.ok) return expect(v).toEqual(expected);
    expect(v.ok && { ok: true, skuId: v.sku.skuId, priceFen: v.sku.priceFen, stockQty: v.sku.stockQty }).toEqual(expected);
  });

  it('skusOf presents a legacy product as one SKU carrying its price and stock', () => {
    expect(skusOf(legacy)).toEqual([{ skuId: 'default', spec: {}, priceFen: 2500, stockQty: 7 }]);
    expect(skusOf(multi)).toBe(multi.skus);
  });
});

describe('checkSkuTable', () => {
  const full = [
    { spec: { 颜色: '红', 尺码: 'M' }, priceFen: 3900, stockQty: 1 },
    { spec: { 颜色: '红', 尺码: 'L' }, priceFen: 4100, stockQty: 2 },
    { spec: { 颜色: '蓝', 尺码: 'M' }, priceFen: 3900, stockQty: 3 },
    { spec: { 颜色: '蓝', 尺码: 'L' }, priceFen: 4100, stockQty: 0 },
  ];

  it('accepts every combination in any order, answers them in option order with the lowest price and the summed stock', () => {
    const v = checkSkuTable([color, size], [...full].reverse());
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.skus.map((s) => specText(s.spec, v.options))).toEqual(['红 / M', '红 / L', '蓝 / M', '蓝 / L']);
    expect(v.priceFen).toBe(3900);
    expect(v.stock).toBe(6);
    expect(new Set(v.skus.map((s) => s.skuId)).size).toBe(4);
  });

  it.each([
    ['no options', [], full, '规格最多 2 种'],
    ['three options', [color, size, { name: '款式', values: ['A'] }], full, '规格最多 2 种'],
    ['an empty option name', [{ name: ' ', values: ['红'] }], [{ spec: { ' ': '红' }, priceFen: 1, stockQty: 1 }], '规格名称须为'],
    ['the same name twice', [color, { name: '颜色', values: ['M'] }], full, '重复'],
    ['no values', [{ name: '颜色', values: [] }], [], '须有 1–20 个规格值'],
    ['a value twice', [{ name: '颜色', values: ['红', '红'] }], [], '规格值重复'],
    ['a combination missing', [color, size], full.slice(0, 3), '规格组合应有 4 个，实际 3 个'],
    ['a combination twice', [color, size], [full[0], full[0], full[2], full[3]], '重复'],
    ['a value not in the options', [color, size], [{ ...full[0], spec: { 颜色: '绿', 尺码: 'M' } }, full[1], full[2], full[3]], '不一致'],
    ['a price of 0', [color, size], [{ ...full[0], priceFen: 0 }, full[1], full[2], full[3]], '「红 / M」的价格不正确'],
    ['a price in yuan with decimals', [color, size], [{ ...full[0], priceFen: 39.5 }, full[1], full[2], full[3]], '价格不正确'],
    ['a negative stock', [color, size], [full[0], { ...full[1], stockQty: -1 }, full[2], full[3]], '「红 / L」的库存不正确'],
  ])('refuses %s', (_name, options, skus, message) => {
    const v = checkSkuTable(options, skus);
    expect(v.ok).toBe(false);
    expect(!v.ok && v.message).toContain(message);
  });

  describe('a SKU sent without stockQty keeps the stored stock of its combination', () => {
    const stored = checkSkuTable([color, size], full);
    if (!stored.ok) throw new Error('fixture');
    // As stored now: an order has reserved 1 of 红 / M and 2 of 红 / L meanwhile.
    const current = stored.skus.map((k) => ({ ...k, stockQty: k.stockQty === 1 ? 0 : k.stockQty === 2 ? 0 : k.stockQty }));
    const omit = ({ stockQty: _s, ...rest }: (typeof full)[number]) => rest;

    it.each([
      ['every stock omitted: all as stored now, summed', full.map(omit), [0, 0, 3, 0], 3],
      ['one changed, the rest omitted', [omit(full[0]), { ...full[1], stockQty: 9 }, omit(full[2]), omit(full[3])], [0, 9, 3, 0], 12],
      ['a stock of 0 sent is 0, not "keep"', [omit(full[0]), omit(full[1]), { ...full[2], stockQty: 0 }, omit(full[3])], [0, 0, 0, 0], 0],
    ])('%s', (_name, skus, stocks, total) => {
      const v = checkSkuTable([color, size], skus, current);
      expect(v.ok && v.skus.map((k) => k.stockQty)).toEqual(stocks);
      expect(v.ok && v.stock).toBe(total);
      expect(v.ok && v.skus.map((k) => k.skuId)).toEqual(current.map((k) => k.skuId));
    });

    it.each([
      ['a new value (绿) without stock', [color.name, ['红', '蓝', '绿']], '「绿 / M」请填写库存'],
      ['a renamed option: every combination is new', ['色彩', ['红', '蓝']], '「红 / M」请填写库存'],
    ])('refuses %s', (_name, [name, values], message) => {
      const opts = [{ name: name as string, values: values as string[] }, size];
      const combos = (values as string[]).flatMap((c) => size.values.map((sz) => ({ spec: { [name as string]: c, 尺码: sz }, priceFen: 100 })));
      const v = checkSkuTable(opts, combos, current);
      expect(v).toEqual({ ok: false, message });
    });

    it('without a stored product (a new one) every combination needs a stock', () => {
      expect(checkSkuTable([color], [{ spec: { 颜色: '红' }, priceFen: 100, stockQty: 1 }, { spec: { 颜色: '蓝' }, priceFen: 100 }])).toEqual({ ok: false, message: '「蓝」请填写库存' });
    });
  });
});

describe('ids, text and prices', () => {
  it('a SKU id depends on the spec only, so re-saving keeps it, and different specs differ', () => {
    expect(skuIdFor({ 颜色: '红', 尺码: 'M' }, [color, size])).toBe(skuIdFor({ 尺码: 'M', 颜色: '红' }, [color, size]));
    expect(skuIdFor({ 颜色: '红', 尺码: 'M' }, [color, size])).not.toBe(skuIdFor({ 颜色: '红', 尺码: 'L' }, [color, size]));
    expect(skuIdFor({ 颜色: '红' }, [color])).toMatch(/^s[0-9a-f]{8}$/);
  });

  it('spec text follows option order; the default SKU has none', () => {
    expect(specText({ 尺码: 'M', 颜色: '红' }, [color, size])).toBe('红 / M');
    expect(specText({}, undefined)).toBe('');
  });

  it('"起" only when SKU prices differ', () => {
    expect(pricesVary(multi)).toBe(true);
    expect(pricesVary({ skus: [sku('a', '红', 100, 1), sku('b', '蓝', 100, 1)] })).toBe(false);
    expect(pricesVary(legacy as never)).toBe(false);
  });
});

describe('normalizeLines per SKU', () => {
  it('two SKUs of one product are two lines; the same SKU twice is one', () => {
    const v = normalizeLines([
      { productId: 'p', skuId: 'a', quantity: 1 },
      { productId: 'p', skuId: 'b', quantity: 2 },
      { productId: 'p', skuId: 'a', quantity: 3 },
    ]);
    expect(v).toEqual({ ok: true, lines: [{ productId: 'p', skuId: 'a', quantity: 4 }, { productId: 'p', skuId: 'b', quantity: 2 }] });
  });

  it('the same SKU past 99 in total is refused', () => {
    expect(normalizeLines([{ productId: 'p', skuId: 'a', quantity: 60 }, { productId: 'p', skuId: 'a', quantity: 40 }])).toEqual({ ok: false, reason: 'QUANTITY_INVALID' });
  });
});
