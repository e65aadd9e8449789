/**
 * A small chart renderer for the dashboard: line charts for daily series and a funnel, drawn on any 2D canvas
 * context (weapp's offscreen canvas and the browser's canvas share the web API). Layout is computed by pure
 * functions (tested as tables in test/unit/merchant-charts.test.ts); drawing only follows the layout.
 * Why not a chart library: see docs/merchant.md (Charts).
 */

/** The subset of CanvasRenderingContext2D used here. */
export interface ChartCtx {
  fillStyle: string | unknown;
  strokeStyle: string | unknown;
  lineWidth: number;
  font: string;
  textAlign: string;
  textBaseline: string;
  lineJoin?: string;
  /** Absent on some old weapp canvases: then every series is solid and only colour and the legend tell them apart. */
  setLineDash?(segments: number[]): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  closePath(): void;
  stroke(): void;
  fill(): void;
  arc(x: number, y: number, r: number, start: number, end: number): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number, maxWidth?: number): void;
}

export interface Series {
  name: string;
  color: string;
  values: number[];
  /** Dash pattern, so a series drawn under another (新用户 under 日活) still shows where they overlap. */
  dash?: number[];
}

export interface LineSpec {
  width: number;
  height: number;
  /** One label per point (e.g. "11-23"). */
  labels: string[];
  series: Series[];
  /** Formats an axis value (e.g. fen → "¥12"). */
  format?: (v: number) => string;
  /** Counts (users, orders): whole-number axis steps only (never 0.25). */
  integer?: boolean;
}

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export const COLORS = ['#e4393c', '#1677ff', '#52c41a', '#fa8c16', '#722ed1'];
const FONT = 'sans-serif';

/**
 * The smallest "nice" number (1, 2, 2.5, 5 × 10^k) at or above max/ticks per step, times ticks; 0 → ticks.
 * `integer` (counts): steps are whole numbers (1, 2, 5 × 10^k, never below 1 and never 2.5 or 25).
 */
export function niceScale(max: number, ticks = 4, integer = false): { max: number; step: number } {
  if (!(max > 0)) return { max: ticks, step: 1 };
  const raw = max / ticks;
  const mag = integer ? Math.max(1, 10 ** Math.floor(Math.log10(raw))) : 10 ** Math.floor(Math.log10(raw));
  const steps = integer ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
  const step = steps.map((m) => m * mag).find((s) => s >= raw - 1e-9) ?? 10 * mag;
  const clean = Math.round(step * 1e6) / 1e6; // 0.1 + 0.2 style float noise only
  return { max: clean * ticks, step: clean };
}

export function plotBox(width: number, height: number, legend: boolean): Box {
  // room for the y labels on the left, half an x label on the right, the legend on top
  return { left: 64, top: legend ? 56 : 16, right: width - 36, bottom: height - 36 };
}

/** Where each point of a series goes. A single day sits in the middle. */
export function linePoints(values: number[], box: Box, max: number): { x: number; y: number }[] {
  const n = values.length;
  const w = box.right - box.left;
  const h = box.bottom - box.top;
  return values.map((v, i) => ({
    x: n === 1 ? box.left + w / 2 : box.left + (w * i) / (n - 1),
    y: box.bottom - (h * Math.max(0, Math.min(v, max))) / max,
  }));
}

/** Which x labels to print so they do not collide: about one every `every` points, always the last. */
export function labelIndexes(n: number, maxLabels = 7): number[] {
  if (n <= maxLabels) return Array.from({ length: n }, (_, i) => i);
  const every = Math.ceil((n - 1) / (maxLabels - 1));
  const out: number[] = [];
  for (let i = 0; i < n - 1; i += every) out.push(i);
  if (n - 1 - out[out.length - 1] <= every / 2) out.pop();
  out.push(n - 1);
  return out;
}

