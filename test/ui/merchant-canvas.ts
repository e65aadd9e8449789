/**
 * A recording 2d canvas for the merchant pages' charts under miniprogram-simulate (which has no canvas): every
 * drawing call is kept so a test can check what was drawn; canvasToTempFilePath answers a fake temp file.
 * Import it before rendering.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
export const drawn: { canvases: { width: number; height: number; calls: { op: string; args: unknown[] }[] }[] } = { canvases: [] };

const wx = (globalThis as any).wx;
wx.createOffscreenCanvas = (opts: { width: number; height: number }) => {
  const canvas = { width: opts.width, height: opts.height, calls: [] as { op: string; args: unknown[] }[] };
  drawn.canvases.push(canvas);
  const state: Record<string, unknown> = {};
  const ctx = new Proxy(state, {
    get: (_t, p: string) => (p in state ? state[p] : (...args: unknown[]) => void canvas.calls.push({ op: p, args })),
    set: (_t, p: string, v) => {
      state[p] = v;
      canvas.calls.push({ op: `set:${p}`, args: [v] });
      return true;
    },
  });
  return { ...canvas, getContext: () => ctx };
};
wx.canvasToTempFilePath = (options: any) => {
  const res = { tempFilePath: `wxfile://tmp/chart-${drawn.canvases.length}.png`, errMsg: 'canvasToTempFilePath:ok' };
  options?.success?.(res);
  options?.complete?.(res);
  return Promise.resolve(res);
};

/** The texts drawn on every canvas so far. */
export function drawnTexts(): string[] {
  return drawn.canvases.flatMap((c) => c.calls.filter((x) => x.op === 'fillText').map((x) => String(x.args[0])));
}
