/**
 * Renders pages of the compiled weapp build (dist/weapp) in miniprogram-simulate with the official compiler.
 * The back end is mocked at `wx.cloud.callFunction` only (shimmed in setup.ts); pass a `cloud` handler per render.
 * Load one page per test file: the build's modules are cached per file.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as simulate from 'miniprogram-simulate';
// The event system under miniprogram-simulate (a dependency of j-component), for component events such as `input`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const exparser = require('miniprogram-exparser');
import type { ErrorCode } from '../../types/errors';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type CloudCall = { name: string; action: string; payload: Record<string, unknown> };
/** Answers one call with an envelope; throwing makes the call fail like a broken network. */
export type CloudHandler = (name: string, action: string, payload: Record<string, unknown>) => unknown;
export type WxRecord = { api: string; options: any };

export const DIST = path.resolve(__dirname, '../../dist/weapp');
/** The simulator prefixes every class with its component's tag: `main--product-card`, `comp--badge`. */
const COMPONENT_CLASS_PREFIX = /^(main|comp|custom-wrapper)--/;

/** State shared by the shims in setup.ts and the helpers below (one per test file). */
export const ui = {
  cloud: ((name: string, action: string) => {
    throw new Error(`no cloud mock for ${name}.${action}`);
  }) as CloudHandler,
  cloudCalls: [] as CloudCall[],
  cloudInit: [] as unknown[],
  wxCalls: [] as WxRecord[],
  /** Per-test answers for recorded wx APIs (e.g. requestPayment failing). */
  wxOverrides: {} as Record<string, (options: any) => unknown>,
  wxDefaults: {} as Record<string, (options: any) => unknown>,
  app: null as Record<string, any> | null,
  pages: [] as any[],
  nextRoute: '',
  nextQuery: {} as Record<string, string>,
  /** Drawing calls on each offscreen canvas (posters). */
  canvases: [] as string[][],
  /** What the app passed to wx.onNeedPrivacyAuthorization. */
  privacyListener: null as ((resolve: (result: unknown) => void, info: unknown) => void) | null,
};

export const ok = <T>(data: T) => ({ ok: true as const, data });
export const fail = (code: ErrorCode | string, message = '') => ({ ok: false as const, code, message });

/** Route calls by `name.action`; unknown ones fail loudly so a test never passes on a silent default. */
export function cloudRoutes(routes: Record<string, (payload: Record<string, unknown>, call: number) => unknown>): CloudHandler {
  const counts: Record<string, number> = {};
  return (name, action, payload) => {
    const key = `${name}.${action}`;
    const route = routes[key];
    if (!route) throw new Error(`no cloud mock for ${key}`);
    counts[key] = (counts[key] ?? 0) + 1;
    return route(payload, counts[key]);
  };
}

export function callsTo(key: string): CloudCall[] {
  return ui.cloudCalls.filter((call) => `${call.name}.${call.action}` === key);
}

export function wxCallsTo(api: string): any[] {
  return ui.wxCalls.filter((call) => call.api === api).map((call) => call.options);
}

function launchApp(route: string, launchQuery: Record<string, string>): void {
  if (ui.app) return;
  if (!fs.existsSync(path.join(DIST, 'app.js'))) {
    throw new Error(`${DIST}/app.js is missing: run \`npx taro build --type weapp\` before the ui tests`);
  }
  require(path.join(DIST, 'app.js'));
  if (!ui.app) throw new Error('dist/weapp/app.js did not call App()');
  const options = { path: route, query: launchQuery, scene: 1001, referrerInfo: {} };
  const app = ui.app as Record<string, any>;
  app.onLaunch?.call(app, options);
  app.onShow?.call(app, options);
}

