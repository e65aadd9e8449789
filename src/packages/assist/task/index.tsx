/**
 * 助力页, one page for both sides. The owner sees progress, the friends who helped (masked), a countdown and a
 * share button; a friend sees whose task it is, what helping does and 帮TA助力; after helping or when it is done,
 * 我也要 starts their own. Progress counts friends (deterministic): no random amounts, no reward for sharing.
 * ?taskId=… (a card also carries inviter and source, read at launch)
 */
import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter, useShareAppMessage } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import type { AssistHelperView, AssistTaskView } from '../../../../types/api';
import { messageFor } from '../../../../types/errors';
import { formatFen } from '../../../../types/money';
import AppShell from '../../../components/AppShell';
import Avatar from '../../../components/Avatar';
import ProfileSheet from '../../../components/ProfileSheet';
import { ErrorState, Loading, goHome } from '../../../components/PageState';
import RulesCard from '../../../components/RulesCard';
import ShareButton from '../../../components/ShareButton';
import { useCountdown } from '../../../hooks/useCountdown';
import { useRemote } from '../../../hooks/useRemote';
import { CloudError, callFunction, errorMessage } from '../../../services/cloud';
import { askProfile, consentStore, getMe, meStore } from '../../../services/session';
import { assistPath, assistShare, productPath } from '../../../services/share';
import { askSubscribe } from '../../../services/subscribe';
import { formatCountdown, formatDateTime } from '../../../utils/format';
import { useStore } from '../../../utils/store';
import ProductImage from '../../../components/ProductImage';
import './index.css';


const STATUS_TEXT: Record<AssistTaskView['status'], string> = { open: '助力进行中', succeeded: '助力成功', expired: '助力已结束' };

function fallbackText(task: AssistTaskView): string | null {
  const f = task.fallback;
  if (!f || task.status !== 'expired') return null;
  if (f.kind === 'points') return `未在时限内凑满，已按助力人数为你发放 ${f.points} 积分`;
  if (f.kind === 'coupon') return `未在时限内凑满，已按助力人数为你发放 ${formatFen(f.amountFen)} 优惠券`;
  return '未在时限内凑满，本次助力结束';
}

