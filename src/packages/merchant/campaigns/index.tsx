/**
 * 助力活动: pick a product, edit every field of its assist campaign — friends needed, hours, the reward (an assist
 * price, or a coupon with its threshold and validity), what helpers' owner gets when it expires (nothing, points per
 * helper, or a coupon per helper), who may help and how often, open tasks per shopper, the active window — with a
 * plain-language preview and warnings. Saving a campaign unchanged sends back exactly what was loaded (switched-off
 * campaigns too). The server checks it again.
 */
import { Switch, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import type { MerchantAssistCampaign, MerchantProductView, SaveAssistCampaignInput } from '../../../../types/api';
import type { Fen } from '../../../../types/money';
import { formatFen } from '../../../../types/money';
import AppShell from '../../../components/AppShell';
import { Empty, ErrorState, Loading } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import { callFunction, errorMessage, isStaleEdit } from '../../../services/cloud';
import { Choice, Field, InputField } from '../components/Field';
import { fenInput, minuteInput, parseCount, parseMinute, parseYuan, timeText } from '../format';
import { campaignPreview, campaignWarnings } from '../rulePreview';
import '../merchant.css';

interface Draft {
  /** The campaign as loaded (null: the product has none yet). */
  base: MerchantAssistCampaign | null;
  active: boolean;
  helpers: string;
  hours: string;
  successKind: 'price' | 'coupon';
  price: string;
  validHours: string;
  couponAmount: string;
  couponMinSpend: string;
  couponValidDays: string;
  fallbackKind: 'none' | 'points' | 'coupon';
  points: string;
  fallbackAmount: string;
  fallbackMinSpend: string;
  fallbackValidDays: string;
  newUsersOnly: boolean;
  dailyCap: string;
  openTasks: string;
  startsAt: string;
  endsAt: string;
}

type FieldName = 'helpers' | 'hours' | 'price' | 'validHours' | 'couponAmount' | 'couponMinSpend' | 'couponValidDays' | 'points' | 'fallbackAmount' | 'fallbackMinSpend' | 'fallbackValidDays' | 'dailyCap' | 'openTasks' | 'startsAt' | 'endsAt';
type Problems = Partial<Record<FieldName, string>>;

const DEFAULT: Draft = {
  base: null,
  active: true,
  helpers: '3',
  hours: '24',
  successKind: 'price',
  price: '',
  validHours: '48',
  couponAmount: '10',
  couponMinSpend: '10',
  couponValidDays: '30',
  fallbackKind: 'points',
  points: '100',
  fallbackAmount: '1',
  fallbackMinSpend: '10',
  fallbackValidDays: '7',
  newUsersOnly: false,
  dailyCap: '3',
  openTasks: '1',
  startsAt: '',
  endsAt: '',
};

function fromCampaign(c: MerchantAssistCampaign): Draft {
  const s = c.success;
  const f = c.fallback;
  return {
    base: c,
    active: c.active,
    helpers: String(c.helpersNeeded),
    hours: String(c.durationHours),
    successKind: s.kind,
    price: s.kind === 'price' ? fenInput(s.priceFen) : DEFAULT.price,
    validHours: s.kind === 'price' ? String(s.validHours) : DEFAULT.validHours,
    couponAmount: s.kind === 'coupon' ? fenInput(s.amountFen) : DEFAULT.couponAmount,
    couponMinSpend: s.kind === 'coupon' ? fenInput(s.minSpendFen) : DEFAULT.couponMinSpend,
    couponValidDays: s.kind === 'coupon' ? String(s.validDays) : DEFAULT.couponValidDays,
    fallbackKind: f.kind,
    points: f.kind === 'points' ? String(f.pointsPerHelper) : DEFAULT.points,
    fallbackAmount: f.kind === 'coupon' ? fenInput(f.amountFenPerHelper) : DEFAULT.fallbackAmount,
    fallbackMinSpend: f.kind === 'coupon' ? fenInput(f.minSpendFen) : DEFAULT.fallbackMinSpend,
    fallbackValidDays: f.kind === 'coupon' ? String(f.validDays) : DEFAULT.fallbackValidDays,
    newUsersOnly: c.newUsersOnly,
    dailyCap: String(c.helperDailyCap),
    openTasks: String(c.openTasksPerShopper),
    startsAt: minuteInput(c.startsAt),
    endsAt: minuteInput(c.endsAt),
  };
}

const within = (v: number, min: number, max: number) => v >= min && v <= max;

/** The campaign the draft describes, or what is wrong with it, field by field. */
function check(productId: string, d: Draft): { input: SaveAssistCampaignInput | null; problems: Problems } {
  const p: Problems = {};
  const helpers = parseCount(d.helpers);
  const hours = parseCount(d.hours);
  if (!within(helpers, 1, 50)) p.helpers = '需要助力人数请填写 1–50';
  if (!within(hours, 1, 720)) p.hours = '助力时长请填写 1–720 小时';

  let success: SaveAssistCampaignInput['success'];
  if (d.successKind === 'price') {
    const price = parseYuan(d.price) as Fen;
    const validHours = parseCount(d.validHours);
    if (!(price > 0)) p.price = '请填写助力价，最多两位小数';
    if (!within(validHours, 1, 24 * 90)) p.validHours = '助力价有效时长请填写 1–2160 小时';
    success = { kind: 'price', priceFen: price, validHours };
  } else {
    const amount = parseYuan(d.couponAmount) as Fen;
    const minSpend = parseYuan(d.couponMinSpend.trim() || '0') as Fen;
    const validDays = parseCount(d.couponValidDays);
    if (!(amount > 0)) p.couponAmount = '请填写优惠券金额，最多两位小数';
    if (Number.isNaN(minSpend)) p.couponMinSpend = '使用门槛请填写金额';
    else if (amount > 0 && minSpend < amount) p.couponMinSpend = '使用门槛不能低于券面金额';
    if (!within(validDays, 1, 365)) p.couponValidDays = '有效天数请填写 1–365';
    success = { kind: 'coupon', amountFen: amount, minSpendFen: minSpend, validDays };
  }

  let fallback: SaveAssistCampaignInput['fallback'] = { kind: 'none' };
  if (d.fallbackKind === 'points') {
    const points = parseCount(d.points);
    if (!within(points, 1, 100_000)) p.points = '补偿积分请填写 1–100000';
    fallback = { kind: 'points', pointsPerHelper: points };
  } else if (d.fallbackKind === 'coupon') {
    const amount = parseYuan(d.fallbackAmount) as Fen;
    const minSpend = parseYuan(d.fallbackMinSpend.trim() || '0') as Fen;
    const validDays = parseCount(d.fallbackValidDays);
    if (!(amount > 0)) p.fallbackAmount = '请填写每位好友对应的券面金额，最多两位小数';
    if (Number.isNaN(minSpend)) p.fallbackMinSpend = '使用门槛请填写金额';
    if (!within(validDays, 1, 365)) p.fallbackValidDays = '有效天数请填写 1–365';
    fallback = { kind: 'coupon', amountFenPerHelper: amount, minSpendFen: minSpend, validDays };
  }

  const dailyCap = parseCount(d.dailyCap);
  const openTasks = parseCount(d.openTasks);
  if (!within(dailyCap, 1, 100)) p.dailyCap = '每位好友每天助力次数请填写 1–100';
  if (!within(openTasks, 1, 10)) p.openTasks = '每人同时进行的助力请填写 1–10';
  const startsAt = parseMinute(d.startsAt, d.base?.startsAt ?? null);
  const endsAt = parseMinute(d.endsAt, d.base?.endsAt ?? null);
  if (startsAt === undefined) p.startsAt = '请按 2026-12-01 00:00 的格式填写北京时间，或留空';
  if (endsAt === undefined) p.endsAt = '请按 2026-12-31 23:59 的格式填写北京时间，或留空';
  else if (startsAt && endsAt && Date.parse(endsAt) <= Date.parse(startsAt)) p.endsAt = '结束时间须晚于开始时间';
  if (Object.keys(p).length) return { input: null, problems: p };
  return {
    input: {
      ...(d.base ? { campaignId: d.base.campaignId } : {}),
      // The revision read (0: none yet): a campaign saved on another device since then is not overwritten.
      rev: d.base?.rev ?? 0,
      productId,
      active: d.active,
      helpersNeeded: helpers,
      durationHours: hours,
      success,
      fallback,
      newUsersOnly: d.newUsersOnly,
      helperDailyCap: dailyCap,
      openTasksPerShopper: openTasks,
      startsAt: startsAt ?? null,
      endsAt: endsAt ?? null,
    },
    problems: p,
  };
}

export default function CampaignsPage() {
  const products = useRemote(() => callFunction('merchant', 'listProducts', { onSale: true, pageSize: 50 }), []);
  const [product, setProduct] = useState<MerchantProductView | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState('');
  const [saving, setSaving] = useState(false);
  /** 保存 was tapped while something was wrong: say so below the button too, until it is fixed. */
  const [attempted, setAttempted] = useState(false);
  const set = (patch: Partial<Draft>) => setDraft((d) => (d ? { ...d, ...patch } : d));
  /** The product whose editor is shown now: an answer for another (the merchant moved on) never fills its form. */
  const shown = useRef<string | null>(null);
  shown.current = product?.id ?? null;
  /**
   * Products whose assist campaign is running, from the shop's own catalogue (its cards carry the 助力 badge): marked
   * in the list so the merchant sees which already have one. Only a hint — when it fails the list still works.
   */
  const [running, setRunning] = useState<Set<string>>(new Set());
  useEffect(() => {
    let current = true;
    callFunction('shop', 'listProducts', { pageSize: 50 }).then(
      (page) => current && setRunning(new Set(page.items.filter((p) => p.badges.assist).map((p) => p.id))),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, []);

  useEffect(() => {
    if (!product) return;
    let current = true;
    setError('');
    setAttempted(false);
    setDraft(null);
    callFunction('merchant', 'getAssistCampaign', { productId: product.id }).then(
      (c) => current && setDraft(c ? fromCampaign(c) : { ...DEFAULT, price: fenInput(Math.round(product.priceFen * 0.6)) }),
      (err) => current && setError(errorMessage(err)),
    );
    return () => {
      current = false;
    };
  }, [product]);

  if (products.state.status === 'loading') return <AppShell className='m-page'><Loading /></AppShell>;
  if (products.state.status === 'error') return <AppShell className='m-page'><ErrorState message={products.state.error} onRetry={() => void products.reload()} /></AppShell>;
  if (products.state.data.items.length === 0) return <AppShell className='m-page'><Empty text='先上架商品，再为它设置助力活动' /></AppShell>;

  const checked = product && draft ? check(product.id, draft) : null;
  const input = checked?.input ?? null;
  const problems = checked?.problems ?? {};

  const save = async () => {
    if (!product || !draft || saving) return;
    if (!input) return setAttempted(true);
    setSaving(true);
    setError('');
    try {
      const productId = product.id;
      await callFunction('merchant', 'saveAssistCampaign', input);
      const saved = await callFunction('merchant', 'getAssistCampaign', { productId });
      if (saved && shown.current === productId) setDraft(fromCampaign(saved));
      if (saved) setRunning((r) => { const next = new Set(r); if (saved.active) next.add(productId); else next.delete(productId); return next; });
      void Taro.showToast({ title: '活动已保存', icon: 'success' });
    } catch (err) {
      setError(errorMessage(err));
      if (isStaleEdit(err)) {
        // The campaign as saved on the other device, in the form (the message stays above the button).
        const productId = product.id;
        const fresh = await callFunction('merchant', 'getAssistCampaign', { productId }).catch(() => null);
        if (fresh && shown.current === productId) setDraft(fromCampaign(fresh));
      }
    } finally {
      setSaving(false);
    }
  };

  const base = draft?.base ?? null;
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
            {running.has(p.id) && <Text className='m-tag m-tag--warn campaign-product__running'>已有助力活动</Text>}
            <Text className={`m-tag ${product?.id === p.id ? 'm-tag--ok' : ''}`}>{product?.id === p.id ? '已选' : '选择'}</Text>
          </View>
        ))}
      </View>
      {product && !draft && !error && <Loading />}
      {product && !draft && error && <ErrorState message={error} onRetry={() => setProduct({ ...product })} />}
      {product && draft && (
        <View className='card campaign-editor'>
          <Text className='card__title'>{product.title}</Text>
          {base ? (
            <Text className='card__hint campaign-existing'>
              当前活动：{base.active ? '进行中' : '已停用'}，{campaignPreview(base, product.priceFen)}（更新于 {timeText(base.updatedAt)}）
            </Text>
          ) : (
            <Text className='card__hint'>这个商品还没有助力活动</Text>
          )}
          <Field label='启用' name='active'>
            <Switch className='campaign-form__active' checked={draft.active} color='#e4393c' onChange={(e) => set({ active: e.detail.value })} />
          </Field>
          <InputField label='需要助力人数' name='helpers' error={problems.helpers} className='campaign-form__helpers' type='number' value={draft.helpers} onInput={(helpers) => set({ helpers })} />
          <InputField label='助力时长（小时）' name='hours' error={problems.hours} className='campaign-form__hours' type='number' value={draft.hours} onInput={(hours) => set({ hours })} />

          <Text className='m-section'>助力成功</Text>
          <Choice name='campaign-success' value={draft.successKind} options={[['price', '得助力价'], ['coupon', '得优惠券']]} onPick={(successKind) => set({ successKind })} />
          {draft.successKind === 'price' ? (
            <View>
              <InputField label='助力价（元）' name='price' error={problems.price} hint={`原价 ${formatFen(product.priceFen)}`} className='campaign-form__price' type='digit' value={draft.price} onInput={(price) => set({ price })} />
              <InputField label='助力价有效（小时）' name='validHours' error={problems.validHours} className='campaign-form__valid-hours' type='number' value={draft.validHours} onInput={(validHours) => set({ validHours })} />
            </View>
          ) : (
            <View>
              <InputField label='优惠券（元）' name='couponAmount' error={problems.couponAmount} className='campaign-form__coupon' type='digit' value={draft.couponAmount} onInput={(couponAmount) => set({ couponAmount })} />
              <InputField label='满多少可用（元）' name='couponMinSpend' error={problems.couponMinSpend} className='campaign-form__coupon-min-spend' type='digit' value={draft.couponMinSpend} onInput={(couponMinSpend) => set({ couponMinSpend })} />
              <InputField label='有效天数' name='couponValidDays' error={problems.couponValidDays} className='campaign-form__coupon-valid-days' type='number' value={draft.couponValidDays} onInput={(couponValidDays) => set({ couponValidDays })} />
            </View>
          )}

          <Text className='m-section'>到期未成功</Text>
          <Choice
            name='campaign-fallback'
            value={draft.fallbackKind}
            options={[['points', '按人数补偿积分'], ['coupon', '按人数补偿优惠券'], ['none', '不补偿']]}
            onPick={(fallbackKind) => set({ fallbackKind })}
          />
          {draft.fallbackKind === 'points' && (
            <InputField label='每位好友补偿积分' name='points' error={problems.points} className='campaign-form__points' type='number' value={draft.points} onInput={(points) => set({ points })} />
          )}
          {draft.fallbackKind === 'coupon' && (
            <View>
              <InputField label='每位好友券面（元）' name='fallbackAmount' error={problems.fallbackAmount} hint='助力了几位好友，券面就是几倍' className='campaign-form__fallback-amount' type='digit' value={draft.fallbackAmount} onInput={(fallbackAmount) => set({ fallbackAmount })} />
              <InputField label='满多少可用（元）' name='fallbackMinSpend' error={problems.fallbackMinSpend} className='campaign-form__fallback-min-spend' type='digit' value={draft.fallbackMinSpend} onInput={(fallbackMinSpend) => set({ fallbackMinSpend })} />
              <InputField label='有效天数' name='fallbackValidDays' error={problems.fallbackValidDays} className='campaign-form__fallback-valid-days' type='number' value={draft.fallbackValidDays} onInput={(fallbackValidDays) => set({ fallbackValidDays })} />
            </View>
          )}

          <Text className='m-section'>谁能参与</Text>
          <InputField label='好友每天可助力' name='dailyCap' error={problems.dailyCap} className='campaign-form__cap' type='number' value={draft.dailyCap} onInput={(dailyCap) => set({ dailyCap })} />
          <InputField label='每人同时进行' name='openTasks' error={problems.openTasks} hint='一位顾客同时能发起几个这个商品的助力' className='campaign-form__open-tasks' type='number' value={draft.openTasks} onInput={(openTasks) => set({ openTasks })} />
          <Field label='仅限新用户助力' name='newUsersOnly'>
            <Switch className='campaign-form__new-users' checked={draft.newUsersOnly} color='#e4393c' onChange={(e) => set({ newUsersOnly: e.detail.value })} />
          </Field>

          <Text className='m-section'>活动时间（北京时间，留空不限）</Text>
          <InputField label='开始' name='startsAt' error={problems.startsAt} className='campaign-form__starts' placeholder='如 2026-12-01 00:00' value={draft.startsAt} onInput={(startsAt) => set({ startsAt })} />
          <InputField label='结束' name='endsAt' error={problems.endsAt} className='campaign-form__ends' placeholder='如 2026-12-31 23:59' value={draft.endsAt} onInput={(endsAt) => set({ endsAt })} />

          {input && <Text className='preview campaign-preview'>{campaignPreview(input, product.priceFen)}</Text>}
          {input &&
            campaignWarnings(input, product.priceFen).map((w) => (
              <Text key={w} className='warning campaign-warning'>
                {w}
              </Text>
            ))}
          {attempted && !input && <Text className='form-error campaign-problem'>请先改正标红的项</Text>}
          {error && <Text className='form-error campaign-error'>{error}</Text>}
          <View className={`primary-button campaign-save${saving ? ' primary-button--disabled' : ''}`} onClick={() => void save()}>
            {saving ? '保存中…' : '保存活动'}
          </View>
        </View>
      )}
    </AppShell>
  );
}
