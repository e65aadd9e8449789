/**
 * Two devices on one merchant account, through the real SDK on the local cloud: every editor (店铺资质, 首页横幅, 商品分类,
 * 店铺设置 both halves, 返利规则, 商品, 助力活动, 拼团, 阶梯预售) reads a revision with its form and sends it back. A save from a
 * form read before the other device saved is refused (EDIT_STALE) and writes nothing, so the other device's edit of
 * another field is not put back; read again, the same change saves and both edits stand. Two saves sent at the same
 * moment from forms read at one revision: exactly one lands.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { addProduct, MERCHANT, uniq } from './shop-support';

let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(async () => {
  await t?.close();
});

type View = Record<string, any>;
type Patch = (v: View) => Record<string, unknown>;

async function send(action: string, payload: Record<string, unknown>) {
  return (await t.callAs(MERCHANT, 'merchant', { action, ...payload })).body as { ok: boolean; code?: string; data?: any };
}
async function must(action: string, payload: Record<string, unknown> = {}) {
  const res = await send(action, payload);
  if (!res.ok) throw new Error(`${action}: ${res.code}`);
  return res.data;
}
/** The stored document as text (updatedAt aside): equal text, nothing written. */
async function storedText(collection: string, id: string): Promise<string> {
  const doc = (await t.db.collection(collection).doc(id).get()).data[0];
  const { updatedAt: _u, ...rest } = doc ?? {};
  return JSON.stringify(rest);
}

interface Editor {
  name: string;
  /** Creates what the editor edits; answers what read/payload/doc need. */
  setup(): Promise<string>;
  read(key: string): Promise<View>;
  /** The save action and its payload: the form as read, with a change and the revision sent. */
  save: string;
  payload(key: string, view: View, change: Record<string, unknown>): Record<string, unknown>;
  /** Where it is stored. */
  doc(key: string): [string, string];
  /** The other device's change and this device's, on different fields where the editor has several. */
  other: Patch;
  mine: Patch;
  /** Both changes stand (after this device read again and saved). */
  both(view: View): void;
}

const ruleFields = ['id', 'name', 'active', 'priority', 'reward', 'trigger', 'caps', 'productIds', 'startsAt', 'endsAt'];
const campaignFields = ['campaignId', 'productId', 'active', 'helpersNeeded', 'durationHours', 'success', 'fallback', 'newUsersOnly', 'helperDailyCap', 'openTasksPerShopper', 'startsAt', 'endsAt'];
const groupFields = ['productId', 'active', 'groupSize', 'groupPriceFen', 'timeLimitHours', 'allowJoinAny', 'newUsersOnly', 'maxOpenPerShopper', 'leaderReward', 'minSizeAtDeadline'];
/** A first save of a product's 助力活动 / 阶梯预售 from a form that read "none" (rev 0). */
const newCampaign = (productId: string, over: Record<string, unknown> = {}) => ({ productId, active: true, helpersNeeded: 3, durationHours: 24, success: { kind: 'price', priceFen: 9900, validHours: 24 }, fallback: { kind: 'none' }, newUsersOnly: false, helperDailyCap: 3, openTasksPerShopper: 1, startsAt: null, endsAt: null, rev: 0, ...over });
function newPresale(productId: string, over: Record<string, unknown> = {}) {
  const at = (ms: number) => new Date(t.cloud.clock.now() + ms).toISOString();
  return { productId, active: true, depositFen: 1000, basePriceFen: 9900, tiers: [{ minDeposits: 10, priceFen: 8900 }], startsAt: at(-60_000), endsAt: at(2 * 3_600_000), balanceEndsAt: at(26 * 3_600_000), forfeitUnpaid: false, rev: 0, ...over };
}
/** The form as read, with a change and the revision it was read at (none yet: 0). */
const formOf = (fields: string[]) => (_k: string, v: View, change: Record<string, unknown>) => ({ ...pick(v, fields), rev: v.rev ?? 0, ...change });

