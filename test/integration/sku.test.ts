/**
 * 规格 / SKUs through the real SDK on the local cloud: the merchant saves a product with options and a SKU table, the
 * shop shows the SKUs, the cart, quote and order are priced and stocked per SKU, a multi-SKU product bought without a
 * SKU is refused, 100 buyers pressing for the 5 units of one SKU get exactly 5 while the other SKU is untouched, a
 * refund gives its units back to the SKU it came from, and a product written before SKUs sells as its one SKU.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { ADDRESS, addProduct, call, consentingShopper, MERCHANT, ok, orderDoc, payOrder, snapshot, SHOP_COLLECTIONS, stockOf, uniq } from './shop-support';

let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(() => t.close());

const m = (action: string, payload: Record<string, unknown> = {}) => call(t, MERCHANT, action, payload, 'merchant');
const productDoc = async (id: string) => (await t.db.collection('products').doc(id).get()).data[0];
const skuStock = async (id: string) => Object.fromEntries(((await productDoc(id)).skus as { spec: { 颜色: string }; stockQty: number }[]).map((s) => [s.spec.颜色, s.stockQty]));

/** A product with one option 颜色: 红 (¥39, stock red) and 蓝 (¥49, stock blue). */
async function twoSkuProduct(red: number, blue: number) {
  const res = await m('saveProduct', {
    title: uniq('双规格T恤'),
    description: '纯棉',
    images: ['/assets/demo/tee.svg'],
    priceFen: 1,
    onSale: true,
    options: [{ name: '颜色', values: ['红', '蓝'] }],
    skus: [
      { spec: { 颜色: '红' }, priceFen: 3900, stockQty: red },
      { spec: { 颜色: '蓝' }, priceFen: 4900, stockQty: blue },
    ],
  });
  expect(res.ok).toBe(true);
  const view = res.data;
  const sku = (color: string) => view.skus.find((s: any) => s.spec.颜色 === color).skuId as string;
  return { id: view.id as string, red: sku('红'), blue: sku('蓝'), view };
}

describe('saving a product with SKUs', () => {
  it('stores every SKU, the lowest price and the summed stock; the shop shows the SKUs and "起"', async () => {
    const { id, view } = await twoSkuProduct(5, 7);
    expect(view).toMatchObject({ priceFen: 3900, stock: 12, options: [{ name: '颜色', values: ['红', '蓝'] }] });
    expect(view.skus.map((s: any) => [s.spec.颜色, s.priceFen, s.stockQty])).toEqual([
      ['红', 3900, 5],
      ['蓝', 4900, 7],
    ]);
    const detail = await ok(t, 'buyer-sku-view', 'getProduct', { productId: id });
    expect(detail.priceVaries).toBe(true);
    expect(detail.skus.map((s: any) => [s.specText, s.priceFen, s.stock])).toEqual([
      ['红', 3900, 5],
      ['蓝', 4900, 7],
    ]);
  });

  it('keeps the SKU ids when the same table is saved again, and refuses a table that misses a combination', async () => {
    const { id, red, blue, view } = await twoSkuProduct(1, 1);
    const again = await ok(t, MERCHANT, 'saveProduct', { id, title: view.title, description: view.description, images: view.images, priceFen: view.priceFen, onSale: true, options: view.options, skus: view.skus.map((s: any) => ({ spec: s.spec, priceFen: s.priceFen, stockQty: s.stockQty + 1 })) }, 'merchant');
    expect(again.skus.map((s: any) => s.skuId)).toEqual([red, blue]);
    expect(again.stock).toBe(4);
    const before = await productDoc(id);
    const bad = await m('saveProduct', { id, title: view.title, description: '', images: view.images, priceFen: 1, onSale: true, options: [{ name: '颜色', values: ['红', '蓝'] }, { name: '尺码', values: ['M'] }], skus: [{ spec: { 颜色: '红', 尺码: 'M' }, priceFen: 100, stockQty: 1 }] });
    expect(bad).toMatchObject({ ok: false, code: 'PRODUCT_INVALID' });
    expect(bad.message).toContain('规格组合应有 2 个');
    expect(await productDoc(id)).toEqual(before);
  });
});

