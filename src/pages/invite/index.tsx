/** 邀请: progress to the next 推三返一 reward, my code, share and poster, and my invitees with their status. */
import { Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useShareAppMessage } from '@tarojs/taro';
import { useRef, useState } from 'react';
import type { InviteeStatus } from '../../../types/api';
import AppShell from '../../components/AppShell';
import Avatar from '../../components/Avatar';
import { ErrorState, Loading } from '../../components/PageState';
import ShareButton from '../../components/ShareButton';
import { usePagedList } from '../../hooks/usePagedList';
import { useRemote } from '../../hooks/useRemote';
import { callFunction, errorMessage } from '../../services/cloud';
import { finishProfileAsk, getMe, meStore, profileAskStore, resetSession, shouldAskProfile } from '../../services/session';
import { inviteShare } from '../../services/share';
import { askSubscribe } from '../../services/subscribe';
import { formatDateTime } from '../../utils/format';
import { useStore } from '../../utils/store';
import './index.css';

const STATUS_TEXT: Record<InviteeStatus, string> = {
  bound: '已绑定，待首单',
  bought: '已下单，退款期内',
  confirmed: '已完成',
};

const SOURCE_TEXT: Record<string, string> = { card: '分享卡片', poster: '海报', code: '邀请码', assist: '助力' };

function fetchInvitees(cursor: number | undefined) {
  return callFunction('referral', 'myInvitees', cursor === undefined ? { pageSize: 20 } : { cursor, pageSize: 20 });
}

