/**
 * The catalogue through the real SDK on the local cloud: the 首页 search (a literal title match, regex characters
 * taken as text), 归档 (gone from the shop, still on the old order, restorable; cannot be put on sale while archived),
 * deleting a product (only one no order ever held), and the merchant's 在售 / 已下架 / 已归档 filter.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { addProduct, call, createOrder, MERCHANT, ok, snapshot, uniq } from './shop-support';

let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(() => t.close());

const m = (action: string, payload: Record<string, unknown> = {}) => call(t, MERCHANT, action, payload, 'merchant');
const titles = async (q: string) => ((await ok(t, 'buyer-search', 'listProducts', { q, pageSize: 50 })).items as { title: string }[]).map((p) => p.title).sort();

describe('search on 首页', () => {
  const tag = uniq('搜').replace(/-/g, '');
  beforeAll(async () => {
    await addProduct(t, { stock: 5, priceFen: 100, title: `${tag} 龙井 (特级)` });
    await addProduct(t, { stock: 5, priceFen: 100, title: `${tag} 龙井 a.b` });
    await addProduct(t, { stock: 5, priceFen: 100, title: `${tag} 碧螺春 [新] x*y` });
    await addProduct(t, { stock: 5, priceFen: 100, title: `${tag} 龙井 下架`, onSale: false });
  });

  it('finds on-sale products whose title contains the text, case-insensitively', async () => {
    expect(await titles(`${tag} 龙井`)).toEqual([`${tag} 龙井 (特级)`, `${tag} 龙井 a.b`]);
    expect(await titles(tag.toUpperCase())).toHaveLength(3);
  });

  it('takes regex metacharacters literally', async () => {
    expect(await titles('(特级)')).toEqual([`${tag} 龙井 (特级)`]);
    expect(await titles('a.b')).toEqual([`${tag} 龙井 a.b`]);
    expect(await titles('[新] x*y')).toEqual([`${tag} 碧螺春 [新] x*y`]);
    // As a pattern these would match everything (or fail to compile); as text they match nothing.
    for (const q of ['.*', '(?:', '[^', '\\', '^', '$', '|', '.+?']) expect(await titles(q)).toEqual([]);
  });

  it('an empty search lists the shop; a search too long is refused', async () => {
    expect((await ok(t, 'buyer-search', 'listProducts', { q: '  ', pageSize: 3 })).items).toHaveLength(3);
    expect(await call(t, 'buyer-search', 'listProducts', { q: 'x'.repeat(31) })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
  });
});

describe('归档 and 删除', () => {
  it('archiving hides the product from the shop, the old order still shows it, and restoring brings it back off sale', async () => {
    const title = uniq('归档茶');
    const id = await addProduct(t, { stock: 10, priceFen: 1990, title });
    const { order } = await createOrder(t, 'buyer-archive', [{ productId: id, quantity: 1 }]);
    const archived = await ok(t, MERCHANT, 'archiveProduct', { id, archived: true }, 'merchant');
    expect(archived).toMatchObject({ id, archived: true, onSale: false });

    expect(await titles(title)).toEqual([]);
    expect(await call(t, 'buyer-archive', 'getProduct', { productId: id })).toMatchObject({ ok: false, code: 'PRODUCT_NOT_FOUND' });
    expect(await call(t, 'buyer-archive', 'addToCart', { productId: id, quantity: 1 })).toMatchObject({ ok: false });
    const detail = await ok(t, 'buyer-archive', 'getOrder', { orderId: order.id });
    expect(detail.items).toEqual([expect.objectContaining({ productId: id, title, quantity: 1, unitPriceFen: 1990 })]);

    // Archived: in the merchant's 已归档, not in 已下架 or 在售.
    const inList = async (status: string) => ((await ok(t, MERCHANT, 'listProducts', { status, pageSize: 50 }, 'merchant')).items as { id: string }[]).some((p) => p.id === id);
    expect([await inList('onSale'), await inList('offSale'), await inList('archived')]).toEqual([false, false, true]);

    // Cannot go on sale while archived, and the refusal changes nothing.
    const before = await snapshot(t, ['products']);
    const edit = await m('saveProduct', { id, title, description: '测试', images: [`/assets/demo/${id}.svg`], priceFen: 1990, onSale: true });
    expect(edit).toMatchObject({ ok: false, code: 'PRODUCT_ARCHIVED', message: '商品已归档，请先恢复再上架' });
    expect(await snapshot(t, ['products'])).toEqual(before);

    const restored = await ok(t, MERCHANT, 'archiveProduct', { id, archived: false }, 'merchant');
    expect(restored).toMatchObject({ archived: false, onSale: false });
    expect([await inList('onSale'), await inList('offSale'), await inList('archived')]).toEqual([false, true, false]);
    await ok(t, MERCHANT, 'saveProduct', { id, title, description: '测试', images: [`/assets/demo/${id}.svg`], priceFen: 1990, onSale: true }, 'merchant');
    expect(await titles(title)).toEqual([title]);
  });

  it('a product that was ordered cannot be deleted (even a cancelled order holds it); nothing changes', async () => {
    const id = await addProduct(t, { stock: 10, priceFen: 500 });
    const { order } = await createOrder(t, 'buyer-delete', [{ productId: id, quantity: 2 }]);
    await ok(t, 'buyer-delete', 'cancelOrder', { orderId: order.id });
    const before = await snapshot(t, ['products', 'orders']);
    expect(await m('deleteProduct', { id })).toMatchObject({ ok: false, code: 'PRODUCT_HAS_ORDERS', message: '商品已有订单，不能删除，可以归档' });
    expect(await snapshot(t, ['products', 'orders'])).toEqual(before);
  });

  it('a product never ordered is deleted; deleting it again, or an unknown id, is not found', async () => {
    const id = await addProduct(t, { stock: 10, priceFen: 500 });
    expect(await ok(t, MERCHANT, 'deleteProduct', { id }, 'merchant')).toEqual({ id, deleted: true });
    expect((await t.db.collection('products').doc(id).get()).data).toEqual([]);
    expect(await m('deleteProduct', { id })).toMatchObject({ ok: false, code: 'PRODUCT_NOT_FOUND' });
    expect(await m('archiveProduct', { id, archived: true })).toMatchObject({ ok: false, code: 'PRODUCT_NOT_FOUND' });
  });

  it('a shopper cannot archive or delete', async () => {
    const id = await addProduct(t, { stock: 10, priceFen: 500 });
    expect(await call(t, 'buyer-delete', 'deleteProduct', { id }, 'merchant')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await call(t, 'buyer-delete', 'archiveProduct', { id, archived: true }, 'merchant')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect((await t.db.collection('products').doc(id).get()).data[0]).toMatchObject({ onSale: true });
  });
});

describe('uploaded product pictures', () => {
  // The smallest real PNG and WebP headers are enough: the server judges what the storage serves them as.
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a0b1d4c50000000049454e44ae426082', 'hex');
  const upload = async (name: string, bytes: Buffer) => (await t.app.uploadFile({ cloudPath: `products/${uniq('img')}-${name}`, fileContent: bytes })).fileID as string;
  const save = (images: string[], id?: string) =>
    m('saveProduct', { ...(id ? { id } : {}), title: '上传图片的商品', description: '', images, priceFen: 990, ...(id ? {} : { stock: 5 }), onSale: true });

  it('an uploaded PNG is kept, served over HTTP, and the shop shows it as the main image', async () => {
    const fileID = await upload('a.png', png);
    const res = await save([fileID]);
    expect(res).toMatchObject({ ok: true, data: { images: [fileID] } });
    const { fileList } = await t.app.getTempFileURL({ fileList: [fileID] });
    const served = await fetch(fileList[0].tempFileURL);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(png);
    const card = ((await ok(t, 'buyer-img', 'listProducts', { q: '上传图片的商品' })).items as { id: string; image: string }[]).find((p) => p.id === res.data.id);
    expect(card?.image).toBe(fileID);
  });

  it('refuses a file too large, not an image, or deleted, with a catalogued code, and stores nothing', async () => {
    const big = await upload('big.png', Buffer.concat([png, Buffer.alloc(2 * 1024 * 1024)]));
    const gif = await upload('a.gif', Buffer.from('GIF89a'));
    const text = await upload('notes.txt', Buffer.from('不是图片'));
    const gone = await upload('gone.png', png);
    await t.app.deleteFile({ fileList: [gone] });
    const before = await snapshot(t, ['products']);
    expect(await save([big])).toMatchObject({ ok: false, code: 'PRODUCT_IMAGE_TOO_LARGE', message: '图片太大，单张不能超过 2 兆' });
    expect(await save([gif])).toMatchObject({ ok: false, code: 'PRODUCT_IMAGE_TYPE', message: '图片格式不支持，请上传照片或截图（不支持动图和文件）' });
    expect(await save([text])).toMatchObject({ ok: false, code: 'PRODUCT_IMAGE_TYPE' });
    expect(await save([gone])).toMatchObject({ ok: false, code: 'PRODUCT_IMAGE_MISSING', message: '图片不存在或已删除，请重新上传' });
    // A file id of another environment or bucket is not ours to serve.
    expect(await save(['cloud://other-env.bucket/products/x.png'])).toMatchObject({ ok: false, code: 'PRODUCT_IMAGE_MISSING' });
    expect(await snapshot(t, ['products'])).toEqual(before);
  });

  it('several pictures in the merchant’s order, the first the main image; reordering keeps them', async () => {
    const [a, b] = [await upload('1.png', png), await upload('2.png', png)];
    const created = (await save([a, b])).data;
    const reordered = await save([b, 'https://img.example.com/c.png', a], created.id);
    expect(reordered).toMatchObject({ ok: true, data: { images: [b, 'https://img.example.com/c.png', a] } });
    expect((await t.db.collection('products').doc(created.id).get()).data[0].images).toEqual([b, 'https://img.example.com/c.png', a]);
  });
});

describe('上架 / 下架 from the list', () => {
  it('writes only the switch: an edit made after the list loaded stays, an archived product is refused, a shopper is forbidden', async () => {
    const title = uniq('开关茶');
    const id = await addProduct(t, { stock: 10, priceFen: 1990, title });
    // The merchant's list shows the product as it was; meanwhile another device marks it down and writes a new text.
    const listed = ((await ok(t, MERCHANT, 'listProducts', { pageSize: 50 }, 'merchant')).items as { id: string; priceFen: number }[]).find((p) => p.id === id)!;
    expect(listed.priceFen).toBe(1990);
    await ok(t, MERCHANT, 'saveProduct', { id, title: `${title} 新`, description: '新描述', images: ['/assets/demo/tea.svg'], priceFen: 1590, onSale: true }, 'merchant');
    // And an order reserves 2 units after the list loaded (the list's stock is stale too).
    await createOrder(t, 'buyer-toggle', [{ productId: id, quantity: 2 }]);
    const before = (await t.db.collection('products').doc(id).get()).data[0];

    const off = await ok(t, MERCHANT, 'setProductOnSale', { id, onSale: false }, 'merchant');
    expect(off).toMatchObject({ id, onSale: false, title: `${title} 新`, priceFen: 1590, description: '新描述' });
    const after = (await t.db.collection('products').doc(id).get()).data[0];
    const { onSale: _a, updatedAt: _b, ...rest } = after;
    const { onSale: _c, updatedAt: _d, ...restBefore } = before;
    expect(rest).toEqual(restBefore); // stock, price, pictures, text, 已售: as they were
    expect(after).toMatchObject({ stock: 8, soldQty: 2 });
    expect(await titles(`${title} 新`)).toEqual([]);
    expect(await ok(t, MERCHANT, 'setProductOnSale', { id, onSale: true }, 'merchant')).toMatchObject({ onSale: true, priceFen: 1590 });
    expect(await titles(`${title} 新`)).toEqual([`${title} 新`]);

    await ok(t, MERCHANT, 'archiveProduct', { id, archived: true }, 'merchant');
    const archived = await snapshot(t, ['products']);
    expect(await m('setProductOnSale', { id, onSale: true })).toMatchObject({ ok: false, code: 'PRODUCT_ARCHIVED' });
    expect(await snapshot(t, ['products'])).toEqual(archived);
    expect(await m('setProductOnSale', { id: 'no-such-product', onSale: false })).toMatchObject({ ok: false, code: 'PRODUCT_NOT_FOUND' });
    expect(await m('setProductOnSale', { id, onSale: true, priceFen: 1 })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(await call(t, 'buyer-toggle', 'setProductOnSale', { id, onSale: false }, 'merchant')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await snapshot(t, ['products'])).toEqual(archived);
  });
});
