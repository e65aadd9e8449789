/**
 * 拼团页, one page for members and friends. Everyone sees the product at the group price, the paid members (masked),
 * the time left and the rules up front; a friend joins by placing an order (a seat is held for it until it is paid
 * or closes); a member shares the card. After the group is decided the page says plainly what happened: 拼团成功
 * (the order ships) or 拼团未成团 (every member refunded in full, automatically).
 * ?groupId=… (a card also carries inviter and source, read at launch)
 */
import { Image, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter, useShareAppMessage } from '@tarojs/taro';
import { useRef } from 'react';
import type { GroupView } from '../../../../types/api';
import { messageFor } from '../../../../types/errors';
import { formatFen } from '../../../../types/money';
import AppShell from '../../../components/AppShell';
import { ErrorState, Loading } from '../../../components/PageState';
import ProductImage from '../../../components/ProductImage';
import RulesCard from '../../../components/RulesCard';
import ShareButton from '../../../components/ShareButton';
import { useCountdown } from '../../../hooks/useCountdown';
import { useRemote } from '../../../hooks/useRemote';
import { callFunction } from '../../../services/cloud';
import { getMe, meStore } from '../../../services/session';
import { groupCheckoutPath, groupShare, productPath } from '../../../services/share';
import { formatCountdown } from '../../../utils/format';
import { useStore } from '../../../utils/store';
import './index.css';

const HEADLINE: Record<GroupView['status'], string> = {
  pending: '等待团长付款',
  open: '拼团进行中',
  succeeded: '拼团成功',
  failed: '拼团未成团',
  cancelled: '拼团已取消',
};

/** What happened, in one sentence, once the group is decided (or why the viewer waits). */
function outcomeText(g: GroupView): string | null {
  const mine = g.viewer.isMember;
  if (g.status === 'succeeded') return mine ? `${g.paidCount} 人已成团，商家将尽快发货。` : `这个团已凑满 ${g.paidCount} 人，拼团成功。`;
  if (g.status === 'failed') return mine ? '到期未凑满人数，你的订单已自动全额退款：款项原路退回，优惠券、余额和积分已退还。' : '这个团到期未凑满人数，已结束。';
  if (g.status === 'cancelled') return '团长未在时限内付款，这个团没有开成。';
  if (g.status === 'pending') return mine ? '付款后拼团开始，就可以邀请好友参团了。' : '团长付款后才能参团。';
  if (g.viewer.orderState === 'waiting' && g.viewer.actions.includes('pay')) return '你已占好名额，请在订单有效期内付款，否则名额会释放给其他好友。';
  return null;
}

