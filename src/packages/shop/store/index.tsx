/**
 * 店铺信息与规则 (from the 首页 trust strip): who sells — name, published qualifications — and every active rule in
 * full, in the same words as the product and task pages: the 推三返一 rebate rules and each product's 助力 campaign.
 */
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import AppShell from '../../../components/AppShell';
import { ErrorState, Loading } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import { callFunction } from '../../../services/cloud';
import './index.css';

export default function StorePage() {
  const info = useRemote(() => callFunction('shop', 'storeInfo', {}), []);
  if (info.state.status === 'loading') return <Loading />;
  if (info.state.status === 'error') return <ErrorState message={info.state.error} onRetry={() => void info.reload()} />;
  const s = info.state.data;
  return (
    <AppShell className='page store-page'>
      <View className='card store-section store-qualifications'>
        <Text className='store-section__title'>{s.storeName}</Text>
        {s.qualifications.length ? s.qualifications.map((q) => <Text key={q} className='store-section__line'>{q}</Text>) : <Text className='store-section__line muted'>商家尚未公示资质信息</Text>}
        {s.servicePhone && <Text className='store-section__line'>客服电话：{s.servicePhone}</Text>}
      </View>
      <View className='card store-section store-rebate-rules'>
        <Text className='store-section__title'>邀请返利规则</Text>
        {s.rebateRules.length === 0 && <Text className='store-section__line muted'>当前没有进行中的邀请返利活动</Text>}
        {s.rebateRules.map((r) => (
          <View key={r.name} className='store-section'>
            <Text className='store-rule__name'>{r.name}：{r.summary}</Text>
            {r.details.map((d) => <Text key={d} className='store-section__line'>· {d}</Text>)}
          </View>
        ))}
      </View>
      <View className='card store-section store-assist-rules'>
        <Text className='store-section__title'>好友助力规则</Text>
        {s.assistCampaigns.length === 0 && <Text className='store-section__line muted'>当前没有进行中的助力活动</Text>}
        {s.assistCampaigns.map((c) => (
          <View key={c.productId} className='store-section'>
            <Text className='store-rule__name link' onClick={() => void Taro.navigateTo({ url: `/packages/shop/product/index?id=${c.productId}` })}>
              {c.productTitle}：{c.summary}
            </Text>
            {c.details.map((d) => <Text key={d} className='store-section__line'>· {d}</Text>)}
          </View>
        ))}
      </View>
    </AppShell>
  );
}
