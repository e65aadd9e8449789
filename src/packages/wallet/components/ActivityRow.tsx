/**
 * One line of the wallet per business event (wallet.activity): 邀请奖励 +¥50 冻结中 → 可提现; 提现 −¥50 已到账. Tapping
 * it shows the bookkeeping underneath (the ledger legs, as 收支明细 listed them before).
 */
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { WalletActivityView } from '../../../../types/api';
import { formatFen } from '../../../../types/money';
import { formatDateTime } from '../../../utils/format';
import EntryRow from './EntryRow';
import './ActivityRow.css';

const money = (asset: WalletActivityView['asset'], amount: number) => {
  const sign = amount > 0 ? '+' : amount < 0 ? '−' : '';
  return asset === 'cash' ? `${sign}${formatFen(Math.abs(amount))}` : `${sign}${Math.abs(amount)} 积分`;
};

/** Reversed events keep their amount but read as not counting any more. */
const GONE = new Set<WalletActivityView['status']>(['voided', 'clawed_back', 'returned']);

export default function ActivityRow({ item }: { item: WalletActivityView }) {
  const [open, setOpen] = useState(false);
  return (
    <View className={`activity activity--${item.status}`}>
      <View className='activity__line' onClick={() => setOpen(!open)}>
        <View className='activity__main'>
          <Text className='activity__title'>{item.title}</Text>
          <Text className='muted activity__meta'>
            {formatDateTime(item.updatedAt)}
            {item.steps.length > 1 ? ` · ${item.steps.join(' → ')}` : ''}
          </Text>
          {item.note && <Text className='muted activity__note'>{item.note}</Text>}
        </View>
        <View className='activity__side'>
          <Text className={`activity__amount${item.amount > 0 ? ' activity__amount--in' : ''}${GONE.has(item.status) ? ' activity__amount--gone' : ''}`}>{money(item.asset, item.amount)}</Text>
          <Text className={`activity__status activity__status--${item.status}`}>{item.statusText}</Text>
        </View>
      </View>
      {open && (
        <View className='activity__legs'>
          <Text className='muted activity__legs-title'>记账明细（{item.legs.length} 笔）</Text>
          {item.legs.map((leg) => (
            <EntryRow key={leg.id} entry={leg} />
          ))}
        </View>
      )}
    </View>
  );
}
