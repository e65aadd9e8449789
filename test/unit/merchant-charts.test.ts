/** The dashboard's chart renderer: scales, point placement, label thinning, funnel bars. */
import { drawFunnel, drawLineChart, funnelBars, labelIndexes, linePoints, niceScale, percent } from '../../src/packages/merchant/charts/draw';

test.each([
  [0, { max: 4, step: 1 }],
  [3, { max: 4, step: 1 }],
  [7, { max: 8, step: 2 }],
  [9, { max: 10, step: 2.5 }],
  [97, { max: 100, step: 25 }],
  [60000, { max: 80000, step: 20000 }],
])('niceScale(%p)', (max, expected) => {
  expect(niceScale(max)).toEqual(expected);
});

test('points: the first and last day at the edges, the max at the top, 0 at the bottom; one day in the middle', () => {
  const box = { left: 10, top: 0, right: 110, bottom: 100 };
  expect(linePoints([0, 5, 10], box, 10)).toEqual([{ x: 10, y: 100 }, { x: 60, y: 50 }, { x: 110, y: 0 }]);
  expect(linePoints([3], box, 4)).toEqual([{ x: 60, y: 25 }]);
  expect(linePoints([20], box, 10)[0].y).toBe(0); // clipped, never drawn outside
});

test.each([
  [1, [0]],
  [7, [0, 1, 2, 3, 4, 5, 6]],
  [8, [0, 2, 4, 7]],
  [30, [0, 5, 10, 15, 20, 25, 29]],
])('labelIndexes(%p)', (n, expected) => {
  expect(labelIndexes(n)).toEqual(expected);
});

test('funnel bars narrow with the counts and stay visible at 0', () => {
  const bars = funnelBars([{ label: 'a', count: 10, rateBp: null }, { label: 'b', count: 5, rateBp: 5000 }, { label: 'c', count: 0, rateBp: 0 }], 232);
  expect(bars.map((b) => b.width)).toEqual([200, 100, 8]);
  expect(bars.map((b) => b.x)).toEqual([16, 66, 112]);
  expect(percent(3333)).toBe('33.3%');
  expect(percent(5000)).toBe('50%');
  expect(percent(null)).toBe('—');
});

function recorder() {
  const calls: { op: string; args: unknown[] }[] = [];
  const ctx = new Proxy({} as Record<string, unknown>, {
    get: (t, p: string) => (p in t ? t[p] : (...args: unknown[]) => void calls.push({ op: p, args })),
    set: (t, p: string, v) => ((t[p] = v), true),
  });
  return { ctx: ctx as never, calls };
}

test('a line chart draws each series as one polyline with its legend', () => {
  const { ctx, calls } = recorder();
  drawLineChart(ctx, { width: 300, height: 200, labels: ['a', 'b', 'c'], series: [{ name: '订单', color: '#f00', values: [1, 2, 3] }, { name: '退款', color: '#00f', values: [0, 1, 0] }] });
  const texts = calls.filter((c) => c.op === 'fillText').map((c) => c.args[0]);
  expect(texts).toEqual(expect.arrayContaining(['a', 'b', 'c', '订单', '退款', '0', '4']));
  expect(calls.filter((c) => c.op === 'arc')).toHaveLength(6);
});

test('a funnel writes each step with its count and each rate', () => {
  const { ctx, calls } = recorder();
  drawFunnel(ctx, [{ label: '打开', count: 4, rateBp: null }, { label: '登录', count: 2, rateBp: 5000 }], 300);
  expect(calls.filter((c) => c.op === 'fillText').map((c) => c.args[0])).toEqual(['打开 4', '登录 2', '↓ 50%']);
});
