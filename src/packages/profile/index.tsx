/**
 * 个人资料: nickname and avatar. weapp uses WeChat's 头像昵称填写 (a chooseAvatar button, a nickname input, the
 * avatar uploaded to cloud storage); the browser a small form with preset avatars. Others only ever see it masked.
 */
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import AppShell from '../../components/AppShell';
import Avatar from '../../components/Avatar';
import { AvatarChooser, AvatarPresets, NicknameInput } from '../../components/ProfileFields';
import { useSessionLogin } from '../../hooks/useSessionLogin';
import { ErrorState, Loading } from '../../components/PageState';
import { errorMessage } from '../../services/cloud';
import { nicknameProblem, saveProfile } from '../../services/profile';
import { meStore } from '../../services/session';
import { avatarSeedOf } from '../../../types/names';
import { maskName } from '../../utils/format';
import { useStore } from '../../utils/store';
import './index.css';
import '../../styles/forms.css';


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
          <AvatarChooser className='avatar-button' onChoose={setPendingAvatarFile}>
            <Avatar className='avatar-preview' url={shownAvatar} name={preview} seed={avatarSeedOf(me.openid)} />
          </AvatarChooser>
        </View>
        <AvatarPresets className='avatar-presets' itemClass='avatar-preset' value={avatar} onPick={setAvatar} />
        <View className='form-row'>
          <Text className='form-row__label'>昵称</Text>
          <NicknameInput className='form-row__input nickname-input' value={nickname} onChange={setNickname} />
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
