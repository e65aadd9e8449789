/**
 * A payload that fails validation answers INVALID_ARGUMENT with a Chinese sentence naming the field by its Chinese
 * label — never a field path such as "请求参数不正确：useCashFen" — through the gateway, for shoppers' and merchants'
 * actions alike, and changes nothing.
 */
import { startTestCloud, TestCloud } from '../support/cloud';
import { databaseHash } from '../support/fuzz';

let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(() => t.close());

const SHOPPER = 'vm-shopper';
const MERCHANT = 'demo-merchant';
const ADDRESS = { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号' };
const order = (extra: Record<string, unknown>) => ({ action: 'createOrder', requestId: 'vm-request-0001', items: [{ productId: 'p-tea', quantity: 1 }], address: ADDRESS, ...extra });

const CASES: [string, string, string, Record<string, unknown>, string][] = [
  ['a fractional useCashFen', SHOPPER, 'shop', order({ useCashFen: 1.5 }), '使用的余额（分）须为整数'],
  ['a negative useCashFen', SHOPPER, 'shop', order({ useCashFen: -1 }), '使用的余额（分）不能小于 0'],
  ['useCashFen as text', SHOPPER, 'shop', order({ useCashFen: '100' }), '使用的余额（分）须为数字'],
  ['no requestId', SHOPPER, 'shop', { action: 'createOrder', items: [{ productId: 'p-tea', quantity: 1 }], address: ADDRESS }, '缺少请求编号'],
  ['a malformed product id on a line', SHOPPER, 'shop', order({ items: [{ productId: '$where', quantity: 1 }] }), '第 1 件商品的商品编号格式不正确'],
  ['an empty item list', SHOPPER, 'shop', order({ items: [] }), '商品不能为空'],
  ['a too long address detail', SHOPPER, 'shop', order({ address: { ...ADDRESS, detail: '路'.repeat(241) } }), '收货地址的详细地址不能超过 240 个字'],
  ['an unknown field', SHOPPER, 'shop', order({ discount: 50 }), '请求中有不支持的参数'],
  ['an unknown order status', SHOPPER, 'shop', { action: 'listOrders', status: 'stolen' }, '状态不是可选的值'],
  ['a page size of 0', SHOPPER, 'shop', { action: 'listOrders', pageSize: 0 }, '每页条数不能小于 1'],
  ['a withdrawal of 0', SHOPPER, 'wallet', { action: 'withdraw', amountFen: 0, requestId: 'vm-request-0002' }, '金额（分）不能小于 1'],
  ['a too long nickname', SHOPPER, 'user', { action: 'profile', nickname: '小'.repeat(21) }, '昵称不能超过 20 个字'],
  ['an invite source that does not exist', SHOPPER, 'user', { action: 'login', source: 'sms' }, '来源不是可选的值'],
  ['a help without a task', SHOPPER, 'assist', { action: 'help' }, '缺少助力任务编号'],
  ['a rule reward of an unknown form', MERCHANT, 'merchant', {
    action: 'saveRebateRule', name: '规则', active: true, priority: 0, reward: { form: 'gold', amountFen: 1 }, trigger: { kind: 'everyN', n: 3, minOrderFen: 0 },
    caps: { perInviterPerDay: null, perInviterTotal: null }, productIds: null, startsAt: null, endsAt: null,
  }, '奖励的奖励形式不是可选的值'],
  ['a product with a bad image', MERCHANT, 'merchant', { action: 'saveProduct', title: '茶', description: '', images: ['javascript:alert(1)'], priceFen: 100, stock: 1, onSale: true }, '第 1 张商品图片格式不正确'],
  ['a tracking number with spaces', MERCHANT, 'merchant', { action: 'shipOrder', orderId: 'o-1', carrier: '顺丰', trackingNo: 'SF 1' }, '快递单号格式不正确'],
];

it.each(CASES)('%s → INVALID_ARGUMENT in Chinese, no field path, nothing written', async (_name, who, fn, body, sentence) => {
  const hash = databaseHash(t.cloud.store);
  const r = await t.callAs(who, fn, body);
  expect(r.status).toBe(200);
  expect(r.body).toEqual({ ok: false, code: 'INVALID_ARGUMENT', message: `请求参数不正确：${sentence}` });
  expect(r.body.message).not.toMatch(/[A-Za-z]/);
  expect(databaseHash(t.cloud.store)).toBe(hash);
});

it('an address the use case refuses names the field in Chinese too', async () => {
  await t.callAs(SHOPPER, 'user', { action: 'login' });
  await t.callAs(SHOPPER, 'user', { action: 'consent', version: '2026-01' });
  const r = await t.callAs(SHOPPER, 'shop', { action: 'saveAddress', ...ADDRESS, phone: '12345' });
  expect(r.body).toEqual({ ok: false, code: 'ADDRESS_INVALID', message: '收货地址的手机号填写不正确' });
});
