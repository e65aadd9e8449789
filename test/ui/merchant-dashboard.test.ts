/** 看板 (compiled weapp page): KPIs, the funnel and line charts drawn on canvas, the range switch. */
import { drawn, drawnTexts } from './merchant-canvas';
import { callsTo, cloudRoutes, ok, renderPage, ui, waitFor, type RenderedPage } from './harness';
import { dashboard, merchantMe } from './merchant-fixtures';

let page: RenderedPage;

beforeAll(async () => {
  page = await renderPage('packages/merchant/dashboard/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(merchantMe()),
      'merchant.stats': (payload) => ok(dashboard(payload.range as '7d')),
    }),
  });
  await page.waitForClass('kpi');
});

test('asks for 7 days first and shows the totals', () => {
  expect(callsTo('merchant.stats')[0].payload).toEqual({ range: '7d' });
  expect(page.one('kpi--orders')?.textContent).toContain('17');
  expect(page.one('kpi--gmv')?.textContent).toContain('¥1680');
  expect(page.one('kpi--invited-users')?.textContent).toContain('12');
  expect(page.text()).toContain('返利成本 ¥113.00');
  expect(page.one('rebate-balances')?.textContent).toContain('现金 ¥50.00');
  expect(page.text()).toContain('助力：发起 4 · 成功 2 · 过期 1');
});

test('shows how the subscribe messages fared: sent, capped, failed attempts, given up', () => {
  expect(page.one('kpi--msg-sent')?.textContent).toContain('9');
  expect(page.one('kpi--msg-capped')?.textContent).toContain('3');
  expect(page.one('kpi--msg-failed')?.textContent).toContain('2 次');
  expect(page.one('kpi--msg-dead')?.textContent).toContain('1');
});

test('draws the funnel and the line charts, then shows them as pictures with the numbers in words', async () => {
  await waitFor(() => page.all('chart__image').length === 6, { what: 'six chart pictures' });
  expect(drawn.canvases).toHaveLength(6);
  const texts = drawnTexts();
  for (const step of ['打开分享卡片 40', '从卡片登录 20', '绑定邀请关系 15', '首次下单 6', '过退款期确认 3']) expect(texts).toContain(step);
  expect(texts).toEqual(expect.arrayContaining(['↓ 50%', '↓ 75%', '↓ 40%']));
  // every line chart drew a polyline: one moveTo and n-1 lineTo per series, plus the grid
  const lineCalls = drawn.canvases.slice(1).map((c) => c.calls.filter((x) => x.op === 'lineTo').length);
  expect(lineCalls.every((n) => n >= 6)).toBe(true);
  expect(page.one('chart--funnel')?.textContent).toContain('打开分享卡片 40 → 从卡片登录 20（50%） → 绑定邀请关系 15（75%） → 首次下单 6（40%） → 过退款期确认 3（50%）');
  expect(page.one('chart--orders')?.textContent).toContain('订单：合计 16，最高 11-23 6');
});

test('the range switch asks again for 30 days and redraws', async () => {
  const before = drawn.canvases.length;
  await page.tap('range-30d');
  await waitFor(() => callsTo('merchant.stats').length === 2, { what: 'a second stats call' });
  expect(callsTo('merchant.stats')[1].payload).toEqual({ range: '30d' });
  // Six canvases redrawn (every chart's numbers differ), whether or not the loading state committed in between: under
  // a full test run on two cores this can take longer than the default 3 s.
  await waitFor(() => drawn.canvases.length >= before + 6, { timeout: 10_000, what: 'charts redrawn' });
  await waitFor(() => page.one('chart--funnel')?.textContent?.includes('打开分享卡片 80 → 从卡片登录 40（50%）'), { timeout: 10_000, what: 'the 30-day funnel in words' });
});

test('a pull-down refresh with new numbers redraws the chart that changed (same asOf), and only that one', async () => {
  const before = drawn.canvases.length;
  const calls = callsTo('merchant.stats').length;
  const fresh = dashboard('30d');
  fresh.series.orders = fresh.series.orders.map((v, i) => (i === fresh.days.length - 1 ? v + 3 : v));
  ui.cloud = cloudRoutes({ 'merchant.stats': () => ok(fresh) });
  page.instance.onPullDownRefresh();
  await waitFor(() => callsTo('merchant.stats').length === calls + 1, { what: 'a refresh stats call' });
  await waitFor(() => page.one('chart--orders')?.textContent?.includes('合计 79，最高 11-23 9'), { timeout: 10_000, what: 'the orders summary updated' });
  await waitFor(() => drawn.canvases.length === before + 1, { timeout: 10_000, what: 'the orders chart redrawn' });
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(drawn.canvases.length).toBe(before + 1);
});