export default function AssistTaskPage() {
  const { params } = useRouter();
  const taskId = params.taskId ?? '';
  const me = useStore(meStore);
  const task = useRemote(async () => {
    await getMe(); // the card's open is recorded with the login (inviter, task) before the friend's view
    const view = await callFunction('assist', 'get', { taskId });
    return { view, loadedAt: Date.now() };
  }, [taskId]);
  const [busy, setBusy] = useState('');
  const shown = useRef(false);
  const msLeft = useCountdown(task.state.data?.view.msLeft ?? 0, task.state.data?.loadedAt ?? 0);

  const shareTo = assistShare(taskId, me?.inviteCode);
  useShareAppMessage(() => {
    const t = task.state.data?.view;
    return { title: t ? `帮我助力一下：${t.product.title}` : '帮我助力一下', path: shareTo, imageUrl: t?.product.image };
  });
  useDidShow(() => {
    if (shown.current) void task.refresh();
    shown.current = true;
  });
  // Before the owner shares their task: a name and picture for the card's helpers list (skippable, asked once).
  const ownerOpen = task.state.status === 'ready' && task.state.data.view.viewer.isOwner && task.state.data.view.status === 'open';
  useEffect(() => {
    if (ownerOpen) void askProfile('share');
  }, [ownerOpen]);

  if (task.state.status === 'loading') return <AppShell className='assist-page'><Loading /></AppShell>;
  if (task.state.status === 'error') {
    return (
      <AppShell className='assist-page'>
        <ErrorState message={task.state.error} onRetry={() => void task.reload()} />
      </AppShell>
    );
  }

  const t = task.state.data.view;
  const { viewer } = t;
  const can = (action: AssistTaskView['viewer']['actions'][number]) => viewer.actions.includes(action);
  const ownerName = t.owner.name;

  const run = async (what: string, job: () => Promise<void>) => {
    if (busy) return;
    setBusy(what);
    try {
      await job();
    } catch (err) {
      if (err instanceof CloudError && err.code === 'CONSENT_REQUIRED') {
        consentStore.set({ ...consentStore.get(), visible: true, reason: 'first-open', error: '' });
      }
      void Taro.showToast({ title: errorMessage(err), icon: 'none' });
      void task.refresh();
    } finally {
      setBusy('');
    }
  };
  const help = () =>
    run('help', async () => {
      // The first natural moment for a name: the owner sees who helped (skippable, asked once).
      await askProfile('help');
      const result = await callFunction('assist', 'help', { taskId: t.taskId });
      void Taro.showToast({ title: result.completed ? '助力成功，TA 已凑满！' : `助力成功，已有 ${result.helpers}/${result.target} 位好友`, icon: 'none' });
      await task.refresh();
    });
  const startOwn = () =>
    run('start', async () => {
      const mine = await callFunction('assist', 'start', { productId: t.product.id });
      await Taro.redirectTo({ url: assistPath(mine.taskId) });
    });
  const buy = () =>
    void Taro.navigateTo({ url: `/packages/shop/checkout/index?items=${encodeURIComponent(`${t.product.id}:1`)}&assistTaskId=${encodeURIComponent(t.taskId)}` });

  const slots = Array.from({ length: t.target }, (_, i) => t.helpersList[i] ?? null);
  const note = fallbackText(t);

  return (
    <AppShell className='assist-page'>
      <View className='assist-head'>
        <Text className='assist-head__who'>{viewer.isOwner ? '我发起的助力' : `${ownerName ? `${ownerName} ` : '好友'}邀请你帮TA助力`}</Text>
        <Text className='assist-head__status'>
          {t.status === 'open' ? `还差 ${t.remaining} 位好友助力` : STATUS_TEXT[t.status]}
        </Text>
        {t.status === 'open' && <Text className='assist-head__countdown'>剩余 {formatCountdown(msLeft)}</Text>}
      </View>

      <View className='card assist-product' onClick={() => void Taro.navigateTo({ url: productPath(t.product.id) })}>
        <ProductImage className='assist-product__image' src={t.product.image} />
        <View className='assist-product__body'>
          <Text className='assist-product__title'>{t.product.title}</Text>
          <Text className='muted'>原价 {formatFen(t.product.priceFen)}</Text>
          {t.voucher && <Text className='price assist-product__price'>助力价 {formatFen(t.voucher.priceFen)}</Text>}
        </View>
        <Text className='muted assist-product__go'>去看看 ›</Text>
      </View>

      <View className='card assist-progress'>
        <View className='row'>
          <Text className='card__title'>助力进度</Text>
          <Text className='assist-progress__count'>
            {t.helpers}/{t.target}
          </Text>
        </View>
        <View className='assist-slots'>
          {slots.map((h, i) => (
            <View key={i} className={`assist-slot${h ? ' assist-slot--filled' : ''}`}>
              {h ? (
                <Avatar className='assist-slot__avatar' url={h.avatarUrl} name={h.name} seed={h.avatarSeed} />
              ) : (
                <View className='assist-slot__avatar assist-slot__avatar--placeholder'>?</View>
              )}
              <Text className='assist-slot__name'>{h ? h.name : '待助力'}</Text>
            </View>
          ))}
        </View>
        <View className='assist-bar'>
          <View className='assist-bar__fill' style={{ width: `${Math.round((t.helpers / Math.max(t.target, 1)) * 100)}%` }} />
        </View>
        {!viewer.isOwner && t.status === 'open' && (
          <Text className='muted assist-explain'>
            你的助力计 1 人，帮{ownerName ? ` ${ownerName} ` : 'TA'}凑满 {t.target} 人后，TA 就能以助力价购买。助力不花钱，每人只能帮同一个助力 1 次。
          </Text>
        )}
        {viewer.isOwner && t.status === 'succeeded' && t.voucher && (
          <Text className='muted assist-explain'>
            {t.voucher.state === 'available'
              ? `请在 ${formatDateTime(t.voucher.validUntil)} 前以助力价下单`
              : t.voucher.state === 'used'
                ? '助力价已使用'
                : '助力价已过期'}
          </Text>
        )}
        {note && <Text className='muted assist-explain assist-fallback'>{note}</Text>}
        {!viewer.isOwner && viewer.helped && <Text className='assist-explain assist-helped'>你已为 TA 助力</Text>}
        {!viewer.isOwner && !viewer.helped && viewer.cannotHelp && <Text className='muted assist-explain assist-cannot'>{messageFor(viewer.cannotHelp)}</Text>}
      </View>

      <View className='assist-actions'>
        {can('help') && (
          <View className='primary-button assist-help' onClick={() => void help()}>
            {busy === 'help' ? '助力中…' : '帮TA助力'}
          </View>
        )}
        {can('buy') && (
          <View className='primary-button assist-buy' onClick={buy}>
            以助力价 {t.voucher ? formatFen(t.voucher.priceFen) : ''} 购买
          </View>
        )}
        {can('share') && (
          <>
            <ShareButton path={shareTo} label='邀请好友助力' className='primary-button assist-share' onTap={() => askSubscribe('assist')} />
            <View className='ghost-button assist-poster' onClick={() => void Taro.navigateTo({ url: `/packages/profile/poster/index?taskId=${encodeURIComponent(t.taskId)}` })}>
              生成海报
            </View>
          </>
        )}
        {can('startOwn') && (
          <View className={`${can('help') ? 'ghost-button' : 'primary-button'} assist-start-own`} onClick={() => void startOwn()}>
            {busy === 'start' ? '正在发起…' : '我也要'}
          </View>
        )}
        {/* A friend who came from the card can always reach the shop. */}
        <View className='ghost-button assist-browse' onClick={goHome}>
          去逛逛
        </View>
      </View>

      <RulesCard title='助力规则' lines={t.rulesText} className='assist-rules' />
      <ProfileSheet />
    </AppShell>
  );
}