export default function GroupPage() {
  const { params } = useRouter();
  const groupId = params.groupId ?? '';
  const me = useStore(meStore);
  const group = useRemote(async () => {
    await getMe(); // the card's open is recorded with the login (inviter) before the friend's view
    const view = await callFunction('shop', 'getGroup', { groupId });
    return { view, loadedAt: Date.now() };
  }, [groupId]);
  const shown = useRef(false);
  const msLeft = useCountdown(group.state.data?.view.msLeft ?? 0, group.state.data?.loadedAt ?? 0);

  const shareTo = groupShare(groupId, me?.inviteCode);
  useShareAppMessage(() => {
    const g = group.state.data?.view;
    return {
      title: g ? `${formatFen(g.product.groupPriceFen)} 拼「${g.product.title}」，还差 ${g.remaining} 人` : '一起拼团',
      path: shareTo,
      imageUrl: g?.product.image,
    };
  });
  useDidShow(() => {
    if (shown.current) void group.refresh();
    shown.current = true;
  });

  if (group.state.status === 'loading') return <AppShell className='group-page'><Loading /></AppShell>;
  if (group.state.status === 'error') {
    return (
      <AppShell className='group-page'>
        <ErrorState message={group.state.error} onRetry={() => void group.reload()} />
      </AppShell>
    );
  }

  const g = group.state.data.view;
  const { viewer } = g;
  const can = (a: GroupView['viewer']['actions'][number]) => viewer.actions.includes(a);
  const slots = Array.from({ length: g.size }, (_, i) => g.members[i] ?? null);
  const outcome = outcomeText(g);
  const decided = g.status === 'succeeded' || g.status === 'failed' || g.status === 'cancelled';

  return (
    <AppShell className='group-page'>
      <View className={`group-head group-head--${g.status}`}>
        <Text className='group-head__who'>{viewer.isLeader ? '我发起的拼团' : viewer.isMember ? '我参加的拼团' : `${g.members[0]?.name ?? '好友'} 邀请你一起拼团`}</Text>
        <Text className='group-head__status'>{g.status === 'open' ? `还差 ${g.remaining} 人成团` : HEADLINE[g.status]}</Text>
        {g.status === 'open' && <Text className='group-head__countdown'>剩余 {formatCountdown(msLeft)}</Text>}
      </View>

      <View className='card group-product' onClick={() => void Taro.navigateTo({ url: productPath(g.product.id) })}>
        <ProductImage className='group-product__image' src={g.product.image} />
        <View className='group-product__body'>
          <Text className='group-product__title'>{g.product.title}</Text>
          <Text className='price group-product__price'>
            {g.size} 人拼团价 {formatFen(g.product.groupPriceFen)}
          </Text>
          <Text className='muted group-product__list'>单买 {formatFen(g.product.listPriceFen)}</Text>
        </View>
      </View>

      <View className='card group-members'>
        <View className='row'>
          <Text className='card__title'>拼团成员</Text>
          <Text className='group-members__count'>
            {g.paidCount}/{g.size}
          </Text>
        </View>
        <View className='group-slots'>
          {slots.map((m, i) => (
            <View key={i} className={`group-slot${m ? ' group-slot--filled' : ''}`}>
              {m?.avatarUrl ? (
                <Image className='group-slot__avatar' src={m.avatarUrl} mode='aspectFill' />
              ) : (
                <View className='group-slot__avatar group-slot__avatar--placeholder'>{m ? m.name.slice(0, 1) : '?'}</View>
              )}
              <Text className='group-slot__name'>{m ? (m.isLeader ? `团长 ${m.name}` : m.name) : '待参团'}</Text>
            </View>
          ))}
        </View>
        {outcome && <Text className={`group-outcome group-outcome--${g.status}`}>{outcome}</Text>}
        {!viewer.isMember && viewer.cannotJoin && !decided && <Text className='muted group-cannot'>{messageFor(viewer.cannotJoin)}</Text>}
      </View>

      <View className='group-actions'>
        {can('join') && (
          <View className='primary-button group-join' onClick={() => void Taro.navigateTo({ url: groupCheckoutPath(g.product.id, g.groupId) })}>
            {formatFen(g.product.groupPriceFen)} 参团
          </View>
        )}
        {can('pay') && viewer.orderId && (
          <View className='primary-button group-pay' onClick={() => void Taro.navigateTo({ url: `/packages/shop/order/index?id=${encodeURIComponent(viewer.orderId!)}` })}>
            去付款
          </View>
        )}
        {can('share') && <ShareButton path={shareTo} label='邀请好友参团' className='primary-button group-share' />}
        {can('viewOrder') && !can('pay') && viewer.orderId && (
          <View className='ghost-button group-order' onClick={() => void Taro.navigateTo({ url: `/packages/shop/order/index?id=${encodeURIComponent(viewer.orderId!)}` })}>
            查看我的订单
          </View>
        )}
        {can('openOwn') && (
          <View className={`${can('join') ? 'ghost-button' : 'primary-button'} group-open-own`} onClick={() => void Taro.navigateTo({ url: groupCheckoutPath(g.product.id) })}>
            我也发起拼团
          </View>
        )}
      </View>

      <RulesCard title='拼团规则' lines={g.rulesText} className='group-rules' />
    </AppShell>
  );
}
