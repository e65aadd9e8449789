/**
 * The authorization matrix: every action of every function (the catalogue) × every kind of caller — the owner of the
 * resources in the example payload, another shopper, the merchant, and no identity (the gateway without a token; the
 * SDK's `callFunction` from a server, which carries no OPENID) — with the exact answer each must get, as one table.
 * The example's own caller goes last; every refusal before it must leave the database exactly as it was (write
 * sequence and full content), so someone else's order, address, coupon, task or withdrawal is never touched.
 */
import { ACTIONS, actionKey, Runner, runnerOpenid } from '../support/actions';
import { startTestCloud, TestCloud } from '../support/cloud';
import { databaseHash } from '../support/fuzz';
import { buildScenario, Scenario } from '../support/scenario';

type Caller = 'owner' | 'other' | 'merchant' | 'noToken' | 'server';
type Row = Record<Caller, string>;

const F = 'FORBIDDEN';
/** A user action anyone signed in may call about themselves. */
const anyUser: Row = { owner: 'ok', other: 'ok', merchant: 'ok', noToken: '401 UNAUTHENTICATED', server: 'UNAUTHENTICATED' };
/** A user action on the owner's resource: another shopper (and the merchant, a shopper too) gets `code`. */
const ownersOnly = (code: string): Row => ({ ...anyUser, other: code, merchant: code });
const merchantOnly: Row = { owner: F, other: F, merchant: 'ok', noToken: '401 UNAUTHENTICATED', server: 'UNAUTHENTICATED' };

const EXPECTED: Record<string, Row> = {
  'user.login': anyUser,
  'user.consent': anyUser,
  'user.profile': anyUser,
  // The other shopper's code: their own (SELF_INVITE); the merchant, with no inviter and no order, may bind to it;
  // the owner has paid orders (and invited the other shopper).
  'user.bindCode': { ...anyUser, other: 'SELF_INVITE', owner: 'BIND_AFTER_PURCHASE' },
  'user.exportData': anyUser,
  // Only the typed confirmation deletes; each caller is refused alike and nothing changes.
  'user.deleteAccount': { owner: 'INVALID_ARGUMENT', other: 'INVALID_ARGUMENT', merchant: 'INVALID_ARGUMENT', noToken: '401 UNAUTHENTICATED', server: 'UNAUTHENTICATED' },
  'shop.listProducts': anyUser,
  'shop.getProduct': anyUser,
  'shop.getCart': anyUser,
  'shop.addToCart': anyUser,
  // Each changes their own cart (the addToCart row put the product in the merchant's).
  'shop.setCartQuantity': anyUser,
  'shop.removeFromCart': anyUser,
  'shop.listAddresses': anyUser,
  'shop.saveAddress': anyUser,
  'shop.deleteAddress': ownersOnly('ADDRESS_NOT_FOUND'),
  // Someone else's coupon is not found (as createOrder, had the address been theirs).
  'shop.quote': ownersOnly('COUPON_NOT_FOUND'),
  'shop.createOrder': ownersOnly('ADDRESS_NOT_FOUND'),
  'shop.pay': ownersOnly('ORDER_NOT_FOUND'),
  'shop.cancelOrder': ownersOnly('ORDER_NOT_FOUND'),
  'shop.listOrders': anyUser,
  'shop.getOrder': ownersOnly('ORDER_NOT_FOUND'),
  'shop.confirmReceipt': ownersOnly('ORDER_NOT_FOUND'),
  'shop.requestRefund': ownersOnly('ORDER_NOT_FOUND'),
  'shop.listCoupons': anyUser,
  // Only the platform: the payment system's notification.
  'shop.paymentNotify': { owner: F, other: F, merchant: F, noToken: '401 UNAUTHENTICATED', server: 'ok' },
  'referral.myInviteCard': anyUser,
  'referral.posterCode': anyUser,
  'referral.myInvitees': anyUser,
  'referral.progress': anyUser,
  'wallet.summary': anyUser,
  'wallet.entries': anyUser,
  'wallet.activity': anyUser,
  'wallet.coupons': anyUser,
  // Each withdraws from their own wallet: the merchant has nothing in theirs.
  'wallet.withdraw': { ...anyUser, merchant: 'INSUFFICIENT_BALANCE' },
  'wallet.withdrawals': anyUser,
  'wallet.confirmTransfer': ownersOnly('WITHDRAWAL_NOT_FOUND'),
  'assist.campaign': anyUser,
  'assist.start': anyUser,
  // The example helps the other shopper's task: they cannot help themselves.
  'assist.help': { ...anyUser, other: 'ASSIST_SELF_HELP' },
  // A task card is open to friends (that is how they help).
  'assist.get': anyUser,
  'shop.groupOffer': anyUser,
  'shop.getGroup': { ...anyUser, owner: 'GROUP_NOT_FOUND', other: 'GROUP_NOT_FOUND', merchant: 'GROUP_NOT_FOUND' },
  'shop.myGroups': anyUser,
  // The scenario's product has no pre-sale: the view is null, the rest are refused as not found for everyone.
  'shop.presale': anyUser,
  'shop.payDeposit': { ...anyUser, owner: 'PRESALE_NOT_FOUND', other: 'PRESALE_NOT_FOUND', merchant: 'PRESALE_NOT_FOUND' },
  'shop.withdrawDeposit': { ...anyUser, owner: 'PRESALE_NOT_FOUND', other: 'PRESALE_NOT_FOUND', merchant: 'PRESALE_NOT_FOUND' },
  'shop.payBalance': { ...anyUser, owner: 'PRESALE_NOT_FOUND', other: 'PRESALE_NOT_FOUND', merchant: 'PRESALE_NOT_FOUND' },
  'shop.storeInfo': anyUser,
  'shop.homeBanners': anyUser,
  'shop.categories': anyUser,
  'assist.mine': anyUser,
  'settle.run': { ...merchantOnly, server: 'ok' },
};
for (const a of ACTIONS) if (a.fn === 'merchant') EXPECTED[actionKey(a)] = merchantOnly;

