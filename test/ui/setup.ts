/**
 * Every shim of the WeChat runtime that compiled pages need under miniprogram-simulate lives here (plus the
 * render helper in harness.ts). Runs before each ui test file, before the build's taro.js captures `wx.cloud`.
 */
import 'miniprogram-simulate'; // defines global.wx (its API mocks) and global.Component
import { ui, type WxRecord } from './harness';

/* eslint-disable @typescript-eslint/no-explicit-any */
type AnyFn = (...args: any[]) => any;
const g = globalThis as any;
const wx: Record<string, any> = g.wx;

/** Resolves like a WeChat async API: callbacks when given, a promise otherwise. */
function settle<T>(name: string, options: any, run: () => Promise<T>): Promise<T> | void {
  const done = run().then(
    (res) => {
      options?.success?.(res);
      options?.complete?.(res);
      return res;
    },
    (err) => {
      const failure = { errMsg: `${name}:fail ${err instanceof Error ? err.message : String(err)}` };
      options?.fail?.(failure);
      options?.complete?.(failure);
      throw failure;
    },
  );
  if (options && (options.success || options.fail || options.complete)) {
    done.catch(() => undefined);
    return;
  }
  return done;
}

// --- cloud: the only place the back end is mocked -------------------------------------------------------------
wx.cloud = {
  DYNAMIC_CURRENT_ENV: Symbol('DYNAMIC_CURRENT_ENV'),
  init(config: unknown) {
    ui.cloudInit.push(config);
  },
  callFunction(options: { name: string; data: { action: string } & Record<string, unknown> } & Record<string, any>) {
    return settle('cloud.callFunction', options, async () => {
      const { action, ...payload } = options.data;
      ui.cloudCalls.push({ name: options.name, action, payload });
      // A network hop: answer in a later macrotask, as the real client does.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const result = await ui.cloud(options.name, action, payload);
      return { result, errMsg: 'cloud.callFunction:ok', requestID: `req-${ui.cloudCalls.length}` };
    });
  },
  uploadFile(options: { cloudPath: string; filePath: string } & Record<string, any>) {
    ui.wxCalls.push({ api: 'cloud.uploadFile', options });
    return settle('cloud.uploadFile', options, async () => ({ fileID: `cloud://env-test/${options.cloudPath}`, errMsg: 'cloud.uploadFile:ok' }));
  },
};

// --- APIs that tests want to observe or steer: recorded, then answered by an override or simulate's mock -----
const recorded = [
  'showToast', 'hideToast', 'showLoading', 'hideLoading', 'showModal', 'setClipboardData', 'stopPullDownRefresh',
  'navigateTo', 'redirectTo', 'switchTab', 'reLaunch', 'navigateBack',
  'requestPayment', 'requestSubscribeMessage', 'chooseAddress', 'showShareMenu', 'saveImageToPhotosAlbum',
  'requestMerchantTransfer', 'canvasToTempFilePath', 'openPrivacyContract', 'request', 'chooseImage', 'shareFileMessage',
  'setNavigationBarTitle',
];
for (const name of recorded) {
  const original: AnyFn | undefined = wx[name];
  wx[name] = (options: any = {}) => {
    ui.wxCalls.push({ api: name, options } as WxRecord);
    const override = ui.wxOverrides[name] ?? ui.wxDefaults[name];
    if (override) return settle(name, options, async () => override(options));
    if (original) return original(options);
    return settle(name, options, async () => ({ errMsg: `${name}:ok` }));
  };
}
// simulate's showModal answers without `confirm`; a user who taps 确定 is the useful default.
ui.wxDefaults.showModal = () => ({ errMsg: 'showModal:ok', confirm: true, cancel: false });

