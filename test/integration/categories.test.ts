/**
 * 商品分类 through the real SDK: the shopper's tabs in the merchant's order and the product list filtered by one (a
 * search runs inside the tab); the merchant adds, renames and reorders categories (a rename keeps every product in
 * it); a product takes a category, keeps it when a save leaves it out, and drops it with null. Refused with nothing
 * written: a duplicate or long name, thirteen categories, an id the shop never gave, removing a category products still
 * hold, a shopper saving, a product saved into a category that does not exist. A category removed while a product
 * moves into it leaves that product in 全部, never lost.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { call, MERCHANT, ok } from './referral-support';

let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(() => t.close());

const SHOPPER = 'category-shopper';
const stored = async () => JSON.stringify((await t.db.collection('settings').doc('categories').get()).data[0] ?? null);
const ids = async (payload: Record<string, unknown>) => ((await ok(t, SHOPPER, 'shop', 'listProducts', { pageSize: 50, ...payload })).items as { id: string }[]).map((p) => p.id);

it('shoppers see the tabs in order; a tab lists its products only, and a search runs inside the tab', async () => {
  expect(await ok(t, SHOPPER, 'shop', 'categories')).toEqual({
    categories: [
      { id: 'c-tea', name: '茶饮冲调' },
      { id: 'c-food', name: '粮油零食' },
      { id: 'c-home', name: '家居日用' },
    ],
  });
  expect(await ids({ categoryId: 'c-tea' })).toEqual(['p-tea', 'p-honey']);
  expect(await ids({ categoryId: 'c-home' })).toEqual(['p-towel', 'p-cup']);
  expect(await ids({ categoryId: 'c-tea', q: '蜂蜜' })).toEqual(['p-honey']);
  expect(await ids({ categoryId: 'c-home', q: '蜂蜜' })).toEqual([]);
  expect(await ids({ categoryId: 'c-nope' })).toEqual([]);
  expect((await ids({})).length).toBe(6);
  // Paging inside a tab: the cursor walks the tab, not the whole shop.
  const first = await ok(t, SHOPPER, 'shop', 'listProducts', { pageSize: 1, categoryId: 'c-food' });
  const second = await ok(t, SHOPPER, 'shop', 'listProducts', { pageSize: 1, categoryId: 'c-food', cursor: first.next });
  expect([first.items[0].id, second.items[0].id, second.next]).toEqual(['p-rice', 'p-nuts', null]);
});

it('the merchant adds, renames and reorders; ids stay, products follow the rename, counts are per category', async () => {
  const before = await ok(t, MERCHANT, 'merchant', 'getCategories');
  expect(before.categories.map((c: { id: string; products: number }) => [c.id, c.products])).toEqual([
    ['c-tea', 2],
    ['c-food', 2],
    ['c-home', 2],
  ]);
  const saved = await ok(t, MERCHANT, 'merchant', 'saveCategories', {
    categories: [
      { id: 'c-home', name: '居家好物' },
      { id: null, name: ' 礼盒 ' },
      { id: 'c-tea', name: '茶饮冲调' },
      { id: 'c-food', name: '粮油零食' },
    ],
  });
  expect(saved.categories.map((c: { name: string }) => c.name)).toEqual(['居家好物', '礼盒', '茶饮冲调', '粮油零食']);
  expect(saved.categories[0].id).toBe('c-home');
  const gift = saved.categories[1].id as string;
  expect(gift).toMatch(/^c-[0-9a-f]{8}$/);
  expect((await ok(t, SHOPPER, 'shop', 'categories')).categories).toEqual(saved.categories);
  expect(await ids({ categoryId: 'c-home' })).toEqual(['p-towel', 'p-cup']);

  // A product moves into the new category; a save that leaves categoryId out keeps it; null takes it out.
  const tea = await ok(t, MERCHANT, 'merchant', 'getProduct', { id: 'p-tea' });
  const { id, title, description, images, priceFen, onSale, sort } = tea;
  const base = { id, title, description, images, priceFen, onSale, sort };
  expect((await ok(t, MERCHANT, 'merchant', 'saveProduct', { ...base, categoryId: gift })).categoryId).toBe(gift);
  expect(await ids({ categoryId: gift })).toEqual(['p-tea']);
  expect((await ok(t, MERCHANT, 'merchant', 'saveProduct', base)).categoryId).toBe(gift);
  expect((await ok(t, MERCHANT, 'merchant', 'saveProduct', { ...base, categoryId: null })).categoryId).toBeNull();
  expect(await ids({ categoryId: gift })).toEqual([]);
  expect(await ids({})).toContain('p-tea');
  await ok(t, MERCHANT, 'merchant', 'saveProduct', { ...base, categoryId: 'c-tea' });

  // A new product made in a category.
  const made = await ok(t, MERCHANT, 'merchant', 'saveProduct', { title: '桂花乌龙', description: '', images: ['/assets/demo/p-tea.svg'], priceFen: 3900, stock: 10, onSale: true, categoryId: 'c-tea' });
  expect(made.categoryId).toBe('c-tea');
  expect(await ids({ categoryId: 'c-tea' })).toContain(made.id);
  await ok(t, MERCHANT, 'merchant', 'archiveProduct', { id: made.id, archived: true });
});

it('refused, with nothing written: duplicates, long or empty names, 13 categories, unknown ids, a category in use, a shopper', async () => {
  const before = await stored();
  const current = (await ok(t, MERCHANT, 'merchant', 'getCategories')).categories.map((c: { id: string; name: string }) => ({ id: c.id, name: c.name }));
  const refusals = [
    [MERCHANT, { categories: [...current, { id: null, name: current[0].name }] }, 'CATEGORY_INVALID'],
    [MERCHANT, { categories: [...current, { id: null, name: '一二三四五六七' }] }, 'INVALID_ARGUMENT'],
    [MERCHANT, { categories: [...current, { id: null, name: '   ' }] }, 'INVALID_ARGUMENT'],
    [MERCHANT, { categories: Array.from({ length: 13 }, (_, i) => ({ id: null, name: `分类${i}` })) }, 'INVALID_ARGUMENT'],
    [MERCHANT, { categories: [...current, { id: 'c-made-up', name: '新的' }] }, 'CATEGORY_NOT_FOUND'],
    [MERCHANT, { categories: current.filter((c: { id: string }) => c.id !== 'c-home') }, 'CATEGORY_IN_USE'],
    [SHOPPER, { categories: current }, 'FORBIDDEN'],
  ] as const;
  for (const [who, payload, code] of refusals) {
    const res = await call(t, who, 'merchant', 'saveCategories', payload);
    expect({ payload, res: { ok: res.ok, code: res.code } }).toEqual({ payload, res: { ok: false, code } });
    if (code !== 'FORBIDDEN') expect(res.message).not.toMatch(/[A-Za-z]{3,}/);
  }
  const inUse = await call(t, MERCHANT, 'merchant', 'saveCategories', { categories: current.filter((c: { id: string }) => c.id !== 'c-home') });
  expect(inUse.message).toBe('分类「居家好物」下还有 2 件商品，请先把它们移到其他分类');
  expect(await stored()).toBe(before);

  // A product saved into a category the shop does not have: refused, the product unchanged.
  const productBefore = JSON.stringify((await t.db.collection('products').doc('p-rice').get()).data[0]);
  const rice = await ok(t, MERCHANT, 'merchant', 'getProduct', { id: 'p-rice' });
  const res = await call(t, MERCHANT, 'merchant', 'saveProduct', { id: rice.id, title: rice.title, description: rice.description, images: rice.images, priceFen: rice.priceFen, onSale: true, categoryId: 'c-made-up' });
  expect(res).toMatchObject({ ok: false, code: 'CATEGORY_NOT_FOUND', message: '分类不存在或已删除，请刷新后重新选择' });
  expect(JSON.stringify((await t.db.collection('products').doc('p-rice').get()).data[0])).toBe(productBefore);
  expect(await call(t, SHOPPER, 'shop', 'listProducts', { categoryId: 'bad id!' })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
});

it('an empty category is removed; a category removed while a product moves into it leaves the product in 全部', async () => {
  const current = (await ok(t, MERCHANT, 'merchant', 'getCategories')).categories as { id: string; name: string; products: number }[];
  const gift = current.find((c) => c.name === '礼盒')!;
  expect(gift.products).toBe(0);
  const cup = await ok(t, MERCHANT, 'merchant', 'getProduct', { id: 'p-cup' });
  const move = { id: cup.id, title: cup.title, description: cup.description, images: cup.images, priceFen: cup.priceFen, onSale: true, categoryId: gift.id };
  const keep = current.filter((c) => c.id !== gift.id).map(({ id, name }) => ({ id, name }));
  // Both at once, twenty times over with a fresh category each time: either order is fine, nothing is lost.
  for (let i = 0; i < 20; i++) {
    const fresh = await ok(t, MERCHANT, 'merchant', 'saveCategories', { categories: [...keep, { id: null, name: `临时${i}` }] });
    const tmp = fresh.categories.at(-1).id as string;
    const [removed, moved] = await Promise.all([
      call(t, MERCHANT, 'merchant', 'saveCategories', { categories: keep }),
      call(t, MERCHANT, 'merchant', 'saveProduct', { ...move, categoryId: tmp }),
    ]);
    const held = (await t.db.collection('products').doc('p-cup').get()).data[0].categoryId;
    // The removal saw the product (CATEGORY_IN_USE), or the move saw the removal (CATEGORY_NOT_FOUND), or neither saw the other.
    if (!removed.ok) expect(removed.code).toBe('CATEGORY_IN_USE');
    if (!moved.ok) expect(moved.code).toBe('CATEGORY_NOT_FOUND');
    expect(await ids({})).toContain('p-cup');
    if (!removed.ok) await ok(t, MERCHANT, 'merchant', 'saveProduct', { ...move, categoryId: 'c-home' }).then(() => ok(t, MERCHANT, 'merchant', 'saveCategories', { categories: keep }));
    else if (held === tmp) await ok(t, MERCHANT, 'merchant', 'saveProduct', { ...move, categoryId: 'c-home' });
  }
  expect((await ok(t, SHOPPER, 'shop', 'categories')).categories.map((c: { id: string }) => c.id)).toEqual(keep.map((c) => c.id));
  expect(await ids({ categoryId: 'c-home' })).toEqual(['p-towel', 'p-cup']);
});