describe('saving the SKU table while orders reserve units', () => {
  const options = [
    { name: '颜色', values: ['红', '蓝'] },
    { name: '尺码', values: ['M', 'L'] },
  ];
  const specs = [
    { 颜色: '红', 尺码: 'M' },
    { 颜色: '红', 尺码: 'L' },
    { 颜色: '蓝', 尺码: 'M' },
    { 颜色: '蓝', 尺码: 'L' },
  ];
  const key = (spec: Record<string, string>) => `${spec.颜色}/${spec.尺码}`;
  const stocks = async (id: string) => Object.fromEntries(((await productDoc(id)).skus as { spec: Record<string, string>; stockQty: number }[]).map((s) => [key(s.spec), s.stockQty]));
  async function fourSkuProduct(stock: number[]) {
    const view = await ok(t, MERCHANT, 'saveProduct', { title: uniq('四规格T恤'), description: '', images: ['/assets/demo/tee.svg'], priceFen: 1, onSale: true, options, skus: specs.map((spec, i) => ({ spec, priceFen: 3900 + i * 100, stockQty: stock[i] })) }, 'merchant');
    const skuId = (k: string) => view.skus.find((s: any) => key(s.spec) === k).skuId as string;
    return { id: view.id as string, skuId };
  }
  /** The editor's save: every field as loaded, each SKU's price, and a stock only where `changed` says. */
  const saveAsLoaded = (view: any, changed: Record<string, number> = {}) =>
    m('saveProduct', {
      id: view.id,
      title: view.title,
      description: view.description,
      images: view.images,
      priceFen: view.priceFen,
      onSale: view.onSale,
      sort: view.sort,
      options: view.options,
      skus: view.skus.map((s: any) => ({ spec: s.spec, priceFen: s.priceFen, ...(key(s.spec) in changed ? { stockQty: changed[key(s.spec)] } : {}) })),
    });

  it('an order reserves 2 of 红/M while the form is open; saving with the unchanged stocks omitted keeps the reservation', async () => {
    const { id, skuId } = await fourSkuProduct([5, 4, 3, 2]);
    const view = await ok(t, MERCHANT, 'getProduct', { id }, 'merchant');
    const buyer = uniq('buyer-sku-edit');
    await consentingShopper(t, buyer);
    await ok(t, buyer, 'createOrder', { requestId: uniq('r'), items: [{ productId: id, skuId: skuId('红/M'), quantity: 2 }], address: ADDRESS });
    const afterOrder = await productDoc(id);
    const res = await saveAsLoaded(view, { '蓝/L': 7 });
    expect(res.ok).toBe(true);
    expect(await stocks(id)).toEqual({ '红/M': 3, '红/L': 4, '蓝/M': 3, '蓝/L': 7 });
    expect(res.data.stock).toBe(17);
    const stored = await productDoc(id);
    expect(stored.skus.map((s: any) => s.skuId)).toEqual(afterOrder.skus.map((s: any) => s.skuId));
    expect(stored.stock).toBe(17);
  });

  it('a new combination without a stock is refused with its name, and nothing is written', async () => {
    const { id } = await fourSkuProduct([1, 1, 1, 1]);
    const view = await ok(t, MERCHANT, 'getProduct', { id }, 'merchant');
    const before = await productDoc(id);
    const wider = { ...view, options: [options[0], { name: '尺码', values: ['M', 'L', 'XL'] }], skus: [...view.skus, { spec: { 颜色: '红', 尺码: 'XL' }, priceFen: 100 }, { spec: { 颜色: '蓝', 尺码: 'XL' }, priceFen: 100 }] };
    const res = await saveAsLoaded(wider, { '蓝/XL': 2 });
    expect(res).toMatchObject({ ok: false, code: 'PRODUCT_INVALID' });
    expect(res.message).toContain('「红 / XL」请填写库存');
    expect(await productDoc(id)).toEqual(before);
  });

  it('two concurrent saves and 12 orders for the 6 units of 红/M: exactly 6 orders, 红/M at 0 never below, the other SKUs as saved', async () => {
    const { id, skuId } = await fourSkuProduct([6, 2, 2, 2]);
    const view = await ok(t, MERCHANT, 'getProduct', { id }, 'merchant');
    const buyers = Array.from({ length: 12 }, (_, i) => uniq(`skuedit${i}`));
    await Promise.all(buyers.map((b) => consentingShopper(t, b)));
    const [saveA, saveB, ...orders] = await Promise.all([
      saveAsLoaded(view, { '红/L': 8 }),
      saveAsLoaded(view, { '蓝/M': 9 }),
      ...buyers.map((b) => call(t, b, 'createOrder', { requestId: uniq('req'), items: [{ productId: id, skuId: skuId('红/M'), quantity: 1 }], address: ADDRESS })),
    ]);
    const won = orders.filter((r) => r.ok).length;
    expect(won).toBe(6);
    expect(new Set(orders.filter((r) => !r.ok).map((r) => r.code))).toEqual(new Set(['OUT_OF_STOCK']));
    // A save that lost every compare-and-set to the crowd says so (STOCK_CHANGED) and writes nothing.
    for (const r of [saveA, saveB]) expect(r.ok || r.code === 'STOCK_CHANGED').toBe(true);
    const s = await stocks(id);
    expect(s['红/M']).toBe(0);
    expect(s['红/L']).toBe(saveA.ok ? 8 : 2);
    expect(s['蓝/M']).toBe(saveB.ok ? 9 : 2);
    expect(s['蓝/L']).toBe(2);
    expect(await stockOf(t, id)).toBe(Object.values(s).reduce((a, b) => a + b, 0));
    const { total } = await t.db.collection('orders').where({ 'items.productId': id, 'items.skuId': skuId('红/M') }).count();
    expect(total).toBe(6);
  });
});