/** Category names must differ: each change adds a new one. */
let named = 0;
const productFields = ['id', 'title', 'description', 'images', 'priceFen', 'onSale', 'sort'];
const presaleFields = ['productId', 'active', 'depositFen', 'basePriceFen', 'tiers', 'startsAt', 'endsAt', 'balanceEndsAt', 'forfeitUnpaid'];
const pick = (v: View, keys: string[]) => Object.fromEntries(keys.filter((k) => k in v).map((k) => [k, v[k]]));

const editors: Editor[] = [
  {
    name: '店铺资质',
    setup: async () => 'store',
    read: () => must('getStoreProfile'),
    save: 'saveStoreProfile',
    payload: (_k, v, change) => ({ storeName: v.storeName, qualifications: v.qualifications, servicePhone: v.servicePhone, rev: v.rev ?? 0, ...change }),
    doc: () => ['settings', 'store'],
    other: () => ({ servicePhone: '0571-12345678' }),
    mine: () => ({ storeName: '推三返一二号店' }),
    both: (v) => expect(v).toMatchObject({ servicePhone: '0571-12345678', storeName: '推三返一二号店' }),
  },
  {
    name: '首页横幅',
    setup: async () => 'banners',
    read: () => must('getHomeBanners'),
    save: 'saveHomeBanners',
    payload: (_k, v, change) => ({ banners: v.banners, rev: v.rev ?? 0, ...change }),
    doc: () => ['settings', 'banners'],
    other: (v) => ({ banners: [...v.banners.slice(-2), { heading: '另一台', caption: '', productId: null }] }),
    mine: (v) => ({ banners: [...v.banners.slice(-2), { heading: '这一台', caption: '', productId: null }] }),
    both: (v) => expect(v.banners.slice(-2).map((b: View) => b.heading)).toEqual(['另一台', '这一台']),
  },
  {
    name: '商品分类',
    setup: async () => 'categories',
    read: () => must('getCategories'),
    save: 'saveCategories',
    payload: (_k, v, change) => ({ categories: v.categories.map((c: View) => ({ id: c.id, name: c.name })), rev: v.rev ?? 0, ...change }),
    doc: () => ['settings', 'categories'],
    other: (v) => ({ categories: [...v.categories.map((c: View) => ({ id: c.id, name: c.name })), { id: null, name: `另${++named}` }] }),
    mine: (v) => ({ categories: [...v.categories.map((c: View) => ({ id: c.id, name: c.name })), { id: null, name: `此${++named}` }] }),
    both: (v) => expect(v.categories.slice(-2).map((c: View) => c.name[0])).toEqual(['另', '此']),
  },
  {
    name: '店铺设置 订单与退款',
    setup: async () => 'default',
    read: () => must('getShopSettings'),
    save: 'saveShopSettings',
    payload: (_k, v, change) => ({ refundWindowDays: v.refundWindowDays, autoConfirmDays: v.autoConfirmDays, rev: v.rev ?? 0, ...change }),
    doc: () => ['shop_settings', 'default'],
    other: () => ({ refundWindowDays: 5 }),
    mine: () => ({ autoConfirmDays: 20 }),
    both: (v) => expect(v).toMatchObject({ refundWindowDays: 5, autoConfirmDays: 20 }),
  },
  {
    name: '店铺设置 邀请与提现',
    setup: async () => 'referral',
    read: () => must('getReferralSettings'),
    save: 'saveReferralSettings',
    payload: (_k, v, change) => ({ ...v, rev: v.rev ?? 0, ...change }),
    doc: () => ['settings', 'referral'],
    other: () => ({ withdrawDailyCount: 7 }),
    mine: () => ({ pointsPerYuan: 150 }),
    both: (v) => expect(v).toMatchObject({ withdrawDailyCount: 7, pointsPerYuan: 150 }),
  },
  {
    name: '返利规则',
    setup: async () =>
      (await must('saveRebateRule', { name: '推三返一', active: false, priority: 1, reward: { form: 'cash', amountFen: 3000 }, trigger: { kind: 'everyN', n: 3, minOrderFen: 0 }, caps: { perInviterPerDay: null, perInviterTotal: null }, productIds: null, startsAt: null, endsAt: null })).id,
    read: async (id) => ((await must('listRebateRules')) as View[]).find((r) => r.id === id)!,
    save: 'saveRebateRule',
    payload: formOf(ruleFields),
    doc: (id) => ['rebate_rules', id],
    other: () => ({ priority: 7 }),
    mine: () => ({ name: '推三返一 新版' }),
    both: (v) => expect(v).toMatchObject({ priority: 7, name: '推三返一 新版' }),
  },
  {
    name: '商品',
    setup: () => addProduct(t, { stock: 10, priceFen: 1990 }),
    read: (id) => must('getProduct', { id }),
    save: 'saveProduct',
    payload: formOf(productFields),
    doc: (id) => ['products', id],
    other: () => ({ description: '另一台写的介绍' }),
    mine: () => ({ title: '这一台改的名字' }),
    both: (v) => expect(v).toMatchObject({ description: '另一台写的介绍', title: '这一台改的名字' }),
  },
  {
    name: '助力活动',
    setup: async () => {
      const productId = await addProduct(t, { stock: 10, priceFen: 20000 });
      await must('saveAssistCampaign', newCampaign(productId));
      return productId;
    },
    read: (productId) => must('getAssistCampaign', { productId }),
    save: 'saveAssistCampaign',
    payload: formOf(campaignFields),
    doc: (productId) => ['assist_campaigns', `ac-${productId}`],
    other: () => ({ helpersNeeded: 5 }),
    mine: () => ({ durationHours: 48 }),
    both: (v) => expect(v).toMatchObject({ helpersNeeded: 5, durationHours: 48 }),
  },
  {
    name: '拼团',
    setup: async () => {
      const productId = await addProduct(t, { stock: 10, priceFen: 9900 });
      await must('saveGroupOffer', { productId, active: true, groupSize: 3, groupPriceFen: 6900, timeLimitHours: 24, allowJoinAny: true, newUsersOnly: false, maxOpenPerShopper: 2, leaderReward: { kind: 'none' }, minSizeAtDeadline: null, rev: 0 });
      return productId;
    },
    read: (productId) => must('getGroupOffer', { productId }),
    save: 'saveGroupOffer',
    payload: formOf(groupFields),
    doc: () => ['group_offers', ''],
    other: () => ({ groupSize: 4 }),
    mine: () => ({ timeLimitHours: 48 }),
    both: (v) => expect(v).toMatchObject({ groupSize: 4, timeLimitHours: 48 }),
  },
  {
    name: '阶梯预售',
    setup: async () => {
      const productId = await addProduct(t, { stock: 10, priceFen: 9900 });
      await must('savePresale', newPresale(productId));
      return productId;
    },
    read: (productId) => must('getPresale', { productId }),
    save: 'savePresale',
    payload: formOf(presaleFields),
    doc: (productId) => ['presales', `ps-${productId}`],
    other: () => ({ depositFen: 2000 }),
    mine: () => ({ forfeitUnpaid: true }),
    both: (v) => expect(v).toMatchObject({ depositFen: 2000, forfeitUnpaid: true }),
  },
];