export default function InvitePage() {
  const data = useRemote(async () => {
    const [card, progress] = await Promise.all([callFunction('referral', 'myInviteCard', {}), callFunction('referral', 'progress', {})]);
    return { card, progress };
  }, []);
  const invitees = usePagedList(fetchInvitees);
  const shown = useRef(false);
  const me = useStore(meStore);
  useStore(profileAskStore); // 跳过 on the name banner hides it
  const [typedCode, setTypedCode] = useState('');
  const [bindNote, setBindNote] = useState('');

  const card = data.state.status === 'ready' ? data.state.data.card : null;
  const sharePath = card ? card.sharePath || inviteShare(card.inviteCode) : '/pages/index/index';

  useShareAppMessage(() => ({ title: card?.title || '推三返一：和好友一起买好物', path: sharePath }));
  useDidShow(() => {
    if (shown.current) {
      void data.refresh();
      void invitees.refresh();
    }
    shown.current = true;
  });
  usePullDownRefresh(() => {
    void Promise.all([data.refresh(), invitees.refresh()]).finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => void invitees.loadMore());

  if (data.state.status === 'loading') return <AppShell className='invite-page' tab='invite'><Loading /></AppShell>;
  if (data.state.status === 'error') {
    return (
      <AppShell className='invite-page' tab='invite'>
        <ErrorState message={data.state.error} onRetry={() => void data.reload()} />
      </AppShell>
    );
  }

  const { progress } = data.state.data;
  const inviteCard = data.state.data.card;
  const remaining = Math.max(progress.n - progress.current, 0);
  const bindCode = async () => {
    const code = typedCode.trim();
    if (!code) return setBindNote('请输入好友的邀请码');
    try {
      await callFunction('user', 'bindCode', { inviteCode: code });
      resetSession();
      await getMe();
      setBindNote('已绑定，你现在是好友邀请的用户');
    } catch (err) {
      setBindNote(errorMessage(err));
    }
  };
  const copyCode = () => {
    askSubscribe('invite');
    void Taro.setClipboardData({ data: inviteCard.inviteCode });
  };

  return (
    <AppShell className='invite-page' tab='invite'>
      <View className='invite-hero'>
        {progress.ruleId ? (
          <>
            <Text className='invite-hero__title'>{progress.ruleName || '推三返一'}</Text>
            <Text className='invite-hero__next'>
              {remaining > 0
                ? `再邀请 ${remaining} 位好友下单${progress.rewardText ? `，即得${progress.rewardText}` : ''}`
                : `已邀请满 ${progress.n} 位好友下单，奖励已计入钱包`}
            </Text>
            <View className='progress-dots'>
              {Array.from({ length: progress.n }, (_, i) => (
                <View key={i} className={`progress-dots__dot${i < progress.current ? ' progress-dots__dot--done' : ''}`}>
                  {i < progress.current ? '✓' : i + 1}
                </View>
              ))}
            </View>
            <Text className='invite-hero__text'>
              本轮进度 {progress.text} · 已完成 {progress.groups} 轮 · 共邀请 {progress.invitees} 人
            </Text>
          </>
        ) : (
          <>
            <Text className='invite-hero__title'>邀请好友</Text>
            <Text className='invite-hero__next'>当前没有进行中的邀请奖励活动</Text>
            <Text className='invite-hero__text'>共邀请 {progress.invitees} 人</Text>
          </>
        )}
      </View>

      <View className='card invite-code-card'>
        {shouldAskProfile(me) && (
          // Before sharing: a name and picture so friends know whose card it is (the form is in 个人资料; skippable).
          <View className='profile-nudge'>
            <Text className='profile-nudge__text' onClick={() => void Taro.navigateTo({ url: '/packages/profile/index?from=invite' })}>
              设置头像和昵称，好友收到分享时更容易认出你 ›
            </Text>
            <Text className='profile-nudge__skip' onClick={finishProfileAsk}>
              跳过
            </Text>
          </View>
        )}
        <View className='row'>
          <View>
            <Text className='card__label'>我的邀请码</Text>
            <Text className='invite-code'>{inviteCard.inviteCode}</Text>
          </View>
          <View className='ghost-button invite-code-card__copy' onClick={copyCode}>
            复制
          </View>
        </View>
        <View className='invite-code-card__actions'>
          <ShareButton path={sharePath} className='primary-button invite-share' onTap={() => askSubscribe('invite')} />
          <View className='ghost-button invite-poster' onClick={() => void Taro.navigateTo({ url: '/packages/profile/poster/index' })}>
            生成海报
          </View>
        </View>
        <Text className='card__hint'>
          好友通过你的分享卡片、海报或邀请码首次打开并同意隐私指引后，即记为你邀请的好友。奖励按好友的下单计算，分享本身不产生奖励；好友确认收货并过了退款期后，奖励转为可提现。只奖励直接邀请，不设多级。
        </Text>
      </View>

      {me && me.consented && !me.hasInviter && (
        <View className='card bind-code'>
          <Text className='card__title'>填写好友的邀请码</Text>
          <View className='row'>
            <Input className='bind-code__input' value={typedCode} placeholder='好友的邀请码' maxlength={32} onInput={(e) => setTypedCode(e.detail.value)} />
            <View className='ghost-button bind-code__submit' onClick={() => void bindCode()}>
              绑定
            </View>
          </View>
          {bindNote && <Text className='muted bind-code__note'>{bindNote}</Text>}
          <Text className='card__hint'>只能绑定一次，下过单后不能再绑定。</Text>
        </View>
      )}

      <View className='card invitees'>
        <Text className='card__title'>我邀请的好友</Text>
        {invitees.status === 'loading' && <Text className='muted'>加载中…</Text>}
        {invitees.status === 'error' && (
          <View className='row'>
            <Text className='muted error-message'>{invitees.error}</Text>
            <Text className='link retry-button' onClick={() => void invitees.reload()}>
              重试
            </Text>
          </View>
        )}
        {invitees.status === 'ready' && invitees.items.length === 0 && <Text className='muted invitees__empty'>还没有好友，分享给好友试试吧</Text>}
        {invitees.items.map((friend, i) => (
          <View key={`${friend.nickname}-${friend.boundAt}-${i}`} className='invitee'>
            <Avatar className='invitee__avatar' url={friend.avatarUrl} name={friend.nickname} seed={friend.avatarSeed} />
            <View className='invitee__info'>
              <Text className='invitee__name'>{friend.nickname}</Text>
              <Text className='muted'>
                {formatDateTime(friend.boundAt)} · {SOURCE_TEXT[friend.source] ?? '分享'}
              </Text>
            </View>
            <Text className={`invitee__status invitee__status--${friend.status}`}>{STATUS_TEXT[friend.status] ?? friend.status}</Text>
          </View>
        ))}
        {invitees.status === 'ready' && invitees.items.length > 0 && (
          <View className='list-footer'>
            {invitees.loadingMore ? '加载中…' : invitees.moreError ? <Text onClick={() => void invitees.loadMore()}>{invitees.moreError}，点击重试</Text> : invitees.hasMore ? '上拉加载更多' : '没有更多了'}
          </View>
        )}
      </View>
    </AppShell>
  );
}