describe('buying one SKU', () => {
  it('a multi-SKU product needs a SKU (SKU_REQUIRED), an unknown SKU is SKU_NOT_FOUND; nothing is written', async () => {
    const { id } = await twoSkuProduct(3, 3);
    const buyer = uniq('buyer-sku');
    await consentingShopper(t, buyer);
    const before = await snapshot(t, SHOP_COLLECTIONS);
    expect(await call(t, buyer, 'createOrder', { requestId: uniq('r'), items: [{ productId: id, quantity: 1 }], address: ADDRESS })).toMatchObject({ ok: false, code: 'SKU_REQUIRED', message: '请先选择商品规格' });
    expect(await call(t, buyer, 'createOrder', { requestId: uniq('r'), items: [{ productId: id, skuId: 'nope', quantity: 1 }], address: ADDRESS })).toMatchObject({ ok: false, code: 'SKU_NOT_FOUND' });
    expect(await call(t, buyer, 'addToCart', { productId: id, quantity: 1 })).toMatchObject({ ok: false, code: 'SKU_REQUIRED' });
    expect(await call(t, buyer, 'quote', { items: [{ productId: id, quantity: 1 }] })).toMatchObject({ ok: false, code: 'SKU_REQUIRED' });
    expect(await snapshot(t, SHOP_COLLECTIONS)).toEqual(before);
  });

  it('cart, quote and order are priced per SKU and carry the spec; the cart keeps the other SKU after ordering one', async () => {
    const { id, red, blue } = await twoSkuProduct(5, 5);
    const buyer = uniq('buyer-sku');
    await consentingShopper(t, buyer);
    await ok(t, buyer, 'addToCart', { productId: id, skuId: red, quantity: 2 });
    const cart = await ok(t, buyer, 'addToCart', { productId: id, skuId: blue, quantity: 1 });
    expect(cart.items.map((l: any) => [l.spec, l.priceFen, l.quantity])).toEqual([
      ['红', 3900, 2],
      ['蓝', 4900, 1],
    ]);
    expect(cart.totalFen).toBe(2 * 3900 + 4900);
    const quote = await ok(t, buyer, 'quote', { items: [{ productId: id, skuId: blue, quantity: 2 }] });
    expect(quote.lines).toEqual([expect.objectContaining({ skuId: blue, spec: '蓝', unitPriceFen: 4900, subtotalFen: 9800 })]);
    const { order } = await ok(t, buyer, 'createOrder', { requestId: uniq('r'), items: [{ productId: id, skuId: red, quantity: 2 }], address: ADDRESS, fromCart: true });
    expect(order.items).toEqual([expect.objectContaining({ productId: id, skuId: red, spec: '红', unitPriceFen: 3900, subtotalFen: 7800, quantity: 2 })]);
    expect(await skuStock(id)).toEqual({ 红: 3, 蓝: 5 });
    expect(await stockOf(t, id)).toBe(8);
    const after = await ok(t, buyer, 'getCart');
    expect(after.items.map((l: any) => [l.skuId, l.quantity])).toEqual([[blue, 1]]);
  });

  it('100 buyers press for the 5 units of 红: exactly 5 orders, 红 at 0 never below, 蓝 untouched', async () => {
    const { id, red } = await twoSkuProduct(5, 9);
    const buyers = Array.from({ length: 100 }, (_, i) => uniq(`skucrowd${i}`));
    await Promise.all(buyers.map((b) => consentingShopper(t, b)));
    const results = await Promise.all(buyers.map((b) => call(t, b, 'createOrder', { requestId: uniq('req'), items: [{ productId: id, skuId: red, quantity: 1 }], address: ADDRESS })));
    const won = results.map((r, i) => ({ r, buyer: buyers[i] })).filter(({ r }) => r.ok);
    expect(won).toHaveLength(5);
    expect(new Set(results.filter((r) => !r.ok).map((r) => r.code))).toEqual(new Set(['OUT_OF_STOCK']));
    expect(results.find((r) => !r.ok)!.message).toContain('（红）');
    expect(await skuStock(id)).toEqual({ 红: 0, 蓝: 9 });
    expect(await stockOf(t, id)).toBe(9);
    await Promise.all(won.map(({ r, buyer }) => payOrder(t, buyer, r.data.order.id)));
    const { total } = await t.db.collection('orders').where({ 'items.skuId': red, status: 'paid' }).count();
    expect(total).toBe(5);
    expect(await skuStock(id)).toEqual({ 红: 0, 蓝: 9 });
  });

  it('a refund before shipping gives the units back to the SKU they came from, once', async () => {
    const { id, blue } = await twoSkuProduct(4, 4);
    const buyer = uniq('buyer-sku-refund');
    await consentingShopper(t, buyer);
    const { order } = await ok(t, buyer, 'createOrder', { requestId: uniq('r'), items: [{ productId: id, skuId: blue, quantity: 3 }], address: ADDRESS });
    await payOrder(t, buyer, order.id);
    expect(await skuStock(id)).toEqual({ 红: 4, 蓝: 1 });
    await ok(t, buyer, 'requestRefund', { orderId: order.id, reason: '拍错颜色' });
    // The merchant approves twice at once: one refund, the units back once.
    await Promise.all([m('reviewRefund', { orderId: order.id, approve: true }), m('reviewRefund', { orderId: order.id, approve: true })]);
    expect(await orderDoc(t, order.id)).toMatchObject({ status: 'refunded' });
    expect(await skuStock(id)).toEqual({ 红: 4, 蓝: 4 });
    expect(await stockOf(t, id)).toBe(8);
  });

  it('cancelling an unpaid order puts its units back on its SKU', async () => {
    const { id, red } = await twoSkuProduct(2, 2);
    const buyer = uniq('buyer-sku-cancel');
    await consentingShopper(t, buyer);
    const { order } = await ok(t, buyer, 'createOrder', { requestId: uniq('r'), items: [{ productId: id, skuId: red, quantity: 2 }], address: ADDRESS });
    expect(await skuStock(id)).toEqual({ 红: 0, 蓝: 2 });
    await ok(t, buyer, 'cancelOrder', { orderId: order.id });
    expect(await skuStock(id)).toEqual({ 红: 2, 蓝: 2 });
  });

  it('a SKU removed while orders hold its units: a cancel and a refund take 已售 back, the other SKU keeps its stock', async () => {
    const { id, blue, view } = await twoSkuProduct(3, 4);
    const unpaidBuyer = uniq('buyer-sku-gone-a');
    const paidBuyer = uniq('buyer-sku-gone-b');
    await consentingShopper(t, unpaidBuyer);
    await consentingShopper(t, paidBuyer);
    const unpaid = (await ok(t, unpaidBuyer, 'createOrder', { requestId: uniq('r'), items: [{ productId: id, skuId: blue, quantity: 2 }], address: ADDRESS })).order;
    const paid = (await ok(t, paidBuyer, 'createOrder', { requestId: uniq('r'), items: [{ productId: id, skuId: blue, quantity: 1 }], address: ADDRESS })).order;
    await payOrder(t, paidBuyer, paid.id);
    expect((await productDoc(id)).soldQty).toBe(3);
    // The merchant drops 蓝 from the table while both orders hold its units.
    await ok(t, MERCHANT, 'saveProduct', { id, title: view.title, description: view.description, images: view.images, priceFen: view.priceFen, onSale: true, options: [{ name: '颜色', values: ['红'] }], skus: [{ spec: { 颜色: '红' }, priceFen: 3900, stockQty: 3 }] }, 'merchant');
    expect(await skuStock(id)).toEqual({ 红: 3 });
    await ok(t, unpaidBuyer, 'cancelOrder', { orderId: unpaid.id });
    expect((await productDoc(id)).soldQty).toBe(1);
    await ok(t, paidBuyer, 'requestRefund', { orderId: paid.id, reason: '不要了' });
    await m('reviewRefund', { orderId: paid.id, approve: true });
    expect(await orderDoc(t, paid.id)).toMatchObject({ status: 'refunded' });
    const after = await productDoc(id);
    // Never sold, so not counted; the removed SKU's units had nowhere to go, and 红 is as saved.
    expect(after.soldQty).toBe(0);
    expect(await skuStock(id)).toEqual({ 红: 3 });
    expect(after.stock).toBe(3);
  });
});

