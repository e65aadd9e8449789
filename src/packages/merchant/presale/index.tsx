/**
 * 阶梯预售 setup. Without ?productId: pick a product. With it: the pre-sale's state and deposit counts (by state), and
 * the editor — deposit, base price, up to 5 tiers, the deposit and balance windows (Beijing time), and the forfeit
 * rule. The server refuses changes once a deposit is counted (PRESALE_LOCKED) and checks every rule again.
 */
import { Input, Switch, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import type { MerchantPresaleView, SavePresaleInput } from '../../../../types/api';
import type { Fen } from '../../../../types/money';
import { formatFen } from '../../../../types/money';
import AppShell from '../../../components/AppShell';
import { ErrorState, Loading } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import { callFunction, errorMessage, isStaleEdit } from '../../../services/cloud';
import { DEPOSIT_STATE_TEXT } from '../../shop/product/presaleText';
import { Field } from '../components/Field';
import { fenInput, minuteInput, parseCount, parseMinute, parseYuan } from '../format';
import '../merchant.css';

interface TierDraft {
  min: string;
  price: string;
}
interface Draft {
  active: boolean;
  deposit: string;
  base: string;
  tiers: TierDraft[];
  startsAt: string;
  endsAt: string;
  balanceEndsAt: string;
  forfeit: boolean;
}
type Problems = Partial<Record<'deposit' | 'base' | 'tiers' | 'startsAt' | 'endsAt' | 'balanceEndsAt', string>>;

const STATUS_TEXT: Record<MerchantPresaleView['phase'], string> = { upcoming: '未开始', deposit: '定金支付中', pricing: '待定价', balance: '尾款支付中', closed: '已结束' };

function defaultDraft(now: number): Draft {
  const day = 24 * 3600_000;
  return {
    active: true,
    deposit: '10.00',
    base: '',
    tiers: [{ min: '50', price: '' }],
    startsAt: minuteInput(new Date(now).toISOString()),
    endsAt: minuteInput(new Date(now + 7 * day).toISOString()),
    balanceEndsAt: minuteInput(new Date(now + 10 * day).toISOString()),
    forfeit: false,
  };
}

function draftOf(v: MerchantPresaleView): Draft {
  return {
    active: v.active,
    deposit: fenInput(v.depositFen),
    base: fenInput(v.basePriceFen),
    tiers: v.tiers.map((t) => ({ min: String(t.minDeposits), price: fenInput(t.priceFen) })),
    startsAt: minuteInput(v.startsAt),
    endsAt: minuteInput(v.endsAt),
    balanceEndsAt: minuteInput(v.balanceEndsAt),
    forfeit: v.forfeitUnpaid,
  };
}

/** The input the draft says, or the problems next to their fields (the server checks the same rules again). */
export function inputOf(d: Draft, productId: string): { input: SavePresaleInput | null; problems: Problems } {
  const p: Problems = {};
  const deposit = parseYuan(d.deposit);
  const base = parseYuan(d.base);
  if (!(deposit >= 1)) p.deposit = '请填写定金';
  if (!(base >= 1)) p.base = '请填写起始价';
  else if (deposit >= base) p.deposit = '定金须低于起始价';
  const tiers = d.tiers.map((t) => ({ minDeposits: parseCount(t.min), priceFen: parseYuan(t.price) as Fen }));
  for (let i = 0; i < tiers.length; i += 1) {
    const t = tiers[i];
    const prev = i === 0 ? { minDeposits: 0, priceFen: base } : tiers[i - 1];
    if (!(t.minDeposits >= 1)) p.tiers = `第 ${i + 1} 档：请填写人数`;
    else if (!(t.priceFen >= 1)) p.tiers = `第 ${i + 1} 档：请填写价格`;
    else if (t.minDeposits <= prev.minDeposits) p.tiers = `第 ${i + 1} 档：人数须多于上一档`;
    else if (t.priceFen >= prev.priceFen) p.tiers = `第 ${i + 1} 档：价格须低于上一档`;
    else if (t.priceFen <= deposit) p.tiers = `第 ${i + 1} 档：价格须高于定金`;
    if (p.tiers) break;
  }
  const startsAt = parseMinute(d.startsAt, null);
  const endsAt = parseMinute(d.endsAt, null);
  const balanceEndsAt = parseMinute(d.balanceEndsAt, null);
  if (!startsAt) p.startsAt = '格式：2026-12-01 10:00';
  if (!endsAt) p.endsAt = '格式：2026-12-08 10:00';
  else if (startsAt && endsAt <= startsAt) p.endsAt = '须晚于开始时间';
  if (!balanceEndsAt) p.balanceEndsAt = '格式：2026-12-10 10:00';
  else if (endsAt && balanceEndsAt <= endsAt) p.balanceEndsAt = '须晚于定金截止时间';
  if (Object.keys(p).length || !startsAt || !endsAt || !balanceEndsAt) return { input: null, problems: p };
  return {
    input: { productId, active: d.active, depositFen: deposit as Fen, basePriceFen: base as Fen, tiers, startsAt, endsAt, balanceEndsAt, forfeitUnpaid: d.forfeit },
    problems: {},
  };
}

function Status({ v }: { v: MerchantPresaleView }) {
  const states = Object.entries(v.byState) as [keyof typeof DEPOSIT_STATE_TEXT, number][];
  return (
    <View className='card presale-status'>
      <View className='m-row'>
        <Text className='card__title'>当前状态：{v.active ? STATUS_TEXT[v.phase] : '未启用'}</Text>
        <Text className='price presale-status__count'>{v.depositCount} 人已付定金</Text>
      </View>
      <Text className='m-row__sub presale-status__price'>
        {v.finalPriceFen !== null ? `最终价 ${formatFen(v.finalPriceFen)}` : `当前档位价 ${formatFen(v.currentPriceFen)}`}
        {v.nextTier ? ` · 再有 ${v.depositsToNext} 人到 ${formatFen(v.nextTier.priceFen)}` : ''}
      </Text>
      {states.map(([s, n]) => (
        <View key={s} className='m-row presale-status__state'>
          <Text className='m-row__title'>{DEPOSIT_STATE_TEXT[s]}</Text>
          <Text className='m-row__sub'>{n} 单</Text>
        </View>
      ))}
      {v.depositCount > 0 && <Text className='m-row__sub presale-status__locked'>已有顾客支付定金，规则不能再修改</Text>}
    </View>
  );
}

function Editor({ productId }: { productId: string }) {
  const loaded = useRemote(async () => {
    const [product, presale] = await Promise.all([callFunction('merchant', 'getProduct', { id: productId }), callFunction('merchant', 'getPresale', { productId })]);
    return { product, presale };
  }, [productId]);
  const [draft, setDraft] = useState<Draft>(() => defaultDraft(Date.now()));
  const [saving, setSaving] = useState(false);
  const [serverError, setServerError] = useState('');
  // Back on the page: the counts may have moved on.
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) void loaded.refresh();
    shown.current = true;
  });
  useEffect(() => {
    if (loaded.state.status === 'ready') {
      const { presale, product } = loaded.state.data;
      setDraft(presale && presale.status !== 'closed' ? draftOf(presale) : (d) => ({ ...d, base: d.base || fenInput(product.priceFen) }));
    }
  }, [loaded.state.status]);

  if (loaded.state.status === 'loading') return <Loading />;
  if (loaded.state.status === 'error') return <ErrorState message={loaded.state.error} onRetry={() => void loaded.reload()} />;
  const { product, presale } = loaded.state.data;
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const setTier = (i: number, patch: Partial<TierDraft>) => setDraft((d) => ({ ...d, tiers: d.tiers.map((t, j) => (j === i ? { ...t, ...patch } : t)) }));
  const { input, problems } = inputOf(draft, productId);
  const locked = !!presale && presale.status !== 'closed' && presale.depositCount > 0;

  const save = async () => {
    if (!input || saving || locked) return;
    setSaving(true);
    setServerError('');
    try {
      // With the revision this form read (0: none yet): a save from another device since then is not overwritten.
      await callFunction('merchant', 'savePresale', { ...input, rev: presale?.rev ?? 0 });
      void Taro.showToast({ title: '已保存', icon: 'success' });
      void loaded.reload();
    } catch (err) {
      setServerError(errorMessage(err));
      // Saved on another device since this form was read: show what is there now (the message stays).
      if (isStaleEdit(err)) void loaded.reload();
    } finally {
      setSaving(false);
    }
  };

  return (
    <View>
      {presale && <Status v={presale} />}
      <View className='card presale-form'>
        <Text className='card__title'>{product.title}（原价 {formatFen(product.priceFen)}）</Text>
        <Field label='启用' name='active'>
          <Switch className='presale__active' checked={draft.active} color='#e4393c' disabled={locked} onChange={(e) => set({ active: e.detail.value })} />
        </Field>
        <Field label='定金（元）' name='deposit' error={problems.deposit}>
          <Input className='m-input presale__deposit' type='digit' disabled={locked} value={draft.deposit} onInput={(e) => set({ deposit: e.detail.value })} />
        </Field>
        <Field label='起始价（元）' name='base' error={problems.base} hint='人数未到第一档时的最终价'>
          <Input className='m-input presale__base' type='digit' disabled={locked} value={draft.base} onInput={(e) => set({ base: e.detail.value })} />
        </Field>
        <Text className='card__title'>价格档位（按付定金人数）</Text>
        {draft.tiers.map((t, i) => (
          <View key={i} className='m-row presale-tier'>
            <Text className='m-row__sub'>满</Text>
            <Input className={`m-input presale__tier-min presale__tier-min--${i}`} type='number' disabled={locked} value={t.min} onInput={(e) => setTier(i, { min: e.detail.value })} />
            <Text className='m-row__sub'>人 价格（元）</Text>
            <Input className={`m-input presale__tier-price presale__tier-price--${i}`} type='digit' disabled={locked} value={t.price} onInput={(e) => setTier(i, { price: e.detail.value })} />
            {draft.tiers.length > 1 && !locked && (
              <Text className='m-btn presale__tier-remove' onClick={() => set({ tiers: draft.tiers.filter((_, j) => j !== i) })}>
                删除
              </Text>
            )}
          </View>
        ))}
        {problems.tiers && <Text className='m-field__error field-error--tiers'>{problems.tiers}</Text>}
        {draft.tiers.length < 5 && !locked && (
          <Text className='m-btn presale__tier-add' onClick={() => set({ tiers: [...draft.tiers, { min: '', price: '' }] })}>
            添加档位
          </Text>
        )}
        <Field label='定金开始' name='startsAt' error={problems.startsAt} hint='北京时间，如 2026-12-01 10:00'>
          <Input className='m-input presale__starts' disabled={locked} value={draft.startsAt} onInput={(e) => set({ startsAt: e.detail.value })} />
        </Field>
        <Field label='定金截止' name='endsAt' error={problems.endsAt} hint='截止后系统按人数确定最终价'>
          <Input className='m-input presale__ends' disabled={locked} value={draft.endsAt} onInput={(e) => set({ endsAt: e.detail.value })} />
        </Field>
        <Field label='尾款截止' name='balanceEndsAt' error={problems.balanceEndsAt}>
          <Input className='m-input presale__balance-ends' disabled={locked} value={draft.balanceEndsAt} onInput={(e) => set({ balanceEndsAt: e.detail.value })} />
        </Field>
        <Field label='未付尾款定金不退' name='forfeit' hint={draft.forfeit ? '会在商品页醒目告知顾客' : '未付尾款的定金原路全额退还'}>
          <Switch className='presale__forfeit-switch' checked={draft.forfeit} color='#e4393c' disabled={locked} onChange={(e) => set({ forfeit: e.detail.value })} />
        </Field>
        {serverError && <Text className='error-message presale__error'>{serverError}</Text>}
        <View className={`primary-button presale__save${input && !locked ? '' : ' primary-button--disabled'}`} onClick={() => void save()}>
          {saving ? '保存中…' : presale && presale.status !== 'closed' ? '保存修改' : '创建预售'}
        </View>
      </View>
    </View>
  );
}

function Products() {
  const products = useRemote(() => callFunction('merchant', 'listProducts', { onSale: true, pageSize: 20 }), []);
  if (products.state.status === 'loading') return <Loading />;
  if (products.state.status === 'error') return <ErrorState message={products.state.error} onRetry={() => void products.reload()} />;
  return (
    <View className='card presale-products'>
      <Text className='card__title'>设置阶梯预售（选择商品）</Text>
      {products.state.data.items.length === 0 && <Text className='m-row__sub'>还没有在售商品</Text>}
      {products.state.data.items.map((p) => (
        <View key={p.id} className='m-row presale-product' onClick={() => void Taro.navigateTo({ url: `/packages/merchant/presale/index?productId=${encodeURIComponent(p.id)}` })}>
          <Text className='m-row__title'>{p.title}</Text>
          <Text className='m-btn'>预售设置</Text>
        </View>
      ))}
    </View>
  );
}

export default function PresalePage() {
  const { params } = useRouter();
  const productId = params.productId ?? '';
  return <AppShell className='m-page presale-page'>{productId ? <Editor productId={productId} /> : <Products />}</AppShell>;
}
