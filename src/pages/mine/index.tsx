/** 我的: who I am, my wallet at a glance (cash by bucket, points, coupons), my orders by status and my tools. */
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { avatarSeedOf } from '../../../types/names';
import { useRef } from 'react';
import { formatFen } from '../../../types/money';
import AppShell from '../../components/AppShell';
import Avatar from '../../components/Avatar';
import { ErrorState, Loading } from '../../components/PageState';
import { useRemote } from '../../hooks/useRemote';
import { useSessionLogin } from '../../hooks/useSessionLogin';
import { callFunction } from '../../services/cloud';
import { consentStore, meStore } from '../../services/session';
import { useStore } from '../../utils/store';
import './index.css';

const ORDER_TABS = [
  { text: '待付款', status: 'pending_payment' },
  { text: '待发货', status: 'paid' },
  { text: '待收货', status: 'shipped' },
  { text: '已收货', status: 'received' },
  { text: '全部订单', status: '' },
];

const go = (url: string) => () => void Taro.navigateTo({ url });

export default function MinePage() {
  const me = useStore(meStore);
  const { loginError, login } = useSessionLogin();
  const summary = useRemote(() => callFunction('wallet', 'summary', {}), [], me !== null);
  const shown = useRef(false);


  useDidShow(() => {
    // Back from a withdrawal or an order: the balances may have moved.
    if (shown.current && me) void summary.refresh();
    shown.current = true;
  });
  usePullDownRefresh(() => {
    void summary.refresh().finally(() => Taro.stopPullDownRefresh());
  });

  if (!me) {
    return (
      <AppShell className='mine-page' tab='mine'>
        {loginError ? <ErrorState message={loginError} onRetry={() => void login(true)} /> : <Loading />}
      </AppShell>
    );
  }

  const nickname = me.nickname || '微信用户';
  const copyInviteCode = () => {
    void Taro.setClipboardData({ data: me.inviteCode });
  };
  const s = summary.state.status === 'ready' ? summary.state.data : null;

  return (
    <AppShell className='mine-page' tab='mine'>
      <View className='profile' onClick={go('/packages/profile/index')}>
        <Avatar className='profile__avatar' url={me.avatarUrl} name={me.nickname} seed={avatarSeedOf(me.openid)} />
        <View className='profile__info'>
          <Text className='profile__nickname'>{nickname}</Text>
          <Text className='profile__role'>{me.roles.includes('merchant') ? '商家 · ' : ''}编辑资料 ›</Text>
        </View>
      </View>

      <View className='card wallet-card'>
        <View className='row' onClick={go('/packages/wallet/index')}>
          <Text className='card__title'>我的钱包</Text>
          <Text className='muted'>明细 ›</Text>
        </View>
        {summary.state.status === 'loading' && <Text className='muted'>加载中…</Text>}
        {summary.state.status === 'error' && (
          <View className='row wallet-card__error'>
            <Text className='muted error-message'>{summary.state.error}</Text>
            <Text className='link retry-button' onClick={() => void summary.reload()}>
              重试
            </Text>
          </View>
        )}
        {s && (
          <View className='wallet-card__grid' onClick={go('/packages/wallet/index')}>
            <View className='wallet-card__cell'>
              <Text className='wallet-card__amount wallet-available'>{formatFen(s.cash.availableFen)}</Text>
              <Text className='muted'>可提现</Text>
            </View>
            <View className='wallet-card__cell'>
              <Text className='wallet-card__amount wallet-frozen'>{formatFen(s.cash.frozenFen)}</Text>
              <Text className='muted'>冻结中</Text>
            </View>
            <View className='wallet-card__cell'>
              <Text className='wallet-card__amount wallet-points'>{s.points.available}</Text>
              <Text className='muted'>积分</Text>
            </View>
            <View className='wallet-card__cell' onClick={(e) => { e.stopPropagation(); go('/packages/wallet/coupons/index')(); }}>
              <Text className='wallet-card__amount wallet-coupons'>{s.coupons.available}</Text>
              <Text className='muted'>优惠券</Text>
            </View>
          </View>
        )}
        {s && (s.cash.withdrawingFen > 0 || s.cash.debtFen > 0) && (
          <Text className='muted wallet-card__extra'>
            {s.cash.withdrawingFen > 0 ? `提现中 ${formatFen(s.cash.withdrawingFen)}` : ''}
            {s.cash.withdrawingFen > 0 && s.cash.debtFen > 0 ? ' · ' : ''}
            {s.cash.debtFen > 0 ? `待抵扣 ${formatFen(s.cash.debtFen)}` : ''}
          </Text>
        )}
        <View className='primary-button wallet-card__withdraw' onClick={go('/packages/wallet/withdraw/index')}>
          提现
        </View>
      </View>

      {!me.consented && (
        <View className='card consent-card' onClick={() => consentStore.set({ ...consentStore.get(), visible: true, reason: 'first-open', error: '' })}>
          <Text className='consent-card__text'>你还没有同意隐私保护指引，邀请关系和个人资料暂不生效</Text>
          <Text className='link'>查看并同意 ›</Text>
        </View>
      )}

      <View className='card orders-card'>
        <View className='row' onClick={go('/packages/shop/orders/index')}>
          <Text className='card__title'>我的订单</Text>
          <Text className='muted'>全部 ›</Text>
        </View>
        <View className='orders-card__tabs'>
          {ORDER_TABS.slice(0, 4).map((tab) => (
            <View key={tab.status} className={`orders-card__tab orders-card__tab--${tab.status}`} onClick={go(`/packages/shop/orders/index?status=${tab.status}`)}>
              {tab.text}
            </View>
          ))}
        </View>
      </View>

      <View className='card menu'>
        <View className='menu__item menu__cart' onClick={go('/packages/shop/cart/index')}>
          <Text>购物车</Text>
          <Text className='muted'>›</Text>
        </View>
        <View className='menu__item menu__assists' onClick={go('/packages/assist/mine/index')}>
          <Text>我的助力</Text>
          <Text className='muted'>›</Text>
        </View>
        <View className='menu__item menu__coupons' onClick={go('/packages/wallet/coupons/index')}>
          <Text>优惠券</Text>
          <Text className='muted'>›</Text>
        </View>
        <View className='menu__item menu__ledger' onClick={go('/packages/wallet/ledger/index')}>
          <Text>收支明细</Text>
          <Text className='muted'>›</Text>
        </View>
        <View className='menu__item menu__profile' onClick={go('/packages/profile/index')}>
          <Text>个人资料</Text>
          <Text className='muted'>›</Text>
        </View>
        <View className='menu__item menu__privacy' onClick={go('/packages/profile/privacy/index')}>
          <Text>隐私与账号</Text>
          <Text className='muted'>›</Text>
        </View>
      </View>

      <View className='card invite-card'>
        <Text className='card__label'>我的邀请码</Text>
        <View className='invite-card__row'>
          <Text className='invite-code'>{me.inviteCode}</Text>
          <View className='invite-card__copy' onClick={copyInviteCode}>
            复制
          </View>
        </View>
        <Text className='card__hint'>好友填写你的邀请码或打开你分享的商品，即成为你邀请的好友</Text>
      </View>
    </AppShell>
  );
}
