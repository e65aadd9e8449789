/**
 * 拼团设置 for one product (?productId=…): size, group price, time limit, 凑团, new users only, groups per shopper,
 * the 团长 reward (a coupon or points — there is no cash choice) and 成团 with fewer at the deadline. The preview is
 * the shopper's rules text from the same describer the shop uses (types/groupRules.ts); the server checks again.
 */
import { Input, Switch, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { SaveGroupOfferInput } from '../../../../types/api';
import { describeGroupRules } from '../../../../types/groupRules';
import type { Fen } from '../../../../types/money';
import { formatFen } from '../../../../types/money';
import type { GroupTerms } from '../../../../types/modules/group.models';
import AppShell from '../../../components/AppShell';
import { ErrorState, Loading } from '../../../components/PageState';
import RulesCard from '../../../components/RulesCard';
import { useRemote } from '../../../hooks/useRemote';
import { callFunction, errorMessage, isStaleEdit } from '../../../services/cloud';
import { Choice, Field } from '../components/Field';
import { fenInput, parseCount, parseYuan } from '../format';
import '../merchant.css';

type RewardKind = 'none' | 'coupon' | 'points';
interface Draft {
  active: boolean;
  size: string;
  price: string;
  hours: string;
  joinAny: boolean;
  newOnly: boolean;
  perShopper: string;
  reward: RewardKind;
  couponAmount: string;
  couponMinSpend: string;
  couponDays: string;
  points: string;
  fewer: boolean;
  minSize: string;
}
type Problems = Partial<Record<'size' | 'price' | 'hours' | 'perShopper' | 'couponAmount' | 'couponMinSpend' | 'couponDays' | 'points' | 'minSize', string>>;

const DEFAULT: Draft = { active: true, size: '3', price: '', hours: '24', joinAny: true, newOnly: false, perShopper: '1', reward: 'none', couponAmount: '5', couponMinSpend: '0', couponDays: '30', points: '100', fewer: false, minSize: '2' };

function draftOf(o: GroupTerms & { active: boolean }): Draft {
  const r = o.leaderReward;
  return {
    active: o.active,
    size: String(o.groupSize),
    price: fenInput(o.groupPriceFen),
    hours: String(o.timeLimitHours),
    joinAny: o.allowJoinAny,
    newOnly: o.newUsersOnly,
    perShopper: String(o.maxOpenPerShopper),
    reward: r.kind,
    couponAmount: r.kind === 'coupon' ? fenInput(r.amountFen) : DEFAULT.couponAmount,
    couponMinSpend: r.kind === 'coupon' ? fenInput(r.minSpendFen) : DEFAULT.couponMinSpend,
    couponDays: r.kind === 'coupon' ? String(r.validDays) : DEFAULT.couponDays,
    points: r.kind === 'points' ? String(r.points) : DEFAULT.points,
    fewer: o.minSizeAtDeadline !== null,
    minSize: o.minSizeAtDeadline !== null ? String(o.minSizeAtDeadline) : DEFAULT.minSize,
  };
}

/** The terms the draft says, or the problems next to their fields. */
export function termsOf(d: Draft, listPriceFen: number): { terms: GroupTerms | null; problems: Problems } {
  const p: Problems = {};
  const size = parseCount(d.size);
  if (!(size >= 2 && size <= 10)) p.size = '成团人数须为 2–10 人';
  const price = parseYuan(d.price);
  if (!(price >= 1)) p.price = '请填写拼团价';
  else if (price >= listPriceFen) p.price = `拼团价须低于原价 ${formatFen(listPriceFen)}`;
  const hours = parseCount(d.hours);
  if (!(hours >= 1 && hours <= 168)) p.hours = '拼团时限须为 1–168 小时';
  const per = parseCount(d.perShopper);
  if (!(per >= 1 && per <= 10)) p.perShopper = '须为 1–10 个';
  let reward: GroupTerms['leaderReward'] = { kind: 'none' };
  if (d.reward === 'coupon') {
    const amount = parseYuan(d.couponAmount);
    const min = parseYuan(d.couponMinSpend);
    const days = parseCount(d.couponDays);
    if (!(amount >= 1)) p.couponAmount = '请填写券额';
    else if (price >= 1 && amount >= price) p.couponAmount = '券额须低于拼团价';
    if (!(min >= 0)) p.couponMinSpend = '请填写门槛（0 为无门槛）';
    if (!(days >= 1 && days <= 365)) p.couponDays = '有效天数须为 1–365';
    reward = { kind: 'coupon', amountFen: amount as Fen, minSpendFen: min as Fen, validDays: days };
  } else if (d.reward === 'points') {
    const points = parseCount(d.points);
    if (!(points >= 1 && points <= 100_000)) p.points = '积分须为 1–100000';
    reward = { kind: 'points', points };
  }
  const minSize = d.fewer ? parseCount(d.minSize) : null;
  if (minSize !== null && !(minSize >= 2 && minSize < size)) p.minSize = '须至少 2 人且少于成团人数';
  if (Object.keys(p).length) return { terms: null, problems: p };
  return {
    terms: { groupSize: size, groupPriceFen: price as Fen, timeLimitHours: hours, allowJoinAny: d.joinAny, newUsersOnly: d.newOnly, maxOpenPerShopper: per, leaderReward: reward, minSizeAtDeadline: minSize },
    problems: {},
  };
}

export default function GroupOfferPage() {
  const { params } = useRouter();
  const productId = params.productId ?? '';
  const loaded = useRemote(async () => {
    const [product, offer] = await Promise.all([callFunction('merchant', 'getProduct', { id: productId }), callFunction('merchant', 'getGroupOffer', { productId })]);
    return { product, offer };
  }, [productId]);
  const [draft, setDraft] = useState<Draft>(DEFAULT);
  const [saving, setSaving] = useState(false);
  const [serverError, setServerError] = useState('');
  /** The revision of the offer this form shows (0: none saved yet). */
  const [rev, setRev] = useState(0);
  useEffect(() => {
    if (loaded.state.status !== 'ready') return;
    const { offer } = loaded.state.data;
    if (offer) setDraft(draftOf(offer));
    setRev(offer?.rev ?? 0);
  }, [loaded.state]);

  if (loaded.state.status === 'loading') return <AppShell className='m-page'><Loading /></AppShell>;
  if (loaded.state.status === 'error') return <AppShell className='m-page'><ErrorState message={loaded.state.error} onRetry={() => void loaded.reload()} /></AppShell>;
  const { product } = loaded.state.data;
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const { terms, problems } = termsOf(draft, product.priceFen);
  const preview = terms ? describeGroupRules(terms, product.priceFen) : [];

  const save = async () => {
    if (!terms || saving) return;
    setSaving(true);
    setServerError('');
    try {
      const input: SaveGroupOfferInput = { productId, active: draft.active, ...terms, rev };
      setRev((await callFunction('merchant', 'saveGroupOffer', input)).rev ?? rev + 1);
      void Taro.showToast({ title: '已保存', icon: 'success' });
    } catch (err) {
      setServerError(errorMessage(err));
      // Saved on another device since this form was read: show what is there now (the message stays).
      if (isStaleEdit(err)) await loaded.refresh();
    } finally {
      setSaving(false);
    }
  };

  return (
    <AppShell className='m-page group-offer-page'>
      <View className='card group-offer-form'>
        <Text className='card__title'>{product.title}（原价 {formatFen(product.priceFen)}）</Text>
        <Field label='启用' name='active'>
          <Switch className='group-offer__active' checked={draft.active} color='#e4393c' onChange={(e) => set({ active: e.detail.value })} />
        </Field>
        <Field label='成团人数' name='size' error={problems.size} hint='含团长，2–10 人'>
          <Input className='m-input group-offer__size' type='number' value={draft.size} onInput={(e) => set({ size: e.detail.value })} />
        </Field>
        <Field label='拼团价（元）' name='price' error={problems.price}>
          <Input className='m-input group-offer__price' type='digit' value={draft.price} onInput={(e) => set({ price: e.detail.value })} />
        </Field>
        <Field label='拼团时限（小时）' name='hours' error={problems.hours} hint='团长付款后开始计时'>
          <Input className='m-input group-offer__hours' type='number' value={draft.hours} onInput={(e) => set({ hours: e.detail.value })} />
        </Field>
        <Field label='允许凑团' name='joinAny' hint='进行中的团展示在商品页，任何人可参团'>
          <Switch className='group-offer__join-any' checked={draft.joinAny} color='#e4393c' onChange={(e) => set({ joinAny: e.detail.value })} />
        </Field>
        <Field label='仅限新用户参团' name='newOnly'>
          <Switch className='group-offer__new-only' checked={draft.newOnly} color='#e4393c' onChange={(e) => set({ newOnly: e.detail.value })} />
        </Field>
        <Field label='每人同时发起' name='perShopper' error={problems.perShopper} hint='个拼团'>
          <Input className='m-input group-offer__per-shopper' type='number' value={draft.perShopper} onInput={(e) => set({ perShopper: e.detail.value })} />
        </Field>
        <Field label='到期人数不足也成团' name='fewer'>
          <Switch className='group-offer__fewer' checked={draft.fewer} color='#e4393c' onChange={(e) => set({ fewer: e.detail.value })} />
        </Field>
        {draft.fewer && (
          <Field label='到期最少成团人数' name='minSize' error={problems.minSize}>
            <Input className='m-input group-offer__min-size' type='number' value={draft.minSize} onInput={(e) => set({ minSize: e.detail.value })} />
          </Field>
        )}

        <Text className='m-section'>团长奖励（成团后发放并冻结，成员退款期结束后到账；只看成团结果，不为分享发奖励）</Text>
        <Choice name='group-reward' value={draft.reward} options={[['none', '不设'], ['coupon', '优惠券'], ['points', '积分']]} onPick={(reward) => set({ reward })} />
        {draft.reward === 'coupon' && (
          <View>
            <Field label='券额（元）' name='couponAmount' error={problems.couponAmount}>
              <Input className='m-input group-offer__coupon' type='digit' value={draft.couponAmount} onInput={(e) => set({ couponAmount: e.detail.value })} />
            </Field>
            <Field label='满多少可用（元）' name='couponMinSpend' error={problems.couponMinSpend}>
              <Input className='m-input group-offer__coupon-min' type='digit' value={draft.couponMinSpend} onInput={(e) => set({ couponMinSpend: e.detail.value })} />
            </Field>
            <Field label='有效天数' name='couponDays' error={problems.couponDays}>
              <Input className='m-input group-offer__coupon-days' type='number' value={draft.couponDays} onInput={(e) => set({ couponDays: e.detail.value })} />
            </Field>
          </View>
        )}
        {draft.reward === 'points' && (
          <Field label='积分' name='points' error={problems.points}>
            <Input className='m-input group-offer__points' type='number' value={draft.points} onInput={(e) => set({ points: e.detail.value })} />
          </Field>
        )}
      </View>

      {preview.length > 0 && <RulesCard title='顾客看到的拼团规则（预览）' lines={preview} className='group-offer__preview' />}
      {serverError && <Text className='m-field__error group-offer__error'>{serverError}</Text>}
      <View className={`primary-button group-offer__save${terms && !saving ? '' : ' primary-button--disabled'}`} onClick={() => void save()}>
        {saving ? '保存中…' : '保存'}
      </View>
    </AppShell>
  );
}
