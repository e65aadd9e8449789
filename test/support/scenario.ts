/**
 * One small world per test file, built through the real gateway and SDK the way the app and the modules make it:
 * an owner and another shopper (each with an address, a coupon, orders in every state, an assist task, withdrawals),
 * a shopper the merchant may block, one who may be made a merchant, a reward, and products of the scenario's own.
 * The action catalogue (actions.ts) takes the ids its example payloads need from here.
 */
import { issueCoupon } from '../../cloudfunctions/app/coupons/coupons';
import { withUserTx } from '../../cloudfunctions/app/wallet/tx';
import { creditAvailable, creditFrozen } from '../../cloudfunctions/domain/ledger';
import type { Fen } from '../../types/money';
import type { TestCloud } from './cloud';

export const ADDRESS = { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号 1 幢 101 室' };
export const MERCHANT = 'demo-merchant';

/** What one shopper owns in the scenario. */
export interface Holdings {
  openid: string;
  inviteCode: string;
  addressId: string;
  /** An address of theirs that the catalogue's deleteAddress example deletes. */
  spareAddressId: string;
  couponId: string;
  orders: {
    /** pending_payment, for `pay`. */
    unpaid: string;
    /** pending_payment, for `cancelOrder`. */
    toCancel: string;
    /** paid, for `requestRefund` and `getOrder`. */
    paid: string;
    /** paid, for the merchant's `shipOrder`. */
    toShip: string;
    /** shipped, for `confirmReceipt`. */
    shipped: string;
    /** paid with a refund requested, for the merchant's `reviewRefund`. */
    refundRequested: string;
  };
  taskId: string;
  /** pending, for the merchant's `reviewWithdrawal`. */
  withdrawalPending: string;
  /** approved and transferring, for `confirmTransfer`. */
  withdrawalTransferring: string;
}

export interface Scenario {
  owner: Holdings;
  other: Holdings;
  merchant: string;
  /** A shopper the merchant's blockUser example (un)blocks. */
  victim: string;
  /** The invite code of a shopper the addMerchant example promotes. */
  promoteCode: string;
  /** A product with plenty of stock that every order of the scenario buys. */
  productId: string;
  /** A product only the merchant examples (rebate rule, assist campaign) touch. */
  merchantProductId: string;
  /** A product no order holds and no other example uses (the merchant's deleteProduct example deletes it). */
  spareProductId: string;
  /** A reward (frozen, matured) the merchant's voidReward example voids. */
  rewardId: string;
  /** Real ids that belong to someone else than the owner, for the fuzzer's "other users' ids". */
  foreignIds: string[];
}

type Body = { ok: boolean; data?: any; code?: string; message?: string };

let counter = 0;
const uniq = (prefix: string) => `${prefix}-${Date.now().toString(36)}${(++counter).toString(36)}`;

export async function gatewayOk(t: TestCloud, openid: string, fn: string, action: string, payload: Record<string, unknown> = {}) {
  const res = await t.callAs(openid, fn, { action, ...payload });
  const body = res.body as Body;
  if (res.status !== 200 || !body.ok) throw new Error(`scenario: ${fn}.${action} as ${openid} failed: HTTP ${res.status} ${body.code} ${body.message}`);
  return body.data;
}

async function payOrder(t: TestCloud, buyer: string, orderId: string) {
  const prepared = await gatewayOk(t, buyer, 'shop', 'pay', { orderId });
  const res = await fetch(`${t.cloud.url}/__pay/confirm`, { method: 'POST', body: JSON.stringify({ outTradeNo: prepared.outTradeNo }) });
  if (res.status !== 200) throw new Error(`scenario: payment of ${orderId} failed: ${await res.text()}`);
}

async function holdings(t: TestCloud, openid: string, productId: string, inviteCode?: string): Promise<Holdings> {
  const login = await gatewayOk(t, openid, 'user', 'login', inviteCode ? { inviteCode, source: 'card' } : {});
  await gatewayOk(t, openid, 'user', 'consent', { version: '2026-01' });
  const address = await gatewayOk(t, openid, 'shop', 'saveAddress', { ...ADDRESS, isDefault: true });
  const spare = await gatewayOk(t, openid, 'shop', 'saveAddress', { ...ADDRESS, detail: '备用地址 2 号' });
  const ctx = { db: t.db as any, clock: { now: () => new Date(t.cloud.clock.now()) } };
  const { couponId } = await issueCoupon(ctx, { sourceKey: `scenario:${openid}`, ownerId: openid, amountFen: 100 as Fen, minSpendFen: 0 as Fen, validDays: 30, held: false });
  const order = async () => (await gatewayOk(t, openid, 'shop', 'createOrder', { requestId: uniq('scn'), items: [{ productId, quantity: 1 }], addressId: address.id })).order.id as string;
  const orders = { unpaid: await order(), toCancel: await order(), paid: await order(), toShip: await order(), shipped: await order(), refundRequested: await order() };
  for (const id of [orders.paid, orders.toShip, orders.shipped, orders.refundRequested]) await payOrder(t, openid, id);
  await gatewayOk(t, MERCHANT, 'merchant', 'shipOrder', { orderId: orders.shipped, carrier: '顺丰', trackingNo: uniq('SF') });
  await gatewayOk(t, openid, 'shop', 'requestRefund', { orderId: orders.refundRequested, reason: '不想要了' });
  await gatewayOk(t, openid, 'shop', 'addToCart', { productId, quantity: 1 });
  const task = await gatewayOk(t, openid, 'assist', 'start', { productId: 'p-tea' });
  // Cash to withdraw, posted the way the ledger records a reward (the wallet and its entry in one transaction).
  await withUserTx(ctx, openid, async (u) => u.post(`scenario:seed:${openid}`, creditAvailable(u.balances, 'cash', 100_000, 'reward_posted')));
  const pending = await gatewayOk(t, openid, 'wallet', 'withdraw', { amountFen: 1000, requestId: uniq('wreq') });
  const transferring = await gatewayOk(t, openid, 'wallet', 'withdraw', { amountFen: 1000, requestId: uniq('wreq') });
  const approved = await gatewayOk(t, MERCHANT, 'merchant', 'reviewWithdrawal', { withdrawalId: transferring.id, approve: true });
  if (approved.status !== 'transferring') throw new Error(`scenario: withdrawal ${transferring.id} is ${approved.status}`);
  return {
    openid,
    inviteCode: login.inviteCode,
    addressId: address.id,
    spareAddressId: spare.id,
    couponId,
    orders,
    taskId: task.taskId,
    withdrawalPending: pending.id,
    withdrawalTransferring: transferring.id,
  };
}

/** Build the scenario once (per test file): about 80 calls through the gateway. */
export async function buildScenario(t: TestCloud): Promise<Scenario> {
  const tag = uniq('sc');
  const now = new Date(t.cloud.clock.now());
  const product = (id: string) => ({ _id: id, title: `场景商品 ${id}`, description: '测试', images: [`/assets/demo/${id}.svg`], priceFen: 1000, stock: 1_000_000, onSale: true, sort: 0, createdAt: now, updatedAt: now });
  const productId = `${tag}-p`;
  const merchantProductId = `${tag}-mp`;
  const spareProductId = `${tag}-sp`;
  await t.db.collection('products').add([product(productId), product(merchantProductId), product(spareProductId)]);
  // Withdrawals are made by the scenario and by the examples many times a day.
  await gatewayOk(t, MERCHANT, 'merchant', 'saveReferralSettings', { withdrawDailyCount: 100 });
  // The merchant is a shopper too, who agreed to the privacy notice (an address or an order needs it).
  await gatewayOk(t, MERCHANT, 'user', 'login');
  await gatewayOk(t, MERCHANT, 'user', 'consent', { version: '2026-01' });
  const owner = await holdings(t, `${tag}-owner`, productId);
  const other = await holdings(t, `${tag}-other`, productId, owner.inviteCode);
  const victim = `${tag}-victim`;
  await gatewayOk(t, victim, 'user', 'login');
  const promoted = await gatewayOk(t, `${tag}-promoted`, 'user', 'login');
  // A reward the merchant can void: a frozen, matured cash reward of `victim`'s, written as the ledger writes one.
  const rewardId = `rw_${victim}_scenario`;
  await withUserTx({ db: t.db as any, clock: { now: () => new Date(t.cloud.clock.now()) } }, victim, async (u) => {
    u.post(`reward:${rewardId}:frozen`, creditFrozen('cash', 500), { rewardId, orderId: other.orders.paid });
    u.insert('rewards', {
      _id: rewardId, userId: victim, ruleId: 'rule-tuisanfanyi', ruleName: '推三返一', trigger: 'everyN', form: 'cash', amount: 500, coupon: null, orderId: other.orders.paid,
      members: [{ inviteeId: other.openid, orderId: other.orders.paid, refundDeadline: now }], status: 'frozen', maturesAt: now, day: now.toISOString().slice(0, 10),
      couponSyncAt: null, reason: null, createdAt: now, postedAt: null, voidedAt: null, updatedAt: now,
    } as any);
  });
  return {
    owner,
    other,
    merchant: MERCHANT,
    victim,
    promoteCode: promoted.inviteCode,
    productId,
    merchantProductId,
    spareProductId,
    rewardId,
    foreignIds: [
      other.openid,
      MERCHANT,
      other.orders.paid,
      other.orders.unpaid,
      other.orders.shipped,
      other.addressId,
      other.couponId,
      other.taskId,
      other.withdrawalPending,
      other.withdrawalTransferring,
      other.inviteCode,
      'p-tea',
      'p-nuts',
      'rule-tuisanfanyi',
      'campaign-tea',
    ],
  };
}
