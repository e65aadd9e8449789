/** 用户: search by nickname, openid or invite code, or list the users flagged for likely abuse; add a merchant. */
import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { avatarSeedOf } from '../../../../types/names';
import { useState } from 'react';
import type { MerchantUserRow } from '../../../../types/api';
import AppShell from '../../../components/AppShell';
import Avatar from '../../../components/Avatar';
import { Empty, ErrorState, Loading } from '../../../components/PageState';
import { callFunction, errorMessage } from '../../../services/cloud';
import FilterChips from '../components/FilterChips';
import ListFooter from '../components/ListFooter';
import { useFilteredList } from '../components/useFilteredList';
import UserTags from '../components/UserTags';
import { timeText } from '../format';
import '../merchant.css';

type Filter = 'all' | 'flagged';

export default function UsersPage() {
  const [query, setQuery] = useState('');
  const [code, setCode] = useState('');
  const { list, filter, pick } = useFilteredList<MerchantUserRow, Filter>('all', (f, cursor) =>
    callFunction('merchant', 'users', { pageSize: 20, ...(f === 'flagged' ? { flagged: true } : query.trim() ? { query: query.trim() } : {}), ...(cursor === undefined ? {} : { cursor }) }),
  );

  const addMerchant = async () => {
    if (!code.trim()) return;
    try {
      const u = await callFunction('merchant', 'addMerchant', { inviteCode: code.trim() });
      setCode('');
      void Taro.showToast({ title: `${u.nickname || u.openid} 已成为商家`, icon: 'none' });
      void list.refresh();
    } catch (err) {
      void Taro.showToast({ title: errorMessage(err), icon: 'none' });
    }
  };

  return (
    <AppShell className='m-page users-page'>
      <View className='m-search'>
        <Input className='m-input users-search__input' value={query} placeholder='昵称 / 邀请码 / openid' confirmType='search' onInput={(e) => setQuery(e.detail.value)} onConfirm={() => pick('all')} />
        <Text className='m-btn m-btn--primary users-search__go' onClick={() => pick('all')}>
          搜索
        </Text>
      </View>
      <FilterChips name='users-filter' value={filter} options={[['all', '全部用户'], ['flagged', '疑似作弊']]} onPick={pick} />
      {list.status === 'loading' && <Loading />}
      {list.status === 'error' && <ErrorState message={list.error} onRetry={() => void list.reload()} />}
      {list.status === 'ready' && list.items.length === 0 && <Empty text={filter === 'flagged' ? '没有可疑用户' : '没有找到用户'} />}
      {list.items.length > 0 && (
        <View className='card'>
          {list.items.map((u) => (
            <View key={u.openid} className='m-row user-row' onClick={() => void Taro.navigateTo({ url: `/packages/merchant/user/index?openid=${u.openid}` })}>
              <Avatar className='user-row__avatar' url={u.avatarUrl} name={u.nickname} seed={avatarSeedOf(u.openid)} />
              <View className='m-row__main'>
                <Text className='m-row__title user-row__name'>{u.nickname || '微信用户'}</Text>
                <Text className='m-row__sub'>
                  邀请码 {u.inviteCode} · 邀请 {u.invitees} 人 · {timeText(u.createdAt)} 加入
                </Text>
                <UserTags u={u} />
              </View>
              <Text className='muted'>›</Text>
            </View>
          ))}
        </View>
      )}
      <ListFooter list={list} />
      <View className='card'>
        <Text className='card__title'>添加商家</Text>
        <Text className='card__hint'>仅店主可以添加或移除商家（在用户详情页移除）。</Text>
        <View className='m-search' style={{ margin: 0 }}>
          <Input className='m-input add-merchant__code' value={code} placeholder='对方“我的”页里的邀请码' onInput={(e) => setCode(e.detail.value)} />
          <Text className='m-btn m-btn--primary add-merchant__submit' onClick={() => void addMerchant()}>
            添加
          </Text>
        </View>
      </View>
    </AppShell>
  );
}
