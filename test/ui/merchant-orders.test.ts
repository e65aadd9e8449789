/** 订单 (compiled weapp page): the full shipping address with 复制, the packing list (装箱单), and shipping. */
import { callsTo, cloudRoutes, ok, renderPage, waitFor, wxCallsTo, type RenderedPage } from './harness';
import { address, order } from './fixtures';
import { merchantMe } from './merchant-fixtures';
import type { OrderView } from '../../types/api';
import { fen } from '../../types/money';

const paid = (id: string, over: Partial<OrderView> = {}) =>
  order(id, {
    status: 'paid',
    paidAt: '2026-12-04T16:00:00.000Z',
    items: [
      { productId: 'p-tea', title: '明前龙井', image: '', quantity: 2, unitPriceFen: fen(16800), subtotalFen: fen(33600) },
      { productId: 'p-cup', title: '茶杯', image: '', quantity: 1, unitPriceFen: fen(3000), subtotalFen: fen(3000) },
    ],
    ...over,
  });

let page: RenderedPage;

beforeAll(async () => {
  page = await renderPage('packages/merchant/orders/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(merchantMe()),
      'merchant.listOrders': () =>
        ok({
          items: [
            paid('o1', { orderNo: '20261205-000001' }),
            paid('o2', { orderNo: '20261205-000002', address: address({ name: '王五', phone: '13700001111', detail: '西溪路 8 号' }) }),
            // A refund approved whose money is still on its way back (the provider's refund is being retried).
            paid('o3', { orderNo: '20261205-000003', refundStatus: 'approved', address: address({ name: '赵六', phone: '13600002222', detail: '文一路 9 号' }) }),
          ],
          next: null,
        }),
      'merchant.shipOrder': (p) => ok(paid(String(p.orderId), { status: 'shipped', shipping: { carrier: String(p.carrier), trackingNo: String(p.trackingNo) } })),
    }),
  });
  await page.waitForClass('m-address');
});

test('every order shows the full address: name, the whole phone, province, city, district and street', () => {
  expect(page.all('m-address__text').map((el) => el.textContent)).toEqual([
    '李四 13900139000 浙江省 杭州市 西湖区 文三路 1 号',
    '王五 13700001111 浙江省 杭州市 西湖区 西溪路 8 号',
    '赵六 13600002222 浙江省 杭州市 西湖区 文一路 9 号',
  ]);
});

test('an order whose refund was approved reads 退款处理中 and offers no 发货 (the server would refuse it)', () => {
  expect(page.all('m-order__status').map((el) => el.textContent)).toEqual(['待发货', '待发货', '退款处理中']);
  const rows = page.all('m-order');
  const shipButtons = (row: HTMLElement) => Array.from(row.querySelectorAll('[class]')).filter((el) => Array.from(el.classList).some((c) => c.endsWith('m-order__ship'))).length;
  expect(rows.map(shipButtons)).toEqual([1, 1, 0]);
});

test('复制 puts that order’s full address on the clipboard', async () => {
  await page.tapElement(page.all('m-address__copy')[1]);
  await waitFor(() => wxCallsTo('setClipboardData').length === 1, { what: 'the copy' });
  expect(wxCallsTo('setClipboardData')[0].data).toBe('王五 13700001111 浙江省 杭州市 西湖区 西溪路 8 号');
});

test('装箱单 lays out the order for packing; in WeChat 复制装箱单 copies it as text', async () => {
  expect(page.one('packing-list')).toBeNull();
  await page.tapElement(page.all('m-order__packing')[0]);
  const sheet = await page.waitForClass('packing-list');
  const text = (sheet.textContent ?? '').replace(/\s+/g, ' ');
  expect(text).toContain('订单号：20261205-000001');
  expect(text).toContain('下单时间：2026-12-05 00:00');
  expect(text).toContain('收件人：李四 13900139000');
  expect(text).toContain('地址：浙江省 杭州市 西湖区 文三路 1 号');
  expect(page.all('packing-list__line').map((el) => (el.textContent ?? '').replace(/\s+/g, ''))).toEqual(['明前龙井×2', '茶杯×1']);
  expect(text).toContain('合计件数：3');
  expect(page.one('packing-list__print')).toBeNull(); // no window.print in WeChat
  await page.tap('packing-list__copy');
  await waitFor(() => wxCallsTo('setClipboardData').length === 2, { what: 'the packing list copy' });
  expect(wxCallsTo('setClipboardData')[1].data.split('\n')).toEqual([
    '装箱单',
    '订单号：20261205-000001',
    '下单时间：2026-12-05 00:00',
    '收件人：李四 13900139000',
    '地址：浙江省 杭州市 西湖区 文三路 1 号',
    '商品：',
    '  明前龙井 ×2',
    '  茶杯 ×1',
    '合计件数：3',
  ]);
  await page.tap('packing-list__close');
  await waitFor(() => page.one('packing-list') === null, { what: 'the sheet to close' });
});

test('发货 sends the carrier and tracking number for that order', async () => {
  await page.tapElement(page.all('m-order__ship')[0]);
  await page.type('ship-form__tracking', 'SF1234567890');
  await page.tap('ship-form__submit');
  await waitFor(() => callsTo('merchant.shipOrder').length === 1, { what: 'the shipment' });
  expect(callsTo('merchant.shipOrder')[0].payload).toEqual({ orderId: 'o1', carrier: '顺丰速运', trackingNo: 'SF1234567890' });
});
