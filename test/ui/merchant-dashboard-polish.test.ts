/** 看板 polish (issue 17 item 9, compiled weapp page): whole-number axes for counts, distinct series, 日均活跃 as people, the funnel's last label. */
import { drawn } from './merchant-canvas';
import { cloudRoutes, ok, renderPage, waitFor, type RenderedPage } from './harness';
import { dashboard, merchantMe } from './merchant-fixtures';

let page: RenderedPage;

beforeAll(async () => {
  page = await renderPage('packages/merchant/dashboard/index', {
    cloud: cloudRoutes({
      'user.login': () => ok(merchantMe()),
      'merchant.stats': (payload) => {
        const d = dashboard(payload.range as '7d');
        // one assist over the week: the axis used to step 0, 0.25, 0.5…; 0.7 people a day used to read "0.7"
        d.series.assistStarted = [0, 0, 0, 0, 0, 0, 1];
        d.totals.activeUsersAvg = 0.7;
        d.funnel[4].count = 1;
        return ok(d);
      },
    }),
  });
  await page.waitForClass('kpi');
  await waitFor(() => page.all('chart__image').length === 6, { what: 'six chart pictures' });
});

const canvasWith = (text: string) => drawn.canvases.find((c) => c.calls.some((x) => x.op === 'fillText' && x.args[0] === text))!;
const texts = (c: { calls: { op: string; args: unknown[] }[] }) => c.calls.filter((x) => x.op === 'fillText').map((x) => String(x.args[0]));

test('日均活跃 is a whole number of people', () => {
  expect(page.one('kpi--active-users')?.textContent).toContain('1');
  expect(page.one('kpi--active-users')?.textContent).not.toContain('0.7');
});

test('the assist chart’s axis counts in whole steps: 0 1 2 3 4', () => {
  const assist = canvasWith('过期');
  expect(texts(assist).filter((t) => /^[\d.]+$/.test(t))).toEqual(['0', '1', '2', '3', '4']);
});

test('the users chart draws 日活 first and 新用户 / 邀请来的 dashed on top, with a legend of all three', () => {
  const users = canvasWith('日活');
  expect(texts(users)).toEqual(expect.arrayContaining(['日活', '新用户', '邀请来的']));
  const dashes = users.calls.filter((x) => x.op === 'setLineDash').map((x) => x.args[0]);
  expect(dashes).toEqual([[], [], [10, 6], [], [3, 5], []]);
  expect(texts(users).filter((t) => /^[\d.]+$/.test(t)).every((t) => Number.isInteger(Number(t)))).toBe(true);
});

test('the funnel’s last, narrow stage writes its label beside the bar, left-aligned, in dark text', () => {
  const funnel = canvasWith('过退款期确认 1');
  const i = funnel.calls.findIndex((x) => x.op === 'fillText' && x.args[0] === '过退款期确认 1');
  const before = funnel.calls.slice(0, i);
  const last = (op: string) => [...before].reverse().find((x) => x.op === op)?.args[0];
  expect(last('set:textAlign')).toBe('left');
  expect(last('set:fillStyle')).toBe('#262626');
  const first = funnel.calls.findIndex((x) => x.op === 'fillText' && x.args[0] === '打开分享卡片 40');
  expect([...funnel.calls.slice(0, first)].reverse().find((x) => x.op === 'set:textAlign')?.args[0]).toBe('center');
});