let t: TestCloud;
let s: Scenario;

beforeAll(async () => {
  t = await startTestCloud();
  s = await buildScenario(t);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

async function answer(fn: string, data: Record<string, unknown>, caller: Caller): Promise<string> {
  if (caller === 'server') {
    const res = (await t.app.callFunction({ name: fn, data })) as { result: { ok: boolean; code?: string } };
    return res.result.ok ? 'ok' : String(res.result.code);
  }
  if (caller === 'noToken') {
    const res = await fetch(`${t.cloud.url}/fn/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) });
    const body = (await res.json()) as { code?: string };
    return `${res.status} ${body.code}`;
  }
  const res = await t.callAs(runnerOpenid(s, caller as Runner)!, fn, data);
  if (res.status !== 200) return `HTTP ${res.status} ${res.body?.code}`;
  return res.body.ok ? 'ok' : String(res.body.code);
}

it('every action × owner, another shopper, merchant, no identity: the exact answer, and a refusal changes nothing', async () => {
  expect(Object.keys(EXPECTED).sort()).toEqual(ACTIONS.map(actionKey).sort());
  const actual: Record<string, Row> = {};
  const changedByRefusal: string[] = [];
  for (const example of ACTIONS) {
    const key = actionKey(example);
    const data = { ...example.payload(s), action: example.action };
    // The example's own caller last: the others meet the state the example was written for.
    const runner: Caller = example.as === 'platform' ? 'server' : example.as;
    const order = (['noToken', 'server', 'other', 'merchant', 'owner'] as Caller[]).filter((c) => c !== runner).concat(runner);
    const row = {} as Row;
    for (const caller of order) {
      const seq = t.cloud.store.seq;
      const hash = databaseHash(t.cloud.store);
      row[caller] = await answer(example.fn, data, caller);
      if (row[caller] !== 'ok' && (t.cloud.store.seq !== seq || databaseHash(t.cloud.store) !== hash)) changedByRefusal.push(`${key} as ${caller}: ${row[caller]}`);
    }
    actual[key] = row;
  }
  expect(actual).toEqual(EXPECTED);
  expect(changedByRefusal).toEqual([]);
}, 120_000);
