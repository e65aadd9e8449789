/**
 * 商家 tab: light, in the main package; the merchant's tools live in their own subpackage so shoppers never
 * download them. Shown in the tab bar to merchants only; the server checks the role on every merchant action.
 */
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import AppShell from '../../components/AppShell';
import { ErrorState, Loading } from '../../components/PageState';
import { errorMessage } from '../../services/cloud';
import { MERCHANT_TOOLS } from '../../services/merchantTools';
import { getMe, meStore, resetSession } from '../../services/session';
import { useStore } from '../../utils/store';
import './index.css';

export default function MerchantPage() {
  const me = useStore(meStore);
  const [error, setError] = useState('');

  const login = useCallback(async (fresh: boolean) => {
    if (fresh) resetSession();
    setError('');
    try {
      await getMe();
    } catch (err) {
      setError(errorMessage(err));
    }
  }, []);
  useEffect(() => {
    void login(false);
  }, [login]);

  if (!me) {
    return (
      <AppShell className='merchant-page' tab='merchant'>
        {error ? <ErrorState message={error} onRetry={() => void login(true)} /> : <Loading />}
      </AppShell>
    );
  }
  if (!me.roles.includes('merchant')) {
    return (
      <AppShell className='merchant-page' tab='merchant'>
        <View className='state not-merchant'>
          <Text className='state-text'>这里是商家的管理入口，你的账号不是商家</Text>
          <View className='primary-button' onClick={() => void Taro.switchTab({ url: '/pages/index/index' })}>
            去逛逛
          </View>
        </View>
      </AppShell>
    );
  }

  return (
    <AppShell className='merchant-page' tab='merchant'>
      <View className='merchant-head'>
        <Text className='merchant-head__name'>{me.nickname || '商家'}</Text>
        <Text className='merchant-head__role'>商家管理</Text>
      </View>
      <View className='card merchant-tools'>
        <Text className='card__title'>商家工具</Text>
        {MERCHANT_TOOLS.length === 0 ? (
          <Text className='muted merchant-tools__none'>暂无可用的商家工具页面。</Text>
        ) : (
          MERCHANT_TOOLS.map((tool) => (
            <View key={tool.path} className='merchant-tool' onClick={() => void Taro.navigateTo({ url: tool.path })}>
              <View className='merchant-tool__text'>
                <Text className='merchant-tool__title'>{tool.title}</Text>
                <Text className='muted'>{tool.description}</Text>
              </View>
              <Text className='muted'>›</Text>
            </View>
          ))
        )}
      </View>
    </AppShell>
  );
}