export async function waitFor<T>(probe: () => T, { timeout = 3000, interval = 10, what = 'condition' } = {}): Promise<T> {
  const start = Date.now();
  let lastError: unknown;
  for (;;) {
    try {
      const value = probe();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() - start > timeout) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

export interface RenderedPage {
  /** The page's root as a real DOM element (textContent, querySelectorAll on rendered class names). */
  dom: HTMLElement;
  /** The page instance (Taro's page config methods: onPullDownRefresh, onReachBottom, …). */
  instance: any;
  text(): string;
  all(className: string): HTMLElement[];
  one(className: string): HTMLElement | null;
  /** Taps the first element with this class (as a touch, like a finger). */
  tap(className: string): Promise<void>;
  /** Taps this element (when the first of a class is not the one). */
  tapElement(target: HTMLElement): Promise<void>;
  /** Fires a component event (input, change, chooseavatar, agreeprivacyauthorization…) on the first element with this class. */
  fire(className: string, eventName: string, detail?: Record<string, unknown>): Promise<void>;
  /** Types into an <Input> with this class (its `input` event, as the keyboard would). */
  type(className: string, value: string): Promise<void>;
  /** What the page's onShareAppMessage answers (the share card). */
  share(from?: 'button' | 'menu'): { title?: string; path?: string; imageUrl?: string };
  waitForText(text: string, timeout?: number): Promise<void>;
  waitForClass(className: string, timeout?: number): Promise<HTMLElement>;
}

export interface RenderOptions {
  cloud?: CloudHandler;
  /** Page query (onLoad options). */
  query?: Record<string, string>;
  /** App launch query (share card params). */
  launchQuery?: Record<string, string>;
}

/** Launches the app (once per file) and renders one page of the weapp build; resolves after its first render. */
export async function renderPage(route: string, options: RenderOptions = {}): Promise<RenderedPage> {
  if (options.cloud) ui.cloud = options.cloud;
  launchApp(route, options.launchQuery ?? {});
  ui.nextRoute = route;
  ui.nextQuery = options.query ?? {};
  const id = simulate.load(path.join(DIST, route), { compiler: 'official', rootPath: DIST });
  const component = simulate.render(id);
  const parent = document.createElement('parent-wrapper');
  document.body.appendChild(parent);
  component.attach(parent);
  const dom = component.dom as HTMLElement;

  const all = (className: string) =>
    Array.from(dom.querySelectorAll<HTMLElement>('[class]')).filter((el) =>
      Array.from(el.classList).some((token) => token.replace(COMPONENT_CLASS_PREFIX, '') === className),
    );
  const one = (className: string) => all(className)[0] ?? null;
  const page: RenderedPage = {
    dom,
    instance: component.instance,
    text: () => (dom.textContent ?? '').replace(/\s+/g, ' ').trim(),
    all,
    one,
    async tap(className) {
      await page.tapElement(await page.waitForClass(className));
    },
    async tapElement(target) {
      target.dispatchEvent(touch('touchstart', target));
      target.dispatchEvent(touch('touchend', target));
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
    async fire(className, eventName, detail = {}) {
      const target = await page.waitForClass(className);
      const wxElement = (target as unknown as { __wxElement?: unknown }).__wxElement;
      if (!wxElement) throw new Error(`.${className} is not a mini-program element`);
      exparser.Event.dispatchEvent(wxElement, exparser.Event.create(eventName, detail, { bubbles: true, composed: true, capturePhase: true }));
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
    async type(className, value) {
      await page.fire(className, 'input', { value, cursor: value.length, keyCode: 0 });
    },
    share(from = 'button') {
      const handler = component.instance.onShareAppMessage;
      if (typeof handler !== 'function') throw new Error(`${route} has no onShareAppMessage (enableShareAppMessage in its config?)`);
      return handler.call(component.instance, { from, target: {} }) ?? {};
    },
    async waitForText(text, timeout) {
      await waitFor(() => page.text().includes(text), { timeout, what: `text "${text}" (page: "${page.text()}")` });
    },
    async waitForClass(className, timeout) {
      return waitFor(() => one(className), { timeout, what: `an element .${className}` });
    },
  };
  // The first render is asynchronous (React commit, then setData).
  await waitFor(() => dom.children.length > 0 && page.text().length > 0, { what: `first render of ${route}` });
  return page;
}

function touch(type: 'touchstart' | 'touchend', target: HTMLElement): TouchEvent {
  const point = { identifier: 0, target, clientX: 0, clientY: 0, pageX: 0, pageY: 0, screenX: 0, screenY: 0 };
  return new TouchEvent(type, {
    bubbles: true,
    cancelable: true,
    touches: type === 'touchstart' ? [point as unknown as Touch] : [],
    changedTouches: [point as unknown as Touch],
  });
}
