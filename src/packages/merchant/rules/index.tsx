/**
 * 返利规则: the rules in force and an editor for every field a rule has — trigger, reward (a fixed amount or a share of
 * the paid amount, in %), caps per inviter per day and in total, the products it covers, its active window and its
 * priority — with a plain-language preview of what a shopper will read and a warning when a reward would cost more
 * than the orders that earn it. Saving a rule unchanged sends back exactly what was loaded. The server checks again.
 */
import { Switch, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { MerchantProductView, RebateRuleInput, SavedRebateRule } from '../../../../types/api';
import type { Fen } from '../../../../types/money';
import AppShell from '../../../components/AppShell';
import { Empty, ErrorState, Loading } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import { callFunction, errorMessage, isStaleEdit } from '../../../services/cloud';
import { Choice, Field, InputField } from '../components/Field';
import { fenInput, minuteInput, parseCount, parseMinute, parseOptionalCount, parsePercent, parseYuan, percentInput } from '../format';
import { rulePreview, ruleWarnings } from '../rulePreview';
import '../merchant.css';

type Form = 'cash' | 'coupon' | 'points';
type Kind = 'everyN' | 'eachOrder';
/** An each-order cash or points reward: a fixed amount, or a share of what the invitee paid. */
type Basis = 'fixed' | 'ratio';

interface Draft {
  /** The rule as loaded (null for a new one): what the form leaves alone goes back exactly as it came. */
  base: SavedRebateRule | null;
  name: string;
  active: boolean;
  priority: string;
  kind: Kind;
  n: string;
  minOrder: string;
  form: Form;
  basis: Basis;
  /** Yuan for cash and coupons, points for points. */
  amount: string;
  /** Percent of the paid amount. */
  ratio: string;
  minSpend: string;
  validDays: string;
  capDay: string;
  capTotal: string;
  allProducts: boolean;
  productIds: string[];
  startsAt: string;
  endsAt: string;
}

type FieldName = 'name' | 'priority' | 'n' | 'minOrder' | 'amount' | 'ratio' | 'minSpend' | 'validDays' | 'capDay' | 'capTotal' | 'products' | 'startsAt' | 'endsAt';
type Problems = Partial<Record<FieldName, string>>;

const NEW: Draft = {
  base: null,
  name: '推三返一',
  active: true,
  priority: '10',
  kind: 'everyN',
  n: '3',
  minOrder: '0',
  form: 'cash',
  basis: 'fixed',
  amount: '50',
  ratio: '5',
  minSpend: '0',
  validDays: '30',
  capDay: '',
  capTotal: '',
  allProducts: true,
  productIds: [],
  startsAt: '',
  endsAt: '',
};

function fromRule(r: SavedRebateRule): Draft {
  const t = r.trigger;
  const ratioBp = t.kind === 'eachOrder' ? t.ratioBp : undefined;
  const fixedFen = t.kind === 'eachOrder' ? t.fixedFen : undefined;
  const reward = r.reward;
  return {
    base: r,
    name: r.name,
    active: r.active,
    priority: String(r.priority),
    kind: t.kind,
    n: t.kind === 'everyN' ? String(t.n) : NEW.n,
    minOrder: fenInput(t.minOrderFen),
    form: reward.form,
    basis: ratioBp !== undefined ? 'ratio' : 'fixed',
    amount: reward.form === 'points' ? String(reward.points) : fenInput(fixedFen ?? reward.amountFen),
    ratio: ratioBp !== undefined ? percentInput(ratioBp) : NEW.ratio,
    minSpend: reward.form === 'coupon' ? fenInput(reward.minSpendFen) : NEW.minSpend,
    validDays: reward.form === 'coupon' ? String(reward.validDays) : NEW.validDays,
    capDay: r.caps.perInviterPerDay === null ? '' : String(r.caps.perInviterPerDay),
    capTotal: r.caps.perInviterTotal === null ? '' : String(r.caps.perInviterTotal),
    allProducts: r.productIds === null,
    productIds: r.productIds ?? [],
    startsAt: minuteInput(r.startsAt),
    endsAt: minuteInput(r.endsAt),
  };
}

/** A ratio applies to each-order cash and points rewards only (a coupon has a face value). */
const usesRatio = (d: Pick<Draft, 'kind' | 'form' | 'basis'>) => d.kind === 'eachOrder' && d.form !== 'coupon' && d.basis === 'ratio';

/** The rule the draft describes, or what is wrong with it, field by field. */
function check(d: Draft): { rule: RebateRuleInput | null; problems: Problems } {
  const p: Problems = {};
  const base = d.base;
  const name = d.name.trim();
  if (!name) p.name = '请填写规则名称';
  else if (name.length > 40) p.name = '规则名称最多 40 个字';
  const priority = /^-?\d+$/.test(d.priority.trim()) ? Number(d.priority.trim()) : NaN;
  if (!(priority >= -1000 && priority <= 1000)) p.priority = '优先级请填写 -1000 到 1000 的整数';
  const n = parseCount(d.n);
  if (d.kind === 'everyN' && !(n >= 1 && n <= 100)) p.n = '邀请人数请填写 1–100';
  const minOrder = parseYuan(d.minOrder.trim() || '0');
  if (Number.isNaN(minOrder)) p.minOrder = '订单门槛请填写金额，最多两位小数';

  let reward: RebateRuleInput['reward'] = { form: 'cash', amountFen: 0 as Fen };
  let fixedFen: Fen | undefined;
  let ratioBp: number | undefined;
  if (usesRatio(d)) {
    ratioBp = parsePercent(d.ratio);
    if (!(ratioBp >= 1 && ratioBp <= 10_000)) p.ratio = '返利比例请填写 0.01–100，最多两位小数';
    // The ratio decides the amount; the reward's own amount stays as it was (0 for a new rule).
    reward = base?.reward.form === d.form ? base.reward : d.form === 'points' ? { form: 'points', points: 0 } : { form: 'cash', amountFen: 0 as Fen };
  } else if (d.form === 'points') {
    const points = parseCount(d.amount);
    if (!(points > 0)) p.amount = '奖励积分请填写正整数';
    reward = { form: 'points', points };
  } else {
    const amount = parseYuan(d.amount) as Fen;
    if (!(amount > 0)) p.amount = '奖励金额请填写大于 0 的金额，最多两位小数';
    if (d.form === 'cash') {
      // A rule that pays an each-order fixed amount (trigger.fixedFen) keeps paying it there.
      const fixedSlot = d.kind === 'eachOrder' && base?.trigger.kind === 'eachOrder' && base.trigger.fixedFen !== undefined;
      if (fixedSlot) fixedFen = amount;
      reward = fixedSlot && base?.reward.form === 'cash' ? base.reward : { form: 'cash', amountFen: amount };
    } else {
      const minSpend = parseYuan(d.minSpend.trim() || '0') as Fen;
      const validDays = parseCount(d.validDays);
      if (Number.isNaN(minSpend)) p.minSpend = '使用门槛请填写金额，最多两位小数';
      if (!(validDays >= 1 && validDays <= 365)) p.validDays = '有效天数请填写 1–365';
      reward = { form: 'coupon', amountFen: amount, minSpendFen: minSpend, validDays };
    }
  }

  const capDay = parseOptionalCount(d.capDay);
  const capTotal = parseOptionalCount(d.capTotal);
  if (Number.isNaN(capDay)) p.capDay = '请填写整数，或留空不限';
  if (Number.isNaN(capTotal)) p.capTotal = '请填写整数，或留空不限';
  if (!d.allProducts && d.productIds.length === 0) p.products = '请至少选择一件商品，或选全部商品';
  const startsAt = parseMinute(d.startsAt, base?.startsAt ?? null);
  const endsAt = parseMinute(d.endsAt, base?.endsAt ?? null);
  if (startsAt === undefined) p.startsAt = '请按 2026-12-01 00:00 的格式填写北京时间，或留空';
  if (endsAt === undefined) p.endsAt = '请按 2026-12-31 23:59 的格式填写北京时间，或留空';
  else if (startsAt && endsAt && Date.parse(endsAt) <= Date.parse(startsAt)) p.endsAt = '结束时间须晚于开始时间';
  if (Object.keys(p).length) return { rule: null, problems: p };

  const trigger: RebateRuleInput['trigger'] =
    d.kind === 'everyN'
      ? { kind: 'everyN', n, minOrderFen: minOrder as Fen }
      : { kind: 'eachOrder', minOrderFen: minOrder as Fen, ...(fixedFen !== undefined ? { fixedFen } : {}), ...(ratioBp !== undefined ? { ratioBp } : {}) };
  return {
    rule: {
      // With the revision the rule was read at: a save from another device since then is not overwritten.
      ...(base ? { id: base.id, rev: base.rev ?? 0 } : {}),
      name,
      active: d.active,
      priority,
      reward,
      trigger,
      caps: { perInviterPerDay: capDay, perInviterTotal: capTotal },
      productIds: d.allProducts ? null : d.productIds,
      startsAt: startsAt ?? null,
      endsAt: endsAt ?? null,
    },
    problems: p,
  };
}

interface Context {
  rules: SavedRebateRule[];
  refundWindowDays: number;
  /** What a point is worth, for the cost of a points reward. */
  pointsPerYuan: number;
  /** Every product (on sale or not), to pick the ones a rule covers. */
  products: MerchantProductView[];
}

async function load(): Promise<Context> {
  const [rules, shop, referral, products] = await Promise.all([
    callFunction('merchant', 'listRebateRules', {}),
    callFunction('merchant', 'getShopSettings', {}),
    callFunction('merchant', 'getReferralSettings', {}),
    callFunction('merchant', 'listProducts', { pageSize: 50 }),
  ]);
  return { rules, refundWindowDays: shop.refundWindowDays, pointsPerYuan: referral.pointsPerYuan, products: products.items };
}

/** The cheapest product on sale the rule covers: the smallest order that can trigger it when no threshold is set. */
function cheapestFen(products: MerchantProductView[], productIds: string[] | null): number {
  const prices = products.filter((p) => p.onSale && (!productIds || productIds.includes(p.id))).map((p) => p.priceFen);
  return prices.length ? Math.min(...prices) : 0;
}

function ProductPicker({ products, picked, onChange }: { products: MerchantProductView[]; picked: string[]; onChange: (ids: string[]) => void }) {
  const known = new Set(products.map((p) => p.id));
  const toggle = (id: string) => onChange(picked.includes(id) ? picked.filter((x) => x !== id) : [...picked, id]);
  return (
    <View className='m-actions rule-products'>
      {products.map((p) => (
        <Text key={p.id} className={`m-chip rule-product${picked.includes(p.id) ? ' m-chip--on' : ''}`} onClick={() => toggle(p.id)}>
          {p.title}
          {p.onSale ? '' : '（已下架）'}
        </Text>
      ))}
      {/* Products the rule names that the list does not show (deleted, or past the first page) stay until taken out. */}
      {picked
        .filter((id) => !known.has(id))
        .map((id) => (
          <Text key={id} className='m-chip m-chip--on rule-product rule-product--unknown' onClick={() => toggle(id)}>
            商品 {id}
          </Text>
        ))}
    </View>
  );
}

export default function RulesPage() {
  const ctx = useRemote(load, []);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState('');
  const [saving, setSaving] = useState(false);
  /** 保存 was tapped while something was wrong: say so below the button too, until it is fixed. */
  const [attempted, setAttempted] = useState(false);
  const set = (patch: Partial<Draft>) => setDraft((d) => (d ? { ...d, ...patch } : d));

  if (ctx.state.status === 'loading') return <AppShell className='m-page'><Loading /></AppShell>;
  if (ctx.state.status === 'error') return <AppShell className='m-page'><ErrorState message={ctx.state.error} onRetry={() => void ctx.reload()} /></AppShell>;
  const { rules, refundWindowDays, pointsPerYuan, products } = ctx.state.data;
  const checked = draft ? check(draft) : null;
  const rule = checked?.rule ?? null;
  const problems = checked?.problems ?? {};

  const save = async () => {
    if (saving) return;
    if (!rule) return setAttempted(true);
    setSaving(true);
    setError('');
    try {
      await callFunction('merchant', 'saveRebateRule', rule);
    } catch (err) {
      setError(errorMessage(err));
      if (isStaleEdit(err)) {
        // The rule as saved on the other device, in the form (the message stays above the button).
        const fresh = (await callFunction('merchant', 'listRebateRules', {}).catch(() => [])).find((r) => r.id === draft?.base?.id);
        if (fresh) setDraft(fromRule(fresh));
      }
      return;
    } finally {
      setSaving(false);
    }
    void Taro.showToast({ title: '规则已保存', icon: 'success' });
    setDraft(null);
    // The list again in the background: the next rule's 保存 does not wait for it.
    void ctx.refresh();
  };

  const edit = (d: Draft) => {
    setError('');
    setAttempted(false);
    setDraft(d);
  };

  return (
    <AppShell className='m-page rules-page'>
      {!draft && (
        <View className='card'>
          <View className='primary-button rule-new' onClick={() => edit({ ...NEW })}>
            新建返利规则
          </View>
        </View>
      )}
      {draft && (
        <View className='card rule-editor'>
          <Text className='card__title'>{draft.base ? '编辑规则' : '新建规则'}</Text>
          <InputField label='规则名称' name='name' error={problems.name} className='rule-form__name' value={draft.name} maxlength={40} onInput={(name) => set({ name })} />
          <Field label='启用' name='active'>
            <Switch className='rule-form__active' checked={draft.active} color='#e4393c' onChange={(e) => set({ active: e.detail.value })} />
          </Field>
          <InputField label='优先级' name='priority' error={problems.priority} hint='同一次触发只用一条规则：数字大的优先' className='rule-form__priority' type='text' value={draft.priority} onInput={(priority) => set({ priority })} />

          <Text className='m-section'>触发方式{draft.base ? '（已有规则不能修改）' : ''}</Text>
          <Choice name='rule-kind' value={draft.kind} disabled={!!draft.base} options={[['everyN', '每邀请 N 位好友首单'], ['eachOrder', '好友每笔订单']]} onPick={(kind) => set({ kind })} />
          {draft.kind === 'everyN' && (
            <InputField label='邀请人数 N' name='n' error={problems.n} className='rule-form__n' type='number' disabled={!!draft.base} value={draft.n} onInput={(n) => set({ n })} />
          )}
          <InputField label='订单门槛（元）' name='minOrder' error={problems.minOrder} hint='好友实付满这个金额才算，0 为不限' className='rule-form__min-order' type='digit' value={draft.minOrder} onInput={(minOrder) => set({ minOrder })} />

          <Text className='m-section'>奖励</Text>
          <Choice name='rule-form' value={draft.form} options={[['cash', '现金'], ['coupon', '优惠券'], ['points', '积分']]} onPick={(form) => set({ form })} />
          {draft.kind === 'eachOrder' && draft.form !== 'coupon' && (
            <Choice name='rule-basis' value={draft.basis} options={[['fixed', draft.form === 'points' ? '固定积分' : '固定金额'], ['ratio', '按好友实付比例']]} onPick={(basis) => set({ basis })} />
          )}
          {usesRatio(draft) ? (
            <InputField label='返利比例（%）' name='ratio' error={problems.ratio} hint={draft.form === 'points' ? '按实付金额的比例折算成积分（按钱包的积分比例）' : '按好友实付金额的比例返现'} className='rule-form__ratio' type='digit' value={draft.ratio} onInput={(ratio) => set({ ratio })} />
          ) : (
            <InputField label={draft.form === 'points' ? '奖励积分' : draft.form === 'coupon' ? '优惠券面额（元）' : '奖励金额（元）'} name='amount' error={problems.amount} className='rule-form__amount' type='digit' value={draft.amount} onInput={(amount) => set({ amount })} />
          )}
          {draft.form === 'coupon' && (
            <View>
              <InputField label='满多少可用（元）' name='minSpend' error={problems.minSpend} className='rule-form__min-spend' type='digit' value={draft.minSpend} onInput={(minSpend) => set({ minSpend })} />
              <InputField label='有效天数' name='validDays' error={problems.validDays} className='rule-form__valid-days' type='number' value={draft.validDays} onInput={(validDays) => set({ validDays })} />
            </View>
          )}

          <Text className='m-section'>次数上限（每位邀请人）</Text>
          <InputField label='每天最多' name='capDay' error={problems.capDay} className='rule-form__cap-day' type='number' placeholder='留空不限' value={draft.capDay} onInput={(capDay) => set({ capDay })} />
          <InputField label='累计最多' name='capTotal' error={problems.capTotal} className='rule-form__cap' type='number' placeholder='留空不限' value={draft.capTotal} onInput={(capTotal) => set({ capTotal })} />

          <Text className='m-section'>适用商品</Text>
          <Choice
            name='rule-scope'
            value={draft.allProducts ? 'all' : 'some'}
            options={[['all', '全部商品'], ['some', '指定商品']]}
            onPick={(v) => set({ allProducts: v === 'all' })}
          />
          {!draft.allProducts && <ProductPicker products={products} picked={draft.productIds} onChange={(productIds) => set({ productIds })} />}
          {problems.products && <Text className='m-field__error field-error--products'>{problems.products}</Text>}

          <Text className='m-section'>活动时间（北京时间，留空不限）</Text>
          <InputField label='开始' name='startsAt' error={problems.startsAt} className='rule-form__starts' placeholder='如 2026-12-01 00:00' value={draft.startsAt} onInput={(startsAt) => set({ startsAt })} />
          <InputField label='结束' name='endsAt' error={problems.endsAt} className='rule-form__ends' placeholder='如 2026-12-31 23:59' value={draft.endsAt} onInput={(endsAt) => set({ endsAt })} />

          {rule && <Text className='preview rule-preview'>{rulePreview(rule, refundWindowDays)}</Text>}
          {rule &&
            ruleWarnings(rule, cheapestFen(products, rule.productIds), pointsPerYuan).map((w) => (
              <Text key={w} className='warning rule-warning'>
                {w}
              </Text>
            ))}
          {attempted && !rule && <Text className='form-error rule-problem'>请先改正标红的项</Text>}
          {error && <Text className='form-error rule-error'>{error}</Text>}
          <View className='m-actions'>
            <Text className={`m-btn m-btn--primary rule-save${saving ? ' primary-button--disabled' : ''}`} onClick={() => void save()}>
              {saving ? '保存中…' : '保存规则'}
            </Text>
            <Text className='m-btn rule-cancel' onClick={() => setDraft(null)}>
              取消
            </Text>
          </View>
        </View>
      )}
      {rules.length === 0 && !draft && <Empty text='还没有返利规则' />}
      {rules.length > 0 && (
        <View className='card'>
          <Text className='card__title'>全部规则</Text>
          {rules.map((r) => (
            <View key={r.id} className='m-row rule-row'>
              <View className='m-row__main'>
                <Text className='m-row__title'>
                  <Text className={`m-tag ${r.active ? 'm-tag--ok' : ''}`}>{r.active ? '启用' : '停用'}</Text>
                  {r.name}
                </Text>
                <Text className='m-row__sub'>{rulePreview(r, refundWindowDays)}</Text>
              </View>
              <Text className='m-btn rule-edit' onClick={() => edit(fromRule(r))}>
                编辑
              </Text>
            </View>
          ))}
        </View>
      )}
    </AppShell>
  );
}
