/**
 * The tab bar, shown to shoppers as 首页 / 邀请 / 我的 and to merchants with 商家 as well. A static tabBar cannot hide
 * an item per user, so weapp uses a custom tab bar (src/custom-tab-bar renders this) and h5 — whose router in
 * Taro 4.2.1 does not render custom tab bars — renders it inside each tab page (AppShell).
 */
import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { getMe, meStore } from '../services/session';
import { TABS, selectedTab, type Tab } from '../services/tabs';
import { useStore } from '../utils/store';
import './TabBar.css';

function go(tab: Tab) {
  if (selectedTab.get() === tab.key) return;
  selectedTab.set(tab.key);
  void Taro.switchTab({ url: tab.path });
}

export default function TabBar() {
  const selected = useStore(selectedTab);
  const me = useStore(meStore);
  const [merchant, setMerchant] = useState(false);

  useEffect(() => {
    if (me) setMerchant(me.roles.includes('merchant'));
  }, [me]);
  useEffect(() => {
    // A failed login shows the shopper's tabs; the page itself shows the error.
    getMe().then((m) => setMerchant(m.roles.includes('merchant')), () => undefined);
  }, []);

  const tabs = TABS.filter((tab) => !tab.merchantOnly || merchant);
  return (
    <View className='tab-bar'>
      {tabs.map((tab) => {
        const active = tab.key === selected;
        return (
          <View key={tab.key} className={`tab-bar__item tab-bar__item--${tab.key}${active ? ' tab-bar__item--active' : ''}`} onClick={() => go(tab)}>
            <Image className='tab-bar__icon' src={`/assets/tabbar/${tab.icon}${active ? '-active' : ''}.png`} />
            <Text className='tab-bar__text'>{tab.text}</Text>
          </View>
        );
      })}
    </View>
  );
}