describe('a product written before SKUs (legacy)', () => {
  it('reads as its one default SKU and sells to old clients (no skuId) and new ones (skuId default) alike', async () => {
    const p = await addProduct(t, { stock: 3, priceFen: 2500 });
    const detail = await ok(t, 'buyer-legacy', 'getProduct', { productId: p });
    expect(detail).toMatchObject({ options: [], skus: [{ skuId: 'default', spec: {}, specText: '', priceFen: 2500, stock: 3 }], priceVaries: false });
    const buyer = uniq('buyer-legacy');
    await consentingShopper(t, buyer);
    const a = await ok(t, buyer, 'createOrder', { requestId: uniq('r'), items: [{ productId: p, quantity: 1 }], address: ADDRESS });
    const b = await ok(t, buyer, 'createOrder', { requestId: uniq('r'), items: [{ productId: p, skuId: 'default', quantity: 2 }], address: ADDRESS });
    expect(a.order.items[0]).toMatchObject({ skuId: 'default', spec: '', unitPriceFen: 2500 });
    expect(b.order.items[0]).toMatchObject({ skuId: 'default', quantity: 2 });
    expect(await stockOf(t, p)).toBe(0);
    expect(await call(t, buyer, 'createOrder', { requestId: uniq('r'), items: [{ productId: p, quantity: 1 }], address: ADDRESS })).toMatchObject({ ok: false, code: 'OUT_OF_STOCK' });
    expect(await call(t, buyer, 'createOrder', { requestId: uniq('r'), items: [{ productId: p, skuId: 's0000', quantity: 1 }], address: ADDRESS })).toMatchObject({ ok: false, code: 'SKU_NOT_FOUND' });
    // The legacy document itself is not rewritten: no skus field appears.
    expect((await productDoc(p)).skus).toBeUndefined();
  });

  it('a legacy cart line (no skuId) still shows and orders as the default SKU', async () => {
    const p = await addProduct(t, { stock: 5, priceFen: 1200 });
    const buyer = uniq('buyer-legacy-cart');
    await consentingShopper(t, buyer);
    await t.db.collection('carts').doc(buyer).set({ items: [{ productId: p, quantity: 2, addedAt: new Date() }], updatedAt: new Date() });
    const cart = await ok(t, buyer, 'getCart');
    expect(cart.items).toEqual([expect.objectContaining({ productId: p, skuId: 'default', spec: '', priceFen: 1200, quantity: 2, available: true })]);
    await ok(t, buyer, 'createOrder', { requestId: uniq('r'), items: [{ productId: p, quantity: 2 }], address: ADDRESS, fromCart: true });
    expect((await ok(t, buyer, 'getCart')).items).toEqual([]);
  });

  it('a merchant turning a legacy product into SKUs: it then needs a SKU to buy', async () => {
    const p = await addProduct(t, { stock: 5, priceFen: 1000 });
    const buyer = uniq('buyer-legacy-up');
    await consentingShopper(t, buyer);
    const saved = await ok(t, MERCHANT, 'saveProduct', { id: p, title: '升级为规格', description: '', images: ['/assets/demo/x.svg'], priceFen: 1000, onSale: true, options: [{ name: '尺码', values: ['S', 'M'] }], skus: [{ spec: { 尺码: 'S' }, priceFen: 1000, stockQty: 2 }, { spec: { 尺码: 'M' }, priceFen: 1000, stockQty: 3 }] }, 'merchant');
    expect(saved).toMatchObject({ stock: 5, priceFen: 1000 });
    expect(await call(t, buyer, 'createOrder', { requestId: uniq('r'), items: [{ productId: p, quantity: 1 }], address: ADDRESS })).toMatchObject({ ok: false, code: 'SKU_REQUIRED' });
    expect((await ok(t, 'buyer-x', 'getProduct', { productId: p })).priceVaries).toBe(false);
  });
});

