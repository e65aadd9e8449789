/**
 * The role matrix of the `merchant` function: every action (every module's) called as a shopper, with no token at
 * the gateway, through the SDK with no identity, and as a shopper with a merchant role spoofed in the payload —
 * refused, and nothing in the database changed. As a merchant, the merchant tab's own actions work.
 */
import { assistMerchantActions } from '../../cloudfunctions/app/assist/merchantActions';
import { adminMerchantActions } from '../../cloudfunctions/app/merchant/merchantActions';
import { referralMerchantActions } from '../../cloudfunctions/app/referral/merchantActions';
import { shopMerchantActions } from '../../cloudfunctions/app/shop/merchantActions';
import { startTestCloud, TestCloud } from '../support/cloud';
import { snapshot } from './shop-support';

let t: TestCloud;
const SHOPPER = 'demo-shopper-a';
const OTHER = 'demo-friend-b';
const MERCHANT = 'demo-merchant';

beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(async () => {
  await t?.close();
});

/** A valid payload per action, so a missing role check would really change something. */
const EXAMPLES: Record<string, Record<string, unknown>> = {
  listOrders: {},
  shipOrder: { orderId: 'o-none', carrier: '顺丰', trackingNo: 'SF1234567' },
  listRefunds: {},
  reviewRefund: { orderId: 'o-none', approve: true },
  getShopSettings: {},
  saveShopSettings: { refundWindowDays: 3, autoConfirmDays: 5 },
  saveRebateRule: { name: '偷改', active: true, priority: 99, reward: { form: 'cash', amountFen: 100000 }, trigger: { kind: 'everyN', n: 1, minOrderFen: 0 }, caps: { perInviterPerDay: null, perInviterTotal: null }, productIds: null, startsAt: null, endsAt: null },
  listRebateRules: {},
  getReferralSettings: {},
  saveReferralSettings: { withdrawMinFen: 100 },
  listWithdrawals: {},
  reviewWithdrawal: { withdrawalId: 'w-none', approve: true },
  listRewards: {},
  voidReward: { rewardId: 'rw-none', reason: '测试' },
  getAssistCampaign: { productId: 'p-tea' },
  saveAssistCampaign: { productId: 'p-tea', active: true, helpersNeeded: 1, durationHours: 1, success: { kind: 'price', priceFen: 1, validHours: 1 }, fallback: { kind: 'none' }, newUsersOnly: false, helperDailyCap: 5, openTasksPerShopper: 1, startsAt: null, endsAt: null },
  stats: { range: '30d' },
  listProducts: {},
  getProduct: { id: 'p-tea' },
  saveProduct: { title: '偷偷上架', description: '', images: ['/assets/demo/p-tea.svg'], priceFen: 1, stock: 999, onSale: true },
  setProductOnSale: { id: 'p-tea', onSale: false },
  archiveProduct: { id: 'p-tea', archived: true },
  deleteProduct: { id: 'p-cup' },
  users: { query: 'demo' },
  referralTree: { openid: SHOPPER },
  blockUser: { openid: OTHER, blocked: true, reason: '测试' },
  addMerchant: { inviteCode: 'DEMO01' },
  removeMerchant: { openid: MERCHANT },
};

const ALL = { ...shopMerchantActions, ...referralMerchantActions, ...assistMerchantActions, ...adminMerchantActions };
const NAMES = Object.keys(ALL).sort();
const WATCHED = ['users', 'products', 'rebate_rules', 'assist_campaigns', 'settings', 'shop_settings', 'orders', 'withdrawals', 'rewards', 'stats_daily', 'events'];

it('every merchant action has an example here (a new action cannot skip the matrix)', () => {
  expect(Object.keys(EXAMPLES).sort()).toEqual(NAMES);
});

