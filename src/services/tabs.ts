/** The tab bar's items and which one is selected (set by each tab page when it shows). */
import { createStore } from '../utils/store';

export type TabKey = 'index' | 'invite' | 'mine' | 'merchant';

export interface Tab {
  key: TabKey;
  path: string;
  text: string;
  icon: string;
  /** Shown only to users with the merchant role. */
  merchantOnly?: boolean;
}

export const TABS: Tab[] = [
  { key: 'index', path: '/pages/index/index', text: '首页', icon: 'home' },
  { key: 'invite', path: '/pages/invite/index', text: '邀请', icon: 'invite' },
  { key: 'mine', path: '/pages/mine/index', text: '我的', icon: 'mine' },
  { key: 'merchant', path: '/pages/merchant/index', text: '商家', icon: 'merchant', merchantOnly: true },
];

export const selectedTab = createStore<TabKey>('index');
