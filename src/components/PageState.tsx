/** The loading, error (with 重试 and a way home) and empty states every page shows the same way. */
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';

const HOME = '/pages/index/index';

/** To 首页 from anywhere: a tab, so switchTab; reLaunch if the stack cannot switch (e.g. opened from a card). */
export function goHome() {
  void Taro.switchTab({ url: HOME }).catch(() => Taro.reLaunch({ url: HOME }));
}

/** While a page loads: grey blocks in the shape of content (a skeleton), not a 加载中… line; `text` for longer waits. */
export function Loading({ text }: { text?: string }) {
  return (
    <View className='loading-state skeleton' aria-label={text ?? '加载中'}>
      <View className='skeleton__block skeleton__block--hero' />
      <View className='skeleton__line skeleton__line--wide' />
      <View className='skeleton__line' />
      <View className='skeleton__line skeleton__line--short' />
      {text && <Text className='state-text skeleton__text'>{text}</Text>}
    </View>
  );
}

/** An error never leaves a dead end: 重试, and 返回首页 (left out on 首页 itself). */
export function ErrorState({ message, onRetry, home = true }: { message: string; onRetry: () => void; home?: boolean }) {
  return (
    <View className='state error-state'>
      <Text className='state-text error-message'>{message}</Text>
      <View className='state-actions'>
        <View className='primary-button retry-button' onClick={onRetry}>
          重试
        </View>
        {home && (
          <View className='ghost-button home-button' onClick={goHome}>
            返回首页
          </View>
        )}
      </View>
    </View>
  );
}

export function Empty({ text, children }: { text: string; children?: React.ReactNode }) {
  return (
    <View className='state empty-state'>
      <Text className='state-text'>{text}</Text>
      {children}
    </View>
  );
}
