/**
 * 分享给好友. weapp: WeChat's share button (the page's useShareAppMessage builds the card with the inviter code).
 * Browser: a sheet with the link that opens the same page for a friend, and 复制链接.
 */
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { webLink } from '../services/share';

interface Props {
  /** The page path with its query (inviter, source, task) that the card or link opens. */
  path: string;
  label?: string;
  className?: string;
  /** Runs inside the tap (e.g. to ask for a subscribe message). */
  onTap?: () => void;
}

export default function ShareButton({ path, label = '分享给好友', className = 'ghost-button', onTap }: Props) {
  const [open, setOpen] = useState(false);
  if (process.env.TARO_ENV === 'weapp') {
    return (
      <Button className={`share-button ${className}`} openType='share' onClick={onTap}>
        {label}
      </Button>
    );
  }
  const link = webLink(path);
  const copy = () => {
    void Taro.setClipboardData({ data: link }).then(
      () => Taro.showToast({ title: '链接已复制，发给好友吧', icon: 'none' }),
      () => Taro.showToast({ title: '复制失败，请长按链接手动复制', icon: 'none' }),
    );
  };
  return (
    <>
      <View
        className={`share-button ${className}`}
        onClick={() => {
          onTap?.();
          setOpen(true);
        }}
      >
        {label}
      </View>
      {open && (
        <View className='sheet-mask share-sheet' onClick={() => setOpen(false)}>
          <View className='sheet' onClick={(e) => e.stopPropagation()}>
            <Text className='sheet__title'>分享给好友</Text>
            <Text className='muted'>把链接发给好友，好友打开就能看到</Text>
            <Text className='share-sheet__link' userSelect>
              {link}
            </Text>
            <View className='sheet__actions'>
              <View className='ghost-button share-sheet__close' onClick={() => setOpen(false)}>
                关闭
              </View>
              <View className='primary-button share-sheet__copy' onClick={copy}>
                复制链接
              </View>
            </View>
          </View>
        </View>
      )}
    </>
  );
}
