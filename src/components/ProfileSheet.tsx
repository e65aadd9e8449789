/**
 * 头像昵称填写, asked once before helping a friend or sharing one's own assist (services/session askProfile):
 * weapp: WeChat's chooseAvatar button and nickname input; the browser: the preset pictures and a text field.
 * 跳过 keeps the generated avatar (components/Avatar). Rendered by the subpackage pages that ask, not the main package.
 */
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { avatarSeedOf, maskNickname } from '../../types/names';
import { errorMessage } from '../services/cloud';
import { nicknameProblem, saveProfile } from '../services/profile';
import { finishProfileAsk, meStore, profileAskStore } from '../services/session';
import { useStore } from '../utils/store';
import Avatar from './Avatar';
import { AvatarChooser, AvatarPresets, NicknameInput } from './ProfileFields';
import './ProfileSheet.css';

const IS_WEAPP = process.env.TARO_ENV === 'weapp';

const WHY = {
  help: '设置头像和昵称，好友在助力名单里就能认出你',
  share: '设置头像和昵称，好友收到你的分享时更容易认出你',
};

export default function ProfileSheet() {
  const ask = useStore(profileAskStore);
  const me = useStore(meStore);
  const [nickname, setNickname] = useState('');
  const [pendingFile, setPendingFile] = useState('');
  const [preset, setPreset] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  if (!ask.visible || !me) return null;

  const save = async () => {
    if (busy) return;
    const problem = nicknameProblem(nickname);
    if (problem) return setError(problem);
    setBusy(true);
    setError('');
    try {
      await saveProfile(me, { nickname, pendingFile, avatarUrl: preset || undefined });
      finishProfileAsk();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const chosen = pendingFile || preset;
  const preview = (
    <Avatar className='profile-sheet__avatar' url={chosen} name={nickname.trim() || me.nickname} seed={avatarSeedOf(me.openid)} />
  );

  return (
    <View className='sheet-mask profile-sheet' catchMove>
      <View className='sheet'>
        <Text className='sheet__title'>设置头像和昵称</Text>
        <Text className='muted profile-sheet__why'>{WHY[ask.reason]}</Text>
        <View className='profile-sheet__avatar-row'>
          <AvatarChooser className='profile-sheet__choose' onChoose={setPendingFile}>
            {preview}
          </AvatarChooser>
          <Text className='muted profile-sheet__hint'>{IS_WEAPP ? '点击头像，使用微信头像' : '选一个头像'}</Text>
        </View>
        <AvatarPresets className='profile-sheet__presets' itemClass='profile-sheet__preset' value={preset} onPick={setPreset} />
        <NicknameInput className='profile-sheet__nickname' value={nickname} onChange={setNickname} />
        <Text className='muted profile-sheet__masked'>好友看到的是：{maskNickname(nickname)}</Text>
        {error && <Text className='form-error profile-sheet__error'>{error}</Text>}
        <View className='sheet__actions'>
          <View className='ghost-button profile-sheet__skip' onClick={finishProfileAsk}>
            跳过
          </View>
          <View className={`primary-button profile-sheet__save${busy ? ' primary-button--disabled' : ''}`} onClick={() => void save()}>
            {busy ? '保存中…' : '保存'}
          </View>
        </View>
      </View>
    </View>
  );
}
