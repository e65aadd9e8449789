/**
 * 用户详情: who invited them, their purchases (orders, refunds, addresses; Purchases.tsx), their invitees one level
 * down with status, wallet, ledger and rewards; void a reward
 * with a reason; block or unblock (a blocked user can still buy but earns no rewards and cannot help or withdraw;
 * a blocked merchant has no 管理 tab); take the merchant role back (owners only, the server decides).
 */
import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { avatarSeedOf } from '../../../../types/names';
import { useState } from 'react';
import type { RewardView, TreeInviteeStatus } from '../../../../types/api';
import { formatFen } from '../../../../types/money';
import AppShell from '../../../components/AppShell';
import Avatar from '../../../components/Avatar';
import { ErrorState, Loading } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import { callFunction, errorMessage } from '../../../services/cloud';
import ReasonBox from '../components/ReasonBox';
import { usePendingIds } from '../components/usePendingIds';
import { timeText } from '../format';
import UserTags from '../components/UserTags';
import Purchases from './Purchases';
import '../merchant.css';

const STATUS: Record<TreeInviteeStatus, string> = { bound: '已绑定', bought: '已下单', confirmed: '已确认', reversed: '已退款' };
const REWARD_STATUS: Record<RewardView['status'], string> = { frozen: '冻结中', available: '已到账', voided: '已作废', capped: '超上限' };
const SOURCE: Record<string, string> = { card: '分享卡片', poster: '海报', code: '邀请码', assist: '助力卡片' };
const amountText = (r: { form: string; amount: number }) => (r.form === 'points' ? `${r.amount} 积分` : formatFen(r.amount));

