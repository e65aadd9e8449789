/**
 * 助力活动: pick a product, set its assist campaign (friends needed, hours, the assist price or a coupon, the
 * consolation when it expires) with a plain-language preview and warnings; the server checks it again.
 */
import { Input, Switch, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { MerchantProductView, SaveAssistCampaignInput } from '../../../../types/api';
import type { Fen } from '../../../../types/money';
import { formatFen } from '../../../../types/money';
import AppShell from '../../../components/AppShell';
import { Empty, ErrorState, Loading } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import { callFunction, errorMessage } from '../../../services/cloud';
import { fenInput, parseCount, parseYuan } from '../format';
import { campaignPreview, campaignWarnings } from '../rulePreview';
import '../merchant.css';

interface Draft {
  active: boolean;
  helpers: string;
  hours: string;
  successKind: 'price' | 'coupon';
  price: string;
  validHours: string;
  couponAmount: string;
  fallbackKind: 'none' | 'points';
  points: string;
  newUsersOnly: boolean;
  dailyCap: string;
}

const DEFAULT: Draft = { active: true, helpers: '3', hours: '24', successKind: 'price', price: '', validHours: '48', couponAmount: '10', fallbackKind: 'points', points: '100', newUsersOnly: false, dailyCap: '3' };

function toInput(productId: string, d: Draft): SaveAssistCampaignInput | string {
  const helpers = parseCount(d.helpers);
  const hours = parseCount(d.hours);
  if (!(helpers >= 1 && helpers <= 50)) return '需要助力人数请填写 1–50';
  if (!(hours >= 1 && hours <= 720)) return '助力时长请填写 1–720 小时';
  let success: SaveAssistCampaignInput['success'];
  if (d.successKind === 'price') {
    const price = parseYuan(d.price);
    const valid = parseCount(d.validHours);
    if (!(price > 0)) return '请填写助力价';
    if (!(valid >= 1)) return '助力价有效时长请填写小时数';
    success = { kind: 'price', priceFen: price as Fen, validHours: valid };
  } else {
    const amount = parseYuan(d.couponAmount);
    if (!(amount > 0)) return '请填写优惠券金额';
    success = { kind: 'coupon', amountFen: amount as Fen, minSpendFen: 0 as Fen, validDays: 30 };
  }
  const points = parseCount(d.points);
  if (d.fallbackKind === 'points' && !(points >= 1)) return '补偿积分请填写正整数';
  const cap = parseCount(d.dailyCap);
  if (!(cap >= 1 && cap <= 100)) return '每位好友每天助力次数请填写 1–100';
  return {
    productId,
    active: d.active,
    helpersNeeded: helpers,
    durationHours: hours,
    success,
    fallback: d.fallbackKind === 'points' ? { kind: 'points', pointsPerHelper: points } : { kind: 'none' },
    newUsersOnly: d.newUsersOnly,
    helperDailyCap: cap,
    openTasksPerShopper: 1,
    startsAt: null,
    endsAt: null,
  };
}

export default function CampaignsPage() {
  const products = useRemote(() => callFunction('merchant', 'listProducts', { onSale: true, pageSize: 50 }), []);
  const [product, setProduct] = useState<MerchantProductView | null>(null);
  const [draft, setDraft] = useState<Draft>(DEFAULT);
  const [existing, setExisting] = useState<string>('');
  const [error, setError] = useState('');
  const [saving, setSaving] = useState(false);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  useEffect(() => {
    if (!product) return;
    setError('');
    setExisting('');
    callFunction('assist', 'campaign', { productId: product.id }).then(
      (c) => {
        if (!c) return setDraft({ ...DEFAULT, price: fenInput(Math.round(product.priceFen * 0.6)) });
        setExisting(c.rulesText.join(' '));
        setDraft({
          ...DEFAULT,
          helpers: String(c.helpersNeeded),
          hours: String(c.durationHours),
          successKind: c.success.kind,
          price: c.success.kind === 'price' ? fenInput(c.success.priceFen) : '',
          validHours: c.success.kind === 'price' ? String(c.success.validHours) : '48',
          couponAmount: c.success.kind === 'coupon' ? fenInput(c.success.amountFen) : '10',
          fallbackKind: c.fallback.kind === 'points' ? 'points' : 'none',
          points: c.fallback.kind === 'points' ? String(c.fallback.pointsPerHelper) : '100',
          newUsersOnly: c.newUsersOnly,
          dailyCap: String(c.helperDailyCap),
        });
      },
      (err) => setError(errorMessage(err)),
    );
  }, [product]);

  if (products.state.status === 'loading') return <AppShell className='m-page'><Loading /></AppShell>;
  if (products.state.status === 'error') return <AppShell className='m-page'><ErrorState message={products.state.error} onRetry={() => void products.reload()} /></AppShell>;
  if (products.state.data.items.length === 0) return <AppShell className='m-page'><Empty text='先上架商品，再为它设置助力活动' /></AppShell>;

  const parsed = product ? toInput(product.id, draft) : null;
  const input = parsed && typeof parsed !== 'string' ? parsed : null;

  const save = async () => {
    if (!parsed || typeof parsed === 'string') return setError(typeof parsed === 'string' ? parsed : '请先选择商品');
    setSaving(true);
    setError('');
    try {
      const saved = await callFunction('merchant', 'saveAssistCampaign', parsed);
      setExisting(saved.rulesText.join(' '));
      void Taro.showToast({ title: '活动已保存', icon: 'success' });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <AppShell className='m-page campaigns-page'>
      <View className='card'>
        <Text className='card__title'>选择商品</Text>
        {products.state.data.items.map((p) => (
          <View key={p.id} className={`m-row campaign-product${product?.id === p.id ? ' campaign-product--on' : ''}`} onClick={() => setProduct(p)}>
            <View className='m-row__main'>
              <Text className='m-row__title'>{p.title}</Text>
              <Text className='m-row__sub'>{formatFen(p.priceFen)}</Text>
            </View>
            <Text className={`m-tag ${product?.id === p.id ? 'm-tag--ok' : ''}`}>{product?.id === p.id ? '已选' : '选择'}</Text>
          </View>
        ))}
      </View>
      {product && (
        <View className='card campaign-editor'>
          <Text className='card__title'>{product.title}</Text>
          {existing ? <Text className='card__hint campaign-existing'>当前活动：{existing}</Text> : <Text className='card__hint'>这个商品还没有助力活动</Text>}
          <View className='m-field'>
            <Text className='m-field__label'>需要助力人数</Text>
            <Input className='m-input campaign-form__helpers' type='number' value={draft.helpers} onInput={(e) => set({ helpers: e.detail.value })} />
          </View>
          <View className='m-field'>
            <Text className='m-field__label'>助力时长（小时）</Text>
            <Input className='m-input campaign-form__hours' type='number' value={draft.hours} onInput={(e) => set({ hours: e.detail.value })} />
          </View>
          <View className='m-actions'>
            <Text className={`m-chip campaign-success-price${draft.successKind === 'price' ? ' m-chip--on' : ''}`} onClick={() => set({ successKind: 'price' })}>
              成功得助力价
            </Text>
            <Text className={`m-chip campaign-success-coupon${draft.successKind === 'coupon' ? ' m-chip--on' : ''}`} onClick={() => set({ successKind: 'coupon' })}>
              成功得优惠券
            </Text>
          </View>
          {draft.successKind === 'price' ? (
            <View className='m-field'>
              <Text className='m-field__label'>助力价（元）</Text>
              <Input className='m-input campaign-form__price' type='digit' value={draft.price} onInput={(e) => set({ price: e.detail.value })} />
            </View>
          ) : (
            <View className='m-field'>
              <Text className='m-field__label'>优惠券（元）</Text>
              <Input className='m-input campaign-form__coupon' type='digit' value={draft.couponAmount} onInput={(e) => set({ couponAmount: e.detail.value })} />
            </View>
          )}
          <View className='m-actions'>
            <Text className={`m-chip campaign-fallback-points${draft.fallbackKind === 'points' ? ' m-chip--on' : ''}`} onClick={() => set({ fallbackKind: 'points' })}>
              未成功补偿积分
            </Text>
            <Text className={`m-chip campaign-fallback-none${draft.fallbackKind === 'none' ? ' m-chip--on' : ''}`} onClick={() => set({ fallbackKind: 'none' })}>
              不补偿
            </Text>
          </View>
          {draft.fallbackKind === 'points' && (
            <View className='m-field'>
              <Text className='m-field__label'>每位好友补偿积分</Text>
              <Input className='m-input campaign-form__points' type='number' value={draft.points} onInput={(e) => set({ points: e.detail.value })} />
            </View>
          )}
          <View className='m-field'>
            <Text className='m-field__label'>好友每天可助力</Text>
            <Input className='m-input campaign-form__cap' type='number' value={draft.dailyCap} onInput={(e) => set({ dailyCap: e.detail.value })} />
          </View>
          <View className='m-field'>
            <Text className='m-field__label'>仅限新用户</Text>
            <Switch checked={draft.newUsersOnly} color='#e4393c' onChange={(e) => set({ newUsersOnly: e.detail.value })} />
          </View>
          <View className='m-field'>
            <Text className='m-field__label'>启用</Text>
            <Switch checked={draft.active} color='#e4393c' onChange={(e) => set({ active: e.detail.value })} />
          </View>
          {input && <Text className='preview campaign-preview'>{campaignPreview(input, product.priceFen)}</Text>}
          {input &&
            campaignWarnings(input, product.priceFen).map((w) => (
              <Text key={w} className='warning campaign-warning'>
                {w}
              </Text>
            ))}
          {typeof parsed === 'string' && <Text className='form-error campaign-problem'>{parsed}</Text>}
          {error && <Text className='form-error campaign-error'>{error}</Text>}
          <View className={`primary-button campaign-save${saving ? ' primary-button--disabled' : ''}`} onClick={() => void save()}>
            {saving ? '保存中…' : '保存活动'}
          </View>
        </View>
      )}
    </AppShell>
  );
}
