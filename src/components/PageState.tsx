/** The loading, error (with 重试) and empty states every page shows the same way. */
import { Text, View } from '@tarojs/components';

export function Loading({ text = '加载中…' }: { text?: string }) {
  return (
    <View className='state loading-state'>
      <Text className='state-text'>{text}</Text>
    </View>
  );
}

export function ErrorState({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <View className='state error-state'>
      <Text className='state-text error-message'>{message}</Text>
      <View className='primary-button retry-button' onClick={onRetry}>
        重试
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
