/** Every page's frame: the first-open consent sheet, and in h5 the tab bar on tab pages (weapp draws its own). */
import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import type { ReactNode } from 'react';
import { selectedTab, type TabKey } from '../services/tabs';
import ConsentSheet from './ConsentSheet';
import TabBar from './TabBar';

interface Props {
  className: string;
  /** Set on tab pages: selects the tab and leaves room for the bar. */
  tab?: TabKey;
  children: ReactNode;
}

export default function AppShell({ className, tab, children }: Props) {
  useDidShow(() => {
    if (tab) selectedTab.set(tab);
  });
  return (
    <View className={`app-shell ${className}${tab ? ' app-shell--tab' : ''}`}>
      {children}
      <ConsentSheet />
      {process.env.TARO_ENV === 'h5' && tab && <TabBar />}
    </View>
  );
}
