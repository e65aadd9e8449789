/**
 * Personal data needs the privacy consent first (WeChat's privacy review requires it): placing an order with a name,
 * phone and address, or saving an address, is refused with PRIVACY_CONSENT_REQUIRED until the shopper has agreed to
 * the privacy notice (`user.consent`) — through the gateway, with nothing written. Browsing, the quote, the cart and
 * their own saved addresses stay open.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { databaseHash } from '../support/fuzz';
import { ADDRESS, addProduct, uniq } from './shop-support';

let t: TestCloud;
let product: string;
beforeAll(async () => {
  t = await startTestCloud();
  product = await addProduct(t, { stock: 10, priceFen: 1000 });
});
afterAll(() => t.close());

const MESSAGE = '请先阅读并同意隐私保护指引';
const shop = async (openid: string, action: string, payload: Record<string, unknown> = {}) => (await t.callAs(openid, 'shop', { action, ...payload })).body;
const user = async (openid: string, action: string, payload: Record<string, unknown> = {}) => (await t.callAs(openid, 'user', { action, ...payload })).body;
const order = () => ({ requestId: uniq('req'), items: [{ productId: product, quantity: 1 }], address: ADDRESS });

async function expectRefused(openid: string, action: string, payload: Record<string, unknown>) {
  const hash = databaseHash(t.cloud.store);
  const seq = t.cloud.store.seq;
  expect(await shop(openid, action, payload)).toEqual({ ok: false, code: 'PRIVACY_CONSENT_REQUIRED', message: MESSAGE });
  // Nothing written: no order, no stock reserved, no idempotency lock, no address.
  expect(t.cloud.store.seq).toBe(seq);
  expect(databaseHash(t.cloud.store)).toBe(hash);
}

it('a shopper who opened the app but has not agreed cannot order with an address or save one', async () => {
  const u = uniq('no-consent');
  expect(await user(u, 'login')).toMatchObject({ ok: true, data: { consented: false } });
  await expectRefused(u, 'createOrder', order());
  await expectRefused(u, 'saveAddress', { ...ADDRESS });
  await expectRefused(u, 'createOrder', { ...order(), addressId: 'a-anything', address: undefined });
});

it('an openid with no user record at all is refused the same way', async () => {
  const ghost = uniq('ghost');
  await expectRefused(ghost, 'createOrder', order());
  await expectRefused(ghost, 'saveAddress', { ...ADDRESS });
});

it('what needs no personal data stays open before consent: products, cart, quote, listing and deleting addresses', async () => {
  const u = uniq('browse');
  await user(u, 'login');
  expect(await shop(u, 'getProduct', { productId: product })).toMatchObject({ ok: true });
  expect(await shop(u, 'addToCart', { productId: product, quantity: 1 })).toMatchObject({ ok: true });
  expect(await shop(u, 'quote', { items: [{ productId: product, quantity: 1 }] })).toMatchObject({ ok: true, data: { payableFen: 1000 } });
  expect(await shop(u, 'listAddresses')).toEqual({ ok: true, data: [] });
  expect(await shop(u, 'deleteAddress', { id: 'a-none' })).toMatchObject({ ok: false, code: 'ADDRESS_NOT_FOUND' });
});

it('after agreeing, the same requests go through', async () => {
  const u = uniq('consents');
  await user(u, 'login');
  const refused = order();
  await expectRefused(u, 'createOrder', refused);
  expect(await user(u, 'consent', { version: '2026-01' })).toMatchObject({ ok: true, data: { consented: true } });
  // The refused requestId was not used up.
  expect(await shop(u, 'createOrder', refused)).toMatchObject({ ok: true, data: { created: true, order: { status: 'pending_payment' } } });
  const saved = await shop(u, 'saveAddress', { ...ADDRESS });
  expect(saved).toMatchObject({ ok: true, data: { isDefault: true } });
  expect(await shop(u, 'createOrder', { requestId: uniq('req'), items: [{ productId: product, quantity: 1 }], addressId: saved.data.id })).toMatchObject({ ok: true });
});
