import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { Me } from '../../../types/api';
import { errorMessage } from '../../services/cloud';
import { getMe, resetSession } from '../../services/session';
import './index.css';

type State = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; me: Me };

export default function MinePage() {
  const [state, setState] = useState<State>({ status: 'loading' });

  const load = useCallback(async (fresh: boolean) => {
    if (fresh) resetSession();
    setState({ status: 'loading' });
    try {
      setState({ status: 'ready', me: await getMe() });
    } catch (err) {
      setState({ status: 'error', message: errorMessage(err) });
    }
  }, []);

  useEffect(() => {
    void load(false);
  }, [load]);

  if (state.status === 'loading') {
    return (
      <View className='mine-page'>
        <View className='state loading-state'>
          <Text className='state-text'>加载中…</Text>
        </View>
      </View>
    );
  }

  if (state.status === 'error') {
    return (
      <View className='mine-page'>
        <View className='state error-state'>
          <Text className='state-text error-message'>{state.message}</Text>
          <View className='primary-button retry-button' onClick={() => void load(true)}>
            重试
          </View>
        </View>
      </View>
    );
  }

  const { me } = state;
  const nickname = me.nickname || '微信用户';
  const copyInviteCode = () => {
    void Taro.setClipboardData({ data: me.inviteCode });
  };

  return (
    <View className='mine-page'>
      <View className='profile'>
        {me.avatarUrl ? (
          <Image className='profile__avatar' src={me.avatarUrl} mode='aspectFill' />
        ) : (
          <View className='profile__avatar profile__avatar--placeholder'>{nickname.slice(0, 1)}</View>
        )}
        <View className='profile__info'>
          <Text className='profile__nickname'>{nickname}</Text>
          {me.roles.includes('merchant') && <Text className='profile__role'>商家</Text>}
        </View>
      </View>

      <View className='card invite-card'>
        <Text className='card__label'>我的邀请码</Text>
        <View className='invite-card__row'>
          <Text className='invite-code'>{me.inviteCode}</Text>
          <View className='invite-card__copy' onClick={copyInviteCode}>
            复制
          </View>
        </View>
        <Text className='card__hint'>好友填写你的邀请码或打开你分享的商品，即成为你邀请的好友</Text>
      </View>
    </View>
  );
}