describe.each(editors)('$name', (e) => {
  it('a form read before the other device saved is refused (EDIT_STALE) and writes nothing; read again, both edits stand', async () => {
    const key = await e.setup();
    const mine = await e.read(key);
    const theirs = await e.read(key);
    const read = theirs.rev ?? 0;
    expect(mine.rev ?? 0).toBe(read);
    const saved = await send(e.save, e.payload(key, theirs, e.other(theirs)));
    expect(saved).toMatchObject({ ok: true, data: { rev: read + 1 } });
    const [coll, id] = e.doc(key);
    const docId = id || (await e.read(key)).offerId;
    const before = await storedText(coll, docId);

    const stale = await send(e.save, e.payload(key, mine, e.mine(mine)));
    expect(stale).toMatchObject({ ok: false, code: 'EDIT_STALE' });
    expect(await storedText(coll, docId)).toBe(before);

    const fresh = await e.read(key);
    expect(fresh.rev).toBe(read + 1);
    expect(await send(e.save, e.payload(key, fresh, e.mine(fresh)))).toMatchObject({ ok: true, data: { rev: read + 2 } });
    e.both(await e.read(key));
  });

  it('two saves at the same moment from forms read at one revision: exactly one lands, the other writes nothing', async () => {
    const key = await e.setup();
    const view = await e.read(key);
    const results = await Promise.all([send(e.save, e.payload(key, view, e.other(view))), send(e.save, e.payload(key, view, e.mine(view)))]);
    expect(results.map((r) => (r.ok ? 'ok' : r.code)).sort()).toEqual(['EDIT_STALE', 'ok']);
    const after = await e.read(key);
    expect(after.rev).toBe((view.rev ?? 0) + 1);
    // What is stored is the winner's form, whole.
    const winner = results[0].ok ? e.other(view) : e.mine(view);
    expect(after).toMatchObject(Array.isArray(Object.values(winner)[0]) ? {} : winner);
  });
});

