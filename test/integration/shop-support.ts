/** Helpers for the shop's integration tests: calls as a user, products made per test, the local payment system. */
import type { TestCloud } from '../support/cloud';

export const ADDRESS = { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号 1 幢 101 室' };
export const MERCHANT = 'demo-merchant';
export const MINUTE = 60_000;
export const DAY = 24 * 3600_000;

let seq = 0;
export const uniq = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++seq}`;

/** Shop actions that collect personal data (name, phone, address): the server wants the privacy consent first. */
const NEEDS_CONSENT = new Set(['createOrder', 'saveAddress']);
const consents = new WeakMap<TestCloud, Map<string, Promise<void>>>();

/**
 * What the app does on a shopper's first open: `user.login`, then `user.consent` to the privacy notice. Once per
 * shopper per cloud (concurrent callers share it); a shopper who already agreed is left as they are.
 */
export function consentingShopper(t: TestCloud, openid: string): Promise<void> {
  let known = consents.get(t);
  if (!known) consents.set(t, (known = new Map()));
  let done = known.get(openid);
  if (!done) {
    done = (async () => {
      const user = (await t.db.collection('users').doc(openid).get()).data[0];
      if (user?.consent) return;
      for (const body of [{ action: 'login' }, { action: 'consent', version: '2026-01' }]) {
        const res = await t.callAs(openid, 'user', body);
        if (!res.body?.ok) throw new Error(`user.${body.action} as ${openid} failed: ${JSON.stringify(res.body)}`);
      }
    })();
    known.set(openid, done);
    done.catch(() => known!.delete(openid));
  }
  return done;
}

/**
 * A shop call as `openid` through the gateway. Before an order or an address the shopper agrees to the privacy
 * notice, as in the app (shop-consent.test.ts covers the refusal without it, calling the gateway directly).
 */
export async function call(t: TestCloud, openid: string, action: string, payload: Record<string, unknown> = {}, fn = 'shop') {
  if (fn === 'shop' && NEEDS_CONSENT.has(action)) await consentingShopper(t, openid);
  const res = await t.callAs(openid, fn, { action, ...payload });
  return res.body as { ok: boolean; data?: any; code?: string; message?: string };
}

/** Call and expect ok; answers data. */
export async function ok(t: TestCloud, openid: string, action: string, payload: Record<string, unknown> = {}, fn = 'shop') {
  const body = await call(t, openid, action, payload, fn);
  if (!body.ok) throw new Error(`${fn}.${action} failed: ${body.code} ${body.message}`);
  return body.data;
}

export async function addProduct(t: TestCloud, fields: { stock: number; priceFen: number; onSale?: boolean; title?: string }) {
  const id = uniq('p');
  const now = new Date();
  await t.db.collection('products').add({
    _id: id,
    title: fields.title ?? `测试商品 ${id}`,
    description: '测试',
    images: [`/assets/demo/${id}.svg`],
    priceFen: fields.priceFen,
    stock: fields.stock,
    onSale: fields.onSale ?? true,
    sort: 0,
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

export async function stockOf(t: TestCloud, productId: string): Promise<number> {
  return (await t.db.collection('products').doc(productId).get()).data[0].stock;
}

export async function orderDoc(t: TestCloud, orderId: string) {
  return (await t.db.collection('orders').doc(orderId).get()).data[0];
}

export async function couponDoc(t: TestCloud, couponId: string) {
  return (await t.db.collection('coupons').doc(couponId).get()).data[0];
}

export async function payRoute(t: TestCloud, route: string, body?: unknown) {
  const res = await fetch(`${t.cloud.url}/__pay/${route}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

/** What a shopper's app does to pay: `pay`, then confirm on the sheet (the local cloud then notifies `times` times). */
export async function payOrder(t: TestCloud, openid: string, orderId: string, times = 1) {
  const prepared = await ok(t, openid, 'pay', { orderId });
  const confirm = await payRoute(t, 'confirm', { outTradeNo: prepared.outTradeNo, times });
  if (confirm.status !== 200) throw new Error(`confirm failed: ${JSON.stringify(confirm.body)}`);
  return confirm.body;
}

export async function createOrder(t: TestCloud, openid: string, items: { productId: string; quantity: number }[], extra: Record<string, unknown> = {}) {
  return ok(t, openid, 'createOrder', { requestId: uniq('req'), items, address: ADDRESS, ...extra });
}

/** Every document of these collections, for "nothing changed" assertions. */
export async function snapshot(t: TestCloud, collections: string[]) {
  const out: Record<string, unknown[]> = {};
  for (const c of collections) {
    const res = await t.db.collection(c).limit(1000).get();
    out[c] = (res.data as { _id: string }[]).sort((a, b) => String(a._id).localeCompare(String(b._id)));
  }
  return JSON.parse(JSON.stringify(out));
}

export const SHOP_COLLECTIONS = ['orders', 'products', 'coupons', 'idempotency', 'carts', 'addresses', 'refunds'];