export default function UserPage() {
  const { params } = useRouter();
  const openid = params.openid ?? '';
  const tree = useRemote(() => callFunction('merchant', 'referralTree', { openid }), [openid]);
  const pending = usePendingIds();
  const [voiding, setVoiding] = useState<string | null>(null);
  const [blocking, setBlocking] = useState(false);

  if (tree.state.status === 'loading') return <AppShell className='m-page'><Loading /></AppShell>;
  if (tree.state.status === 'error') return <AppShell className='m-page'><ErrorState message={tree.state.error} onRetry={() => void tree.reload()} /></AppShell>;
  const t = tree.state.data;
  const u = t.user;

  const act = (id: string, work: () => Promise<unknown>, done: string) =>
    pending.run(id, async () => {
      try {
        await work();
        void Taro.showToast({ title: done, icon: 'none' });
        setVoiding(null);
        setBlocking(false);
        await tree.refresh();
      } catch (err) {
        void Taro.showToast({ title: errorMessage(err), icon: 'none' });
      }
    });

  return (
    <AppShell className='m-page user-page'>
      <View className='card'>
        <View className='user-page__who'>
          <Avatar className='user-page__avatar' url={u.avatarUrl} name={u.nickname} seed={avatarSeedOf(u.openid)} />
          <Text className='card__title user-page__name'>{u.nickname || '微信用户'}</Text>
        </View>
        <Text className='m-row__sub'>
          openid {u.openid} · 邀请码 {u.inviteCode} · {timeText(u.createdAt)} 加入
        </Text>
        <Text className='m-row__sub'>邀请人：{t.inviter ? t.inviter.nickname || t.inviter.openid : '无'}</Text>
        <UserTags u={u} />
        {u.flagTexts.map((f) => (
          <Text key={f} className='warning user-page__flag'>
            {f}
          </Text>
        ))}
        {u.blocked && <Text className='m-row__sub'>封禁原因：{u.blocked.reason}（{timeText(u.blocked.at)}）</Text>}
        <View className='m-actions'>
          {u.blocked ? (
            <Text className='m-btn user-unblock' onClick={() => void act('block', () => callFunction('merchant', 'blockUser', { openid, blocked: false }), '已解除封禁')}>
              解除封禁
            </Text>
          ) : (
            !blocking && (
              <Text className='m-btn m-btn--danger user-block' onClick={() => setBlocking(true)}>
                封禁
              </Text>
            )
          )}
        </View>
        {u.roles.includes('merchant') && (
          <View className='m-actions'>
            <Text className='m-row__sub'>商家（可进入管理）· 仅店主可以移除</Text>
            <Text
              className='m-btn user-remove-merchant'
              onClick={() =>
                void Taro.showModal({ title: '移除商家', content: `移除后 ${u.nickname || '该用户'} 不能再进入管理。`, confirmText: '移除' }).then((r) => {
                  if (r.confirm) void act('role', () => callFunction('merchant', 'removeMerchant', { openid }), '已移除商家');
                })
              }
            >
              {pending.busy('role') ? '处理中…' : '移除商家'}
            </Text>
          </View>
        )}
        {blocking && <ReasonBox placeholder='封禁原因' confirmText='确认封禁' busy={pending.busy('block')} onConfirm={(reason) => void act('block', () => callFunction('merchant', 'blockUser', { openid, blocked: true, reason }), '已封禁')} onCancel={() => setBlocking(false)} />}
      </View>

      <View className='card'>
        <Text className='card__title'>钱包</Text>
        <Text className='m-row__sub user-wallet'>
          可用 {formatFen(t.wallet.cash.availableFen)} · 冻结 {formatFen(t.wallet.cash.frozenFen)} · 提现中 {formatFen(t.wallet.cash.withdrawingFen)} · 待抵扣 {formatFen(t.wallet.cash.debtFen)} · 积分 {t.wallet.points.available}（冻结 {t.wallet.points.frozen}）
        </Text>
      </View>

      <Purchases openid={openid} />

      <View className='card'>
        <Text className='card__title'>TA 邀请的好友（{t.invitees.length}）</Text>
        {t.invitees.length === 0 && <Text className='muted'>还没有邀请好友</Text>}
        {t.invitees.map((i) => (
          <View key={i.openid} className='m-row invitee-row' onClick={() => void Taro.navigateTo({ url: `/packages/merchant/user/index?openid=${i.openid}` })}>
            <View className='m-row__main'>
              <Text className='m-row__title'>{i.nickname || i.openid}</Text>
              <Text className='m-row__sub'>
                {timeText(i.boundAt)} 绑定 · 来源 {SOURCE[i.source] ?? i.source}
                {i.orderId ? ` · 订单 ${i.orderId}` : ''}
              </Text>
            </View>
            <Text className={`m-tag invitee-status invitee-status--${i.status}${i.status === 'reversed' ? ' m-tag--warn' : i.status === 'confirmed' ? ' m-tag--ok' : ''}`}>{STATUS[i.status]}</Text>
          </View>
        ))}
      </View>

      <View className='card'>
        <Text className='card__title'>奖励</Text>
        {t.rewards.length === 0 && <Text className='muted'>暂无奖励</Text>}
        {t.rewards.map((r) => (
          <View key={r.id} className='reward-row'>
            <View className='m-row'>
              <View className='m-row__main'>
                <Text className='m-row__title'>
                  {r.ruleName} {amountText(r)}
                </Text>
                <Text className='m-row__sub'>
                  {timeText(r.createdAt)} · {REWARD_STATUS[r.status]}
                  {r.reason ? ` · ${r.reason}` : ''}
                </Text>
              </View>
              {(r.status === 'frozen' || r.status === 'available') && voiding !== r.id && (
                <Text className='m-btn m-btn--danger reward-void' onClick={() => setVoiding(r.id)}>
                  作废
                </Text>
              )}
            </View>
            {voiding === r.id && <ReasonBox placeholder='作废原因（用户可见）' confirmText='确认作废' busy={pending.busy(r.id)} onConfirm={(reason) => void act(r.id, () => callFunction('merchant', 'voidReward', { rewardId: r.id, reason }), '奖励已作废')} onCancel={() => setVoiding(null)} />}
          </View>
        ))}
      </View>

      <View className='card'>
        <Text className='card__title'>收支明细</Text>
        {t.ledger.length === 0 && <Text className='muted'>暂无记录</Text>}
        {t.ledger.map((e) => (
          <View key={e.id} className='m-row ledger-row'>
            <View className='m-row__main'>
              <Text className='m-row__title'>{e.title}</Text>
              <Text className='m-row__sub'>
                {timeText(e.createdAt)}
                {e.note ? ` · ${e.note}` : ''}
              </Text>
            </View>
            <Text className={e.amount >= 0 ? 'price' : 'muted'}>{e.asset === 'points' ? `${e.amount > 0 ? '+' : ''}${e.amount}` : `${e.amount > 0 ? '+' : ''}${formatFen(e.amount)}`}</Text>
          </View>
        ))}
      </View>
    </AppShell>
  );
}