describe('products: the list’s switches count as edits (orders reserving stock do not: merchant-editors)', () => {
  it('上架/下架 or 归档 on another device makes an open form stale', async () => {
    const id = await addProduct(t, { stock: 10, priceFen: 1990, onSale: true });
    const opened = await must('getProduct', { id });
    await must('saveProduct', { ...pick(opened, productFields), rev: 0 });
    const form = await must('getProduct', { id });
    expect(form.rev).toBe(1);
    await must('setProductOnSale', { id, onSale: false });
    // The form still says 在售: saved, it would put the product back on sale.
    expect(await send('saveProduct', { ...pick(form, productFields), rev: form.rev })).toMatchObject({ ok: false, code: 'EDIT_STALE' });
    expect(await must('getProduct', { id })).toMatchObject({ onSale: false, rev: 2 });

    const again = await must('getProduct', { id });
    await must('archiveProduct', { id, archived: true });
    expect(await send('saveProduct', { ...pick(again, productFields), title: uniq('改名'), rev: again.rev })).toMatchObject({ ok: false, code: 'EDIT_STALE' });
  });
});

describe('attacks found probing', () => {
  const ruleInput = { name: '推三返一', active: false, priority: 1, reward: { form: 'cash', amountFen: 3000 }, trigger: { kind: 'everyN', n: 3, minOrderFen: 0 }, caps: { perInviterPerDay: null, perInviterTotal: null }, productIds: null, startsAt: null, endsAt: null };

  it('a list switch racing the first revision-aware save of a product: both land, never a false PRODUCT_ARCHIVED / NOT_FOUND', async () => {
    for (let i = 0; i < 6; i++) {
      const id = await addProduct(t, { stock: 10, priceFen: 1990 });
      const form = await must('getProduct', { id });
      const save = send('saveProduct', { ...pick(form, productFields), description: `改-${i}`, rev: 0 });
      const archive = i % 2 === 0;
      const switched = archive ? send('archiveProduct', { id, archived: true }) : send('setProductOnSale', { id, onSale: false });
      const [s, w] = await Promise.all([save, switched]);
      expect(w).toMatchObject({ ok: true });
      expect(s).toMatchObject({ ok: true });
      const stored = (await t.db.collection('products').doc(id).get()).data[0];
      if (archive) expect(stored.archived).toBe(true);
      // Save first: the switch found the revision and counted it, and stands. Switch first (the product had no revision
      // yet, so the switch counted none): the save landed after it — the one case revisions do not cover (docs).
      if (stored.rev === 2) expect(stored.onSale).toBe(false);
      else expect(stored.rev).toBe(1);
    }
  });

  it('a save answers what it wrote, even when later saves landed before its answer', async () => {
    const id = (await must('saveRebateRule', { ...ruleInput, rev: 0 })).id;
    for (let round = 0; round < 8; round++) {
      const r = (await must('listRebateRules')).find((x: View) => x.id === id);
      const a = send('saveRebateRule', { ...pick(r, ruleFields), name: `A${round}`, rev: r.rev });
      const later = Array.from({ length: 6 }, (_, k) => new Promise((res) => setTimeout(res, k)).then(() => send('saveRebateRule', { ...pick(r, ruleFields), name: `B${round}-${k}`, rev: r.rev + 1 })));
      const [answer] = await Promise.all([a, ...later]);
      expect(answer).toMatchObject({ ok: true, data: { name: `A${round}`, rev: r.rev + 1 } });
    }
  });

  it('two first saves at once of a 助力活动 or 阶梯预售, both read as "none": one lands, the other is EDIT_STALE', async () => {
    for (const e of editors.filter((x) => x.name === '助力活动' || x.name === '阶梯预售')) {
      const productId = await addProduct(t, { stock: 10, priceFen: 20000 });
      const first = (n: number) => (e.name === '助力活动' ? send('saveAssistCampaign', newCampaign(productId, { helpersNeeded: n })) : send('savePresale', newPresale(productId, { depositFen: n * 100 })));
      const results = await Promise.all([first(2), first(4)]);
      expect(results.map((r) => (r.ok ? 'ok' : r.code)).sort()).toEqual(['EDIT_STALE', 'ok']);
    }
  });

  it('creating with a revision other than 0 is stale (nothing exists at it); a stale rule save is stale before its trigger is judged', async () => {
    expect(await send('saveRebateRule', { ...ruleInput, rev: 7 })).toMatchObject({ ok: false, code: 'EDIT_STALE' });
    expect(await send('saveProduct', { title: '新品', description: '', images: [], priceFen: 100, stock: 1, onSale: false, rev: 7 })).toMatchObject({ ok: false, code: 'EDIT_STALE' });
    const created = await must('saveRebateRule', { ...ruleInput, rev: 0 });
    expect(created.rev).toBe(1);
    // A product created from the editor (rev 0) starts at 1, so the list's switches count from the start.
    const product = await must('saveProduct', { title: '新品', description: '', images: [], priceFen: 100, stock: 1, onSale: false, rev: 0 });
    expect(product.rev).toBe(1);
    const form = await must('getProduct', { id: product.id });
    expect((await must('setProductOnSale', { id: product.id, onSale: false })).rev).toBe(2);
    expect(await send('saveProduct', { ...pick(form, productFields), title: '改名', rev: form.rev })).toMatchObject({ ok: false, code: 'EDIT_STALE' });
    await must('saveRebateRule', { ...pick(created, ruleFields), priority: 2, rev: 1 });
    expect(await send('saveRebateRule', { ...pick(created, ruleFields), trigger: { kind: 'everyN', n: 5, minOrderFen: 0 }, rev: 1 })).toMatchObject({ ok: false, code: 'EDIT_STALE' });
  });

  it('callers without a revision: two first saves at once of a settings document both land, neither answers a revision', async () => {
    await t.db.collection('settings').doc('store').remove();
    const results = await Promise.all([
      send('saveStoreProfile', { storeName: '甲店', qualifications: [], servicePhone: '' }),
      send('saveStoreProfile', { storeName: '乙店', qualifications: [], servicePhone: '' }),
    ]);
    for (const r of results) expect(r.ok && !('rev' in r.data)).toBe(true);
    expect(['甲店', '乙店']).toContain((await must('getStoreProfile')).storeName);
  });
});
