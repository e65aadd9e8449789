/**
 * First open: the privacy notice and consent (in weapp the agree button is WeChat's agreePrivacyAuthorization, so
 * the platform's 隐私保护指引 gate opens with the same tap), then a small note of who invited you.
 */
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { agreeToPrivacy, consentStore, declinePrivacy, dismissInvitedBy } from '../services/session';
import { useStore } from '../utils/store';
import PrivacyGuide from './PrivacyGuide';
import './ConsentSheet.css';

const IS_WEAPP = process.env.TARO_ENV === 'weapp';

function openGuide(setExpanded: (v: boolean) => void) {
  if (IS_WEAPP) Taro.openPrivacyContract({ fail: () => setExpanded(true) });
  else setExpanded(true);
}

export default function ConsentSheet() {
  const state = useStore(consentStore);
  const [expanded, setExpanded] = useState(false);
  useEffect(() => {
    if (!state.invitedBy) return undefined;
    const timer = setTimeout(dismissInvitedBy, 6000);
    return () => clearTimeout(timer);
  }, [state.invitedBy]);

  if (!state.visible && state.invitedBy) {
    return (
      <View className='invited-by'>
        <Text className='invited-by__text'>{state.invitedBy}</Text>
        <Text className='invited-by__close' onClick={dismissInvitedBy}>
          知道了
        </Text>
      </View>
    );
  }
  if (!state.visible) return null;

  return (
    <View className='sheet-mask consent-sheet' catchMove>
      <View className='sheet'>
        <Text className='sheet__title'>隐私保护提示</Text>
        <Text className='consent-sheet__text'>
          {state.reason === 'privacy' ? '使用这项功能前，' : '欢迎来到推三返一！使用前，'}
          请阅读并同意
          <Text className='consent-sheet__link' onClick={() => openGuide(setExpanded)}>
            《推三返一隐私保护指引》
          </Text>
          。
        </Text>
        {expanded && (
          <View className='consent-sheet__guide'>
            <PrivacyGuide />
          </View>
        )}
        <Text className='consent-sheet__hint'>同意后，若你是通过好友的分享打开的，将记录为该好友邀请的用户。</Text>
        {state.error && <Text className='consent-sheet__error'>{state.error}</Text>}
        <View className='sheet__actions'>
          <View className='ghost-button consent-sheet__decline' onClick={declinePrivacy}>
            不同意
          </View>
          {IS_WEAPP ? (
            <Button
              id='agree-privacy'
              className='primary-button consent-sheet__agree'
              openType='agreePrivacyAuthorization'
              disabled={state.busy}
              onAgreePrivacyAuthorization={() => void agreeToPrivacy('agree-privacy')}
            >
              同意并继续
            </Button>
          ) : (
            <View className='primary-button consent-sheet__agree' onClick={() => !state.busy && void agreeToPrivacy()}>
              {state.busy ? '请稍候…' : '同意并继续'}
            </View>
          )}
        </View>
      </View>
    </View>
  );
}
