import type { PropsWithChildren } from 'react';
import Taro, { useDidShow, useLaunch } from '@tarojs/taro';
import { loginParamsFrom } from './services/launch';
import { getMe, onNeedPrivacyAuthorization, reopenedWith } from './services/session';
import './app.css';

if (process.env.TARO_ENV === 'weapp') {
  // wx.cloud.DYNAMIC_CURRENT_ENV (the env the mini-program is bound to) is missing from Taro's typings.
  const dynamicEnv = (Taro.cloud as unknown as { DYNAMIC_CURRENT_ENV: string }).DYNAMIC_CURRENT_ENV;
  Taro.cloud.init({ env: process.env.TARO_APP_CLOUD_ENV || dynamicEnv, traceUser: true });
  // WeChat's 隐私保护指引 gate: a privacy API (chooseAddress, chooseAvatar, clipboard…) waits for our consent sheet.
  Taro.onNeedPrivacyAuthorization?.((resolve) => onNeedPrivacyAuthorization(resolve as Parameters<typeof onNeedPrivacyAuthorization>[0]));
}

function App({ children }: PropsWithChildren) {
  useLaunch((options) => {
    // Pages show their own error state; a failed login here is retried by the first page that needs `Me`.
    getMe(loginParamsFrom(options?.query)).catch(() => undefined);
  });
  // Back from the background through a card or poster (WeChat reuses the running app: no new launch).
  useDidShow((options?: { query?: Record<string, string | undefined> }) => reopenedWith(loginParamsFrom(options?.query)));
  return children;
}

export default App;
