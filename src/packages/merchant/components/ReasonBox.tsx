/** An inline "why" box for a refusal: the reason is required and goes to the shopper. */
import { Input, Text, View } from '@tarojs/components';
import { useState } from 'react';

interface Props {
  placeholder: string;
  confirmText: string;
  busy: boolean;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}

export default function ReasonBox({ placeholder, confirmText, busy, onConfirm, onCancel }: Props) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  return (
    <View className='reason-box'>
      <Input className='m-input reason-box__input' value={reason} placeholder={placeholder} maxlength={100} onInput={(e) => setReason(e.detail.value)} />
      {error && <Text className='form-error'>{error}</Text>}
      <View className='m-actions'>
        <Text
          className={`m-btn m-btn--danger reason-box__confirm${busy ? ' primary-button--disabled' : ''}`}
          onClick={() => {
            if (busy) return;
            if (!reason.trim()) return setError('请填写原因，用户会看到它');
            onConfirm(reason.trim());
          }}
        >
          {busy ? '提交中…' : confirmText}
        </Text>
        <Text className='m-btn reason-box__cancel' onClick={onCancel}>
          取消
        </Text>
      </View>
    </View>
  );
}
