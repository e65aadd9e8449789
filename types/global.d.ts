/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.svg';
declare module '*.css';

declare namespace NodeJS {
  interface ProcessEnv {
    /** Set by Taro builds only (replaced at compile time); absent in functions, the emulator and tests. */
    TARO_ENV?: 'weapp' | 'h5' | string;
    /** Base URL of the local cloud's function gateway for the browser build; empty means same origin. */
    TARO_APP_CLOUD_URL?: string;
    /** CloudBase environment id for the WeChat build. */
    TARO_APP_CLOUD_ENV?: string;
  }
}