describe('refused, nothing changed', () => {
  let before: unknown;
  beforeAll(async () => {
    // The shopper exists (a real user, not just a token) so the refusals are about the role, not a missing user.
    await t.callAs(SHOPPER, 'user', { action: 'login' });
    before = await snapshot(t, WATCHED);
  });
  afterAll(async () => {
    expect(await snapshot(t, WATCHED)).toEqual(before);
  });

  it.each(NAMES)('%s as a shopper → FORBIDDEN', async (name) => {
    const res = await t.callAs(SHOPPER, 'merchant', { action: name, ...EXAMPLES[name] });
    expect(res.body).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it.each(NAMES)('%s with the merchant role spoofed in the payload → FORBIDDEN', async (name) => {
    const spoof = { roles: ['merchant'], role: 'merchant', openid: MERCHANT, OPENID: MERCHANT, userInfo: { openId: MERCHANT }, WX_OPENID: MERCHANT };
    const res = await t.callAs(SHOPPER, 'merchant', { action: name, ...EXAMPLES[name], ...spoof });
    expect(res.body).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it.each(NAMES)('%s with no token at the gateway → 401', async (name) => {
    const res = await fetch(`${t.cloud.url}/fn/merchant`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: name, ...EXAMPLES[name] }) });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
  });

  it.each(NAMES)('%s through the SDK with no identity → refused', async (name) => {
    const res = await t.app.callFunction({ name: 'merchant', data: { action: name, ...EXAMPLES[name], openid: MERCHANT } });
    expect(res.result).toMatchObject({ ok: false });
    expect(['UNAUTHENTICATED', 'FORBIDDEN']).toContain((res.result as { code: string }).code);
  });
});

describe('as a merchant', () => {
  const call = async (action: string, payload: Record<string, unknown>) => (await t.callAs(MERCHANT, 'merchant', { action, ...payload })).body;

  it('stats answers a 30-day dashboard', async () => {
    const res = await call('stats', { range: '30d' });
    expect(res.ok).toBe(true);
    expect(res.data.days).toHaveLength(30);
    expect(res.data.funnel.map((s: { key: string }) => s.key)).toEqual(['cardOpens', 'cardLogins', 'bound', 'converted', 'confirmed']);
  });

  it('saveProduct creates, edits stock and takes off sale; listProducts shows off-sale ones too', async () => {
    const created = await call('saveProduct', EXAMPLES.saveProduct);
    expect(created).toMatchObject({ ok: true, data: { title: '偷偷上架', stock: 999, onSale: true } });
    const id = created.data.id;
    const edited = await call('saveProduct', { ...EXAMPLES.saveProduct, id, title: '新名字', stock: 5, onSale: false, priceFen: 1990 });
    expect(edited.data).toMatchObject({ id, title: '新名字', stock: 5, onSale: false, priceFen: 1990 });
    const list = await call('listProducts', { onSale: false });
    expect(list.data.items.map((p: { id: string }) => p.id)).toContain(id);
    const bad = await call('saveProduct', { ...EXAMPLES.saveProduct, images: [] });
    expect(bad).toMatchObject({ ok: false, code: 'PRODUCT_INVALID' });
    const badUrl = await call('saveProduct', { ...EXAMPLES.saveProduct, images: ['javascript:alert(1)'] });
    expect(badUrl).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
  });

  it('users finds by nickname, openid and invite code; referralTree shows one user', async () => {
    expect((await call('users', { query: '小安' })).data.items.map((u: { openid: string }) => u.openid)).toContain(SHOPPER);
    expect((await call('users', { query: SHOPPER })).data.items[0].openid).toBe(SHOPPER);
    expect((await call('users', { query: 'demo01' })).data.items[0].openid).toBe(SHOPPER);
    const tree = await call('referralTree', { openid: SHOPPER });
    expect(tree).toMatchObject({ ok: true, data: { user: { openid: SHOPPER }, invitees: [], ledger: [] } });
    expect(await call('referralTree', { openid: 'nobody-here' })).toMatchObject({ ok: false, code: 'USER_NOT_FOUND' });
  });

  it('blockUser blocks and unblocks, once each', async () => {
    const blocked = await call('blockUser', { openid: OTHER, blocked: true, reason: '刷单' });
    expect(blocked.data.blocked).toMatchObject({ reason: '刷单' });
    const again = await call('blockUser', { openid: OTHER, blocked: true, reason: '别的理由' });
    expect(again.data.blocked).toEqual(blocked.data.blocked);
    const unblocked = await call('blockUser', { openid: OTHER, blocked: false });
    expect(unblocked.data.blocked).toBeNull();
    expect(await call('blockUser', { openid: MERCHANT, blocked: true })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
  });

  it('blockUser for an openid with no account is refused and writes nothing (no blocked wallet waiting for them)', async () => {
    const WATCH = ['users', 'wallets', 'assist_helpers'];
    const before = await snapshot(t, WATCH);
    expect(await call('blockUser', { openid: 'roles-nobody', blocked: true, reason: '测试' })).toMatchObject({ ok: false, code: 'USER_NOT_FOUND' });
    expect(await snapshot(t, WATCH)).toEqual(before);
  });

  it('addMerchant gives the role by invite code; the new merchant passes the server check', async () => {
    const before = await t.callAs(OTHER, 'merchant', { action: 'stats', range: 'today' });
    expect(before.body.code).toBe('FORBIDDEN');
    await t.callAs(OTHER, 'user', { action: 'login' });
    const added = await call('addMerchant', { inviteCode: 'demo02' });
    expect(added.data).toMatchObject({ openid: OTHER });
    expect(added.data.roles).toContain('merchant');
    const after = await t.callAs(OTHER, 'merchant', { action: 'stats', range: 'today' });
    expect(after.body.ok).toBe(true);
    expect(await call('addMerchant', { inviteCode: 'NOPE99' })).toMatchObject({ ok: false, code: 'INVITE_CODE_INVALID' });
  });

  it('only an owner gives or takes back the role; a merchant blocked, or taken back, loses the tab', async () => {
    const HELPER = 'demo-helper-c';
    const STRANGER = 'roles-stranger';
    const login = async (who: string) => (await t.callAs(who, 'user', { action: 'login' })).body.data.inviteCode as string;
    const helperCode = await login(HELPER);
    const strangerCode = await login(STRANGER);
    expect(await call('addMerchant', { inviteCode: helperCode })).toMatchObject({ ok: true });
    const asHelper = (action: string, data: Record<string, unknown> = {}) => t.callAs(HELPER, 'merchant', { action, ...data }).then((r) => r.body);
    expect((await asHelper('stats', { range: 'today' })).ok).toBe(true);
    // A merchant who is not an owner can neither make a merchant nor unmake one, nor block an owner.
    expect(await asHelper('addMerchant', { inviteCode: strangerCode })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect((await t.callAs(STRANGER, 'merchant', { action: 'stats', range: 'today' })).body.code).toBe('FORBIDDEN');
    expect(await asHelper('removeMerchant', { openid: MERCHANT })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await asHelper('blockUser', { openid: MERCHANT, blocked: true, reason: '夺权' })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(await call('removeMerchant', { openid: MERCHANT })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    // Nor block another merchant (a block takes the tab away: removal by the back door), nor an owner.
    const peer = 'roles-peer';
    expect(await call('addMerchant', { inviteCode: await login(peer) })).toMatchObject({ ok: true });
    const peerBefore = (await t.db.collection('users').doc(peer).get()).data[0];
    expect(await asHelper('blockUser', { openid: peer, blocked: true, reason: '夺权' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect((await t.db.collection('users').doc(peer).get()).data[0]).toEqual(peerBefore);
    expect((await t.callAs(peer, 'merchant', { action: 'stats', range: 'today' })).body.ok).toBe(true);
    // Nor unblock one an owner blocked.
    expect(await call('blockUser', { openid: peer, blocked: true, reason: '账号异常' })).toMatchObject({ ok: true });
    expect(await asHelper('blockUser', { openid: peer, blocked: false })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect((await t.callAs(peer, 'merchant', { action: 'stats', range: 'today' })).body.code).toBe('FORBIDDEN');
    expect(await call('blockUser', { openid: peer, blocked: false })).toMatchObject({ ok: true });
    // Blocked by the owner: no tab while blocked, back once unblocked.
    expect(await call('blockUser', { openid: HELPER, blocked: true, reason: '账号异常' })).toMatchObject({ ok: true });
    expect((await asHelper('stats', { range: 'today' })).code).toBe('FORBIDDEN');
    expect(await call('blockUser', { openid: HELPER, blocked: false })).toMatchObject({ ok: true });
    expect((await asHelper('stats', { range: 'today' })).ok).toBe(true);
    // Taken back: the role goes, and the tab with it.
    const removed = await call('removeMerchant', { openid: HELPER });
    expect(removed.data.roles).not.toContain('merchant');
    expect((await asHelper('stats', { range: 'today' })).code).toBe('FORBIDDEN');
  });
});
