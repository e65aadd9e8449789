import { Text, View } from '@tarojs/components';
import type { LedgerEntryView } from '../../../../types/api';
import { formatFen } from '../../../../types/money';
import { formatDateTime } from '../../../utils/format';
import './EntryRow.css';

/** One ledger entry: its readable reason, the bucket it moved, the signed amount (¥ for cash, 积分 for points). */
export default function EntryRow({ entry }: { entry: LedgerEntryView }) {
  const sign = entry.amount > 0 ? '+' : '';
  const amount = entry.asset === 'cash' ? `${sign}${formatFen(entry.amount)}` : `${sign}${entry.amount} 积分`;
  return (
    <View className='entry'>
      <View className='entry__main'>
        <Text className='entry__title'>{entry.title}</Text>
        <Text className='muted'>
          {formatDateTime(entry.createdAt)} · {entry.bucketText}
        </Text>
      </View>
      <Text className={`entry__amount${entry.amount > 0 ? ' entry__amount--in' : ''}`}>{amount}</Text>
    </View>
  );
}
