import type { PropsWithChildren } from 'react';
import Taro, { useLaunch } from '@tarojs/taro';
import type { LoginParams } from './services/session';
import { getMe } from './services/session';
import './app.css';

if (process.env.TARO_ENV === 'weapp') {
  // wx.cloud.DYNAMIC_CURRENT_ENV (the env the mini-program is bound to) is missing from Taro's typings.
  const dynamicEnv = (Taro.cloud as unknown as { DYNAMIC_CURRENT_ENV: string }).DYNAMIC_CURRENT_ENV;
  Taro.cloud.init({ env: process.env.TARO_APP_CLOUD_ENV || dynamicEnv, traceUser: true });
}

/** Invite params a share card, poster or assist link opens the app with. */
function loginParamsFrom(query: Record<string, string> | undefined): LoginParams {
  const params: LoginParams = {};
  if (!query) return params;
  if (query.inviteCode) params.inviteCode = query.inviteCode;
  if (query.taskId) params.taskId = query.taskId;
  if (query.source === 'card' || query.source === 'poster' || query.source === 'code') params.source = query.source;
  return params;
}

function App({ children }: PropsWithChildren) {
  useLaunch((options) => {
    // Pages show their own error state; a failed login here is retried by the first page that needs `Me`.
    getMe(loginParamsFrom(options?.query)).catch(() => undefined);
  });
  return children;
}

export default App;