export function drawLineChart(ctx: ChartCtx, spec: LineSpec): void {
  const { width, height, labels, series } = spec;
  const format = spec.format ?? ((v: number) => String(v));
  const legend = series.length > 1;
  const box = plotBox(width, height, legend);
  const top = Math.max(0, ...series.flatMap((s) => s.values));
  const { max, step } = niceScale(top, 4, spec.integer ?? false);

  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  // grid and y axis
  ctx.font = `20px ${FONT}`;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  ctx.lineWidth = 1;
  for (let v = 0; v <= max + 1e-9; v += step) {
    const y = box.bottom - ((box.bottom - box.top) * v) / max;
    ctx.strokeStyle = v === 0 ? '#bfbfbf' : '#f0f0f0';
    ctx.beginPath();
    ctx.moveTo(box.left, y);
    ctx.lineTo(box.right, y);
    ctx.stroke();
    ctx.fillStyle = '#8c8c8c';
    ctx.fillText(format(Math.round(v * 100) / 100), box.left - 8, y);
  }
  // x labels
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const xs = linePoints(labels.map(() => 0), box, max);
  for (const i of labelIndexes(labels.length)) {
    ctx.fillStyle = '#8c8c8c';
    ctx.fillText(labels[i], xs[i].x, box.bottom + 8);
  }
  // lines, then dots when there are few points
  series.forEach((s) => {
    const pts = linePoints(s.values, box, max);
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 3;
    if (ctx.lineJoin !== undefined) ctx.lineJoin = 'round';
    ctx.setLineDash?.(s.dash ?? []);
    ctx.beginPath();
    pts.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)));
    ctx.stroke();
    ctx.setLineDash?.([]);
    if (pts.length <= 10) {
      ctx.fillStyle = s.color;
      for (const p of pts) {
        ctx.beginPath();
        ctx.arc(p.x, p.y, 4, 0, Math.PI * 2);
        ctx.fill();
      }
    }
  });
  // legend
  if (legend) {
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    ctx.font = `22px ${FONT}`;
    let x = box.left;
    for (const s of series) {
      ctx.fillStyle = s.color;
      if (s.dash && s.dash.length) {
        // the legend swatch shows the dash too: two short pieces
        ctx.fillRect(x, 14, 9, 6);
        ctx.fillRect(x + 15, 14, 9, 6);
      } else ctx.fillRect(x, 14, 24, 6);
      ctx.fillStyle = '#595959';
      ctx.fillText(s.name, x + 32, 17);
      x += 32 + s.name.length * 24 + 28;
    }
  }
}

export interface FunnelStepSpec {
  label: string;
  count: number;
  /** Conversion from the step above, in basis points (null for the first step or an empty one above). */
  rateBp: number | null;
}

export interface FunnelBar {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const FUNNEL_ROW = 76;

/** Bars centred on the chart, widths proportional to the count (a minimum sliver so a 0 still shows). */
export function funnelBars(steps: FunnelStepSpec[], width: number): FunnelBar[] {
  const top = Math.max(1, ...steps.map((s) => s.count));
  const full = width - 32;
  return steps.map((s, i) => {
    const w = Math.max(8, (full * s.count) / top);
    return { x: (width - w) / 2, y: 12 + i * FUNNEL_ROW, width: w, height: FUNNEL_ROW - 28 };
  });
}

export function funnelHeight(steps: number): number {
  return 12 + steps * FUNNEL_ROW;
}

export function percent(bp: number | null): string {
  if (bp === null) return '—';
  return `${(bp / 100).toFixed(1).replace(/\.0$/, '')}%`;
}

/** Rough width of a label in 24px sans-serif: CJK characters are square, digits and Latin about half. */
export function textWidth(text: string, px = 24): number {
  let w = 0;
  for (const ch of text) w += /[\u0000-\u00ff]/.test(ch) ? px * 0.55 : px;
  return Math.ceil(w);
}

/**
 * Where a stage's label goes: centred in white inside a bar wide enough for it; otherwise beside the bar in dark
 * text, right of it (never drawn through a narrow last stage).
 */
export function funnelLabel(bar: FunnelBar, text: string, px = 24): { x: number; align: 'center' | 'left'; color: string } {
  if (bar.width >= textWidth(text, px) + 24) return { x: bar.x + bar.width / 2, align: 'center', color: '#ffffff' };
  return { x: bar.x + bar.width + 12, align: 'left', color: '#262626' };
}

export function drawFunnel(ctx: ChartCtx, steps: FunnelStepSpec[], width: number): void {
  const bars = funnelBars(steps, width);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, funnelHeight(steps.length));
  steps.forEach((s, i) => {
    const b = bars[i];
    const shade = ['#e4393c', '#eb5a4f', '#f07b63', '#f59b7b', '#f9bb96'][i % 5];
    ctx.fillStyle = shade;
    ctx.beginPath();
    ctx.moveTo(b.x, b.y);
    ctx.lineTo(b.x + b.width, b.y);
    const next = bars[i + 1];
    const inset = next ? Math.min((b.width - next.width) / 2, 24) : 0;
    ctx.lineTo(b.x + b.width - Math.max(0, inset), b.y + b.height);
    ctx.lineTo(b.x + Math.max(0, inset), b.y + b.height);
    ctx.closePath();
    ctx.fill();
    ctx.font = `24px ${FONT}`;
    ctx.textBaseline = 'middle';
    const text = `${s.label} ${s.count}`;
    const at = funnelLabel(b, text);
    ctx.textAlign = at.align;
    ctx.fillStyle = at.color;
    ctx.fillText(text, at.x, b.y + b.height / 2);
    ctx.textAlign = 'center';
    if (i > 0) {
      ctx.font = `20px ${FONT}`;
      ctx.fillStyle = '#8c8c8c';
      ctx.fillText(`↓ ${percent(s.rateBp)}`, width / 2, b.y - 14);
    }
  });
}
