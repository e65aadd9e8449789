/**
 * The inputs of 头像昵称填写, shared by 个人资料 and the sheet that asks before helping or sharing: the avatar (weapp:
 * WeChat's chooseAvatar button around the preview; h5: the preset pictures) and the nickname (weapp:
 * `type="nickname"`, whose suggestion arrives on blur as well as on input).
 */
import { Button, Image, Input, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { PRESET_AVATARS } from '../services/profile';

const IS_WEAPP = process.env.TARO_ENV === 'weapp';

/** weapp: the preview is WeChat's chooseAvatar button (the temporary file comes back); h5: the preview alone. */
export function AvatarChooser({ children, onChoose, className }: { children: ReactNode; onChoose: (tempFile: string) => void; className: string }) {
  if (!IS_WEAPP) return <>{children}</>;
  return (
    <Button className={className} openType='chooseAvatar' onChooseAvatar={(e) => onChoose(e.detail.avatarUrl)}>
      {children}
    </Button>
  );
}

/** h5 only (nothing in weapp): the preset pictures; `${itemClass}--on` marks the picked one. */
export function AvatarPresets({ value, onPick, className, itemClass }: { value: string; onPick: (src: string) => void; className: string; itemClass: string }) {
  if (IS_WEAPP) return null;
  return (
    <View className={className}>
      {PRESET_AVATARS.map((src) => (
        <Image key={src} className={`${itemClass}${value === src ? ` ${itemClass}--on` : ''}`} src={src} onClick={() => onPick(src)} />
      ))}
    </View>
  );
}

export function NicknameInput({ value, onChange, className }: { value: string; onChange: (value: string) => void; className: string }) {
  return (
    <Input
      className={className}
      type={IS_WEAPP ? 'nickname' : 'text'}
      value={value}
      placeholder={IS_WEAPP ? '点击使用微信昵称，或填写' : '填写昵称'}
      maxlength={20}
      onInput={(e) => onChange(e.detail.value)}
      onBlur={(e) => onChange(e.detail.value)}
    />
  );
}
