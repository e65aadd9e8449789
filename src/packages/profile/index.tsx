/**
 * 个人资料: nickname and avatar. weapp uses WeChat's 头像昵称填写 (a chooseAvatar button, a nickname input, the
 * avatar uploaded to cloud storage); the browser a small form with preset avatars. Others only ever see it masked.
 */
import { Button, Image, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import AppShell from '../../components/AppShell';
import { useSessionLogin } from '../../hooks/useSessionLogin';
import { ErrorState, Loading } from '../../components/PageState';
import { errorMessage } from '../../services/cloud';
import { PRESET_AVATARS, nicknameProblem, saveProfile } from '../../services/profile';
import { meStore } from '../../services/session';
import { maskName } from '../../utils/format';
import { useStore } from '../../utils/store';
import './index.css';
import '../../styles/forms.css';

const IS_WEAPP = process.env.TARO_ENV === 'weapp';

export default function ProfilePage() {
  const me = useStore(meStore);
  const { loginError, login } = useSessionLogin();
  const [nickname, setNickname] = useState('');
  const [avatar, setAvatar] = useState('');
  const [pendingAvatarFile, setPendingAvatarFile] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => {
    if (!me) return;
    setNickname(me.nickname === '微信用户' ? '' : me.nickname);
    setAvatar(me.avatarUrl);
  }, [me]);

  if (!me) {
    return <AppShell className='profile-page'>{loginError ? <ErrorState message={loginError} onRetry={() => void login(true)} /> : <Loading />}</AppShell>;
  }

  const save = async () => {
    if (busy) return;
    const problem = nicknameProblem(nickname);
    if (problem) return setError(problem);
    setBusy(true);
    setError('');
    try {
      await saveProfile(me, { nickname, pendingFile: pendingAvatarFile, avatarUrl: avatar });
      setPendingAvatarFile('');
      void Taro.showToast({ title: '已保存', icon: 'success' });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const shownAvatar = pendingAvatarFile || avatar;
  const preview = nickname.trim() || me.nickname || '微信用户';

  return (
    <AppShell className='profile-page'>
      <View className='card profile-form'>
        <View className='profile-form__row'>
          <Text className='form-row__label'>头像</Text>
          {IS_WEAPP ? (
            <Button
              className='avatar-button'
              openType='chooseAvatar'
              onChooseAvatar={(e) => {
                setPendingAvatarFile(e.detail.avatarUrl);
              }}
            >
              {shownAvatar ? <Image className='avatar-preview' src={shownAvatar} mode='aspectFill' /> : <View className='avatar-preview avatar-preview--empty'>选择</View>}
            </Button>
          ) : shownAvatar ? (
            <Image className='avatar-preview' src={shownAvatar} mode='aspectFill' />
          ) : (
            <View className='avatar-preview avatar-preview--empty'>{preview.slice(0, 1)}</View>
          )}
        </View>
        {!IS_WEAPP && (
          <View className='avatar-presets'>
            {PRESET_AVATARS.map((src) => (
              <Image key={src} className={`avatar-preset${avatar === src ? ' avatar-preset--on' : ''}`} src={src} onClick={() => setAvatar(src)} />
            ))}
          </View>
        )}
        <View className='form-row'>
          <Text className='form-row__label'>昵称</Text>
          <Input
            className='form-row__input nickname-input'
            type={IS_WEAPP ? 'nickname' : 'text'}
            value={nickname}
            placeholder={IS_WEAPP ? '点击使用微信昵称或填写' : '填写昵称'}
            maxlength={20}
            onInput={(e) => setNickname(e.detail.value)}
            onBlur={(e) => setNickname(e.detail.value)}
          />
        </View>
        <Text className='muted profile-form__masked'>其他用户看到的是：{maskName(preview)}</Text>
        {error && <Text className='form-error profile-error'>{error}</Text>}
        <View className={`primary-button profile-save${busy ? ' primary-button--disabled' : ''}`} onClick={() => void save()}>
          {busy ? '保存中…' : '保存'}
        </View>
      </View>
    </AppShell>
  );
}