ui.wxDefaults.chooseAddress = () => ({
  errMsg: 'chooseAddress:ok',
  userName: '张三',
  telNumber: '13800138000',
  provinceName: '浙江省',
  cityName: '杭州市',
  countyName: '西湖区',
  detailInfo: '文三路 100 号',
});
ui.wxDefaults.canvasToTempFilePath = () => ({ errMsg: 'canvasToTempFilePath:ok', tempFilePath: 'wxfile://tmp/poster.png' });
ui.wxDefaults.requestMerchantTransfer = () => ({ errMsg: 'requestMerchantTransfer:ok' });

// Files (报表's CSV): the user data folder as WeChat names it, and every write recorded with what was written.
wx.env = { ...wx.env, USER_DATA_PATH: 'wxfile://usr' };
wx.getFileSystemManager = () => ({
  writeFileSync(filePath: string, data: string, encoding?: string) {
    ui.wxCalls.push({ api: 'fs.writeFileSync', options: { filePath, data, encoding } });
  },
  writeFile(options: { filePath: string; data: string; encoding?: string } & Record<string, any>) {
    ui.wxCalls.push({ api: 'fs.writeFile', options });
    return settle('writeFile', options, async () => ({ errMsg: 'writeFile:ok' }));
  },
});

// Canvas 2d (posters): an offscreen canvas whose context records drawing calls and whose images load at once.
wx.createOffscreenCanvas = (options: { width?: number; height?: number } = {}) => {
  const drawn: string[] = [];
  ui.canvases.push(drawn);
  const ctx = new Proxy(
    { measureText: (text: string) => ({ width: text.length * 20 }) } as Record<string, unknown>,
    {
      get: (target, key: string) => (key in target ? target[key] : (...args: unknown[]) => drawn.push(`${key}(${args.map(String).join(',')})`)),
      set: (_target, key: string, value) => {
        drawn.push(`${key}=${String(value)}`);
        return true;
      },
    },
  );
  return {
    width: options.width ?? 0,
    height: options.height ?? 0,
    getContext: () => ctx,
    createImage: () => {
      const img: Record<string, any> = {};
      Object.defineProperty(img, 'src', { set: (v) => setTimeout(() => img.onload?.(), 0), get: () => '' });
      return img;
    },
  };
};

// Privacy (隐私保护指引): the app registers a listener; tests fire it to play a privacy API asking first.
wx.onNeedPrivacyAuthorization = (listener: AnyFn) => {
  ui.privacyListener = listener;
};
wx.getAccountInfoSync = () => ({ miniProgram: { appId: 'wx-test-app', envVersion: 'develop', version: '' } });

// Taro gives a component (the custom tab bar) `behaviors: {}`; WeChat accepts that, j-component wants an array.
const simulateComponent: AnyFn = g.Component;
g.Component = (definition: Record<string, any>) =>
  simulateComponent(Array.isArray(definition.behaviors) || definition.behaviors === undefined ? definition : { ...definition, behaviors: [] });

// --- mini-program globals: App, getApp, Page (as a Component), getCurrentPages --------------------------------
g.App = (definition: Record<string, any>) => {
  ui.app = definition;
};
g.getApp = () => ui.app;
g.getCurrentPages = () => ui.pages.slice();
g.Page = (definition: Record<string, any>) => {
  const methods: Record<string, AnyFn> = {};
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(definition)) {
    if (key === 'data') continue;
    if (typeof value === 'function') methods[key] = value as AnyFn;
    else fields[key] = value;
  }
  const route = ui.nextRoute;
  const query = ui.nextQuery;
  g.Component({
    data: definition.data ?? {},
    methods,
    lifetimes: {
      created(this: any) {
        Object.assign(this, fields);
        this.route = route;
        this.__route__ = route;
        this.options = query;
      },
      attached(this: any) {
        ui.pages.push(this);
        this.onLoad?.(query);
        this.onShow?.();
      },
      ready(this: any) {
        this.onReady?.();
      },
      detached(this: any) {
        this.onHide?.();
        this.onUnload?.();
        ui.pages = ui.pages.filter((page) => page !== this);
      },
    },
  });
};