describe('a product that gains 规格 while an order holds its plain units, and one SKU asked two ways', () => {
  it('cancelling the order gives back 已售 but no units to the plain stock: the stock stays the SKUs’ sum', async () => {
    const id = await addProduct(t, { stock: 10, priceFen: 1000 });
    const buyer = uniq('sku-legacy');
    await consentingShopper(t, buyer);
    const { order } = await ok(t, buyer, 'createOrder', { requestId: uniq('r'), items: [{ productId: id, quantity: 2 }], address: ADDRESS });
    const p = await productDoc(id);
    expect((await m('saveProduct', { id, title: p.title, description: p.description, images: p.images, priceFen: 1000, onSale: true, options: [{ name: '颜色', values: ['红', '蓝'] }], skus: [{ spec: { 颜色: '红' }, priceFen: 1000, stockQty: 5 }, { spec: { 颜色: '蓝' }, priceFen: 1000, stockQty: 5 }] })).ok).toBe(true);
    await ok(t, buyer, 'cancelOrder', { orderId: order.id });
    const after = await productDoc(id);
    expect(after.skus.map((s: { stockQty: number }) => s.stockQty)).toEqual([5, 5]);
    expect(after.stock).toBe(10);
    expect(after.soldQty ?? 0).toBe(0);
  });

  it('no skuId and `default` are one line: 99 + 99 of one product is refused, 40 + 50 is one line of 90', async () => {
    const id = await addProduct(t, { stock: 500, priceFen: 100 });
    const buyer = uniq('sku-lines');
    await consentingShopper(t, buyer);
    const before = await stockOf(t, id);
    const twice = (a: number, b: number) => ({ requestId: uniq('r'), address: ADDRESS, items: [{ productId: id, quantity: a }, { productId: id, skuId: 'default', quantity: b }] });
    expect(await call(t, buyer, 'quote', { items: twice(99, 99).items })).toMatchObject({ ok: false, code: 'QUANTITY_INVALID' });
    expect(await call(t, buyer, 'createOrder', twice(99, 99))).toMatchObject({ ok: false, code: 'QUANTITY_INVALID' });
    expect(await stockOf(t, id)).toBe(before);
    const { order } = await ok(t, buyer, 'createOrder', twice(40, 50));
    expect(order.items.map((i: { quantity: number }) => i.quantity)).toEqual([90]);
    expect(await stockOf(t, id)).toBe(before - 90);
  });
});
