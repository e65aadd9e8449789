/** The dashboard's chart renderer: scales, point placement, label thinning, funnel bars. */
import { drawFunnel, drawLineChart, funnelBars, funnelLabel, labelIndexes, linePoints, niceScale, percent, textWidth } from '../../src/packages/merchant/charts/draw';
import { avgCountText } from '../../src/packages/merchant/format';

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

test.each([
  [0, { max: 4, step: 1 }],
  [1, { max: 4, step: 1 }],
  [3, { max: 4, step: 1 }],
  [5, { max: 8, step: 2 }],
  [9, { max: 20, step: 5 }],
  [97, { max: 200, step: 50 }],
  [120, { max: 200, step: 50 }],
])('niceScale(%p) for counts: whole-number steps only', (max, expected) => {
  const s = niceScale(max, 4, true);
  expect(s).toEqual(expected);
  expect(Number.isInteger(s.step)).toBe(true);
  expect(s.max).toBeGreaterThanOrEqual(max);
});

test('every count axis from 0 to 500 ticks in whole numbers and covers the data', () => {
  for (let top = 0; top <= 500; top++) {
    const { max, step } = niceScale(top, 4, true);
    expect(Number.isInteger(step) && step >= 1).toBe(true);
    expect(max).toBeGreaterThanOrEqual(top);
  }
});

test('an integer line chart of one assist writes axis labels 0 1 2 3 4, never 0.25', () => {
  const { ctx, calls } = recorder();
  drawLineChart(ctx, { width: 300, height: 200, labels: ['a', 'b'], integer: true, series: [{ name: '发起', color: '#f00', values: [0, 1] }] });
  const axis = calls.filter((c) => c.op === 'fillText').map((c) => String(c.args[0])).filter((t) => /^[\d.]+$/.test(t));
  expect(axis).toEqual(['0', '1', '2', '3', '4']);
});

test('a dashed series is stroked with its dash and the dash is reset for the next one', () => {
  const { ctx, calls } = recorder();
  drawLineChart(ctx, { width: 300, height: 200, labels: ['a', 'b'], series: [{ name: '日活', color: '#00f', values: [3, 3] }, { name: '新用户', color: '#f00', values: [3, 3], dash: [10, 6] }] });
  expect(calls.filter((c) => c.op === 'setLineDash').map((c) => c.args[0])).toEqual([[], [], [10, 6], []]);
  const legend = calls.filter((c) => c.op === 'fillText').map((c) => c.args[0]);
  expect(legend).toEqual(expect.arrayContaining(['日活', '新用户']));
});

test('a funnel label sits inside a bar wide enough for it, beside a narrow one (never through it)', () => {
  const text = '过退款期确认 3';
  expect(textWidth(text)).toBe(6 * 24 + Math.ceil(2 * 0.55 * 24));
  const wide = { x: 16, y: 0, width: 400, height: 48 };
  expect(funnelLabel(wide, text)).toEqual({ x: 216, align: 'center', color: '#ffffff' });
  const narrow = { x: 300, y: 0, width: 60, height: 48 };
  const at = funnelLabel(narrow, text);
  expect(at).toEqual({ x: 372, align: 'left', color: '#262626' });
  expect(at.x).toBeGreaterThan(narrow.x + narrow.width); // starts right of the bar's edge
});

test('drawn funnel: the last, narrow stage writes its label right of the bar', () => {
  const { ctx, calls } = recorder();
  const steps = [{ label: '打开分享卡片', count: 40, rateBp: null }, { label: '过退款期确认', count: 3, rateBp: 1000 }];
  drawFunnel(ctx, steps, 660);
  const bars = funnelBars(steps, 660);
  const last = calls.filter((c) => c.op === 'fillText').find((c) => c.args[0] === '过退款期确认 3');
  expect(last?.args[1]).toBe(bars[1].x + bars[1].width + 12);
  const first = calls.filter((c) => c.op === 'fillText').find((c) => c.args[0] === '打开分享卡片 40');
  expect(first?.args[1]).toBe(330);
});

test.each([
  [0, '0'],
  [0.3, '不足 1'],
  [0.7, '1'],
  [7, '7'],
  [12.5, '13'],
])('日均活跃 %p → %p (whole people, rounded half up)', (avg, text) => {
  expect(avgCountText(avg)).toBe(text);
});
