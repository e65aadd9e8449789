/**
 * 返利规则: the rules in force and an editor with a plain-language preview of what a shopper will read, and a
 * warning when a reward would cost more than the orders that earn it. The server validates again on save.
 */
import { Input, Switch, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { RebateRuleInput, SavedRebateRule } from '../../../../types/api';
import type { Fen } from '../../../../types/money';
import AppShell from '../../../components/AppShell';
import { Empty, ErrorState, Loading } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import { callFunction, errorMessage } from '../../../services/cloud';
import { fenInput, parseCount, parseYuan } from '../format';
import { rulePreview, ruleWarnings } from '../rulePreview';
import '../merchant.css';

type Form = 'cash' | 'coupon' | 'points';
type Kind = 'everyN' | 'eachOrder';

interface Draft {
  id?: string;
  name: string;
  active: boolean;
  form: Form;
  amount: string;
  minSpend: string;
  validDays: string;
  kind: Kind;
  n: string;
  minOrder: string;
  capTotal: string;
  priority: string;
}

const NEW: Draft = { name: '推三返一', active: true, form: 'cash', amount: '50', minSpend: '0', validDays: '30', kind: 'everyN', n: '3', minOrder: '0', capTotal: '', priority: '10' };

function fromRule(r: SavedRebateRule): Draft {
  const amount = r.reward.form === 'points' ? String(r.reward.points) : fenInput(r.reward.amountFen);
  return {
    id: r.id,
    name: r.name,
    active: r.active,
    form: r.reward.form,
    amount,
    minSpend: r.reward.form === 'coupon' ? fenInput(r.reward.minSpendFen) : '0',
    validDays: r.reward.form === 'coupon' ? String(r.reward.validDays) : '30',
    kind: r.trigger.kind,
    n: r.trigger.kind === 'everyN' ? String(r.trigger.n) : '1',
    minOrder: fenInput(r.trigger.minOrderFen),
    capTotal: r.caps.perInviterTotal === null ? '' : String(r.caps.perInviterTotal),
    priority: String(r.priority),
  };
}

/** The rule the draft describes, or the first thing wrong with it. */
function toInput(d: Draft): RebateRuleInput | string {
  if (!d.name.trim()) return '请填写规则名称';
  const amount = d.form === 'points' ? parseCount(d.amount) : parseYuan(d.amount);
  if (!(amount > 0)) return d.form === 'points' ? '奖励积分请填写正整数' : '奖励金额请填写大于 0 的金额';
  const minOrder = parseYuan(d.minOrder || '0');
  if (Number.isNaN(minOrder)) return '订单门槛请填写金额';
  const n = parseCount(d.n);
  if (d.kind === 'everyN' && !(n >= 1 && n <= 100)) return '邀请人数请填写 1–100';
  const cap = d.capTotal.trim() ? parseCount(d.capTotal) : null;
  if (cap !== null && Number.isNaN(cap)) return '次数上限请填写整数，或留空不限';
  const priority = Number(d.priority || '0');
  if (!Number.isInteger(priority)) return '优先级请填写整数';
  let reward: RebateRuleInput['reward'];
  if (d.form === 'cash') reward = { form: 'cash', amountFen: amount as Fen };
  else if (d.form === 'points') reward = { form: 'points', points: amount };
  else {
    const minSpend = parseYuan(d.minSpend || '0');
    const days = parseCount(d.validDays);
    if (Number.isNaN(minSpend)) return '优惠券门槛请填写金额';
    if (!(days >= 1 && days <= 365)) return '优惠券有效期请填写 1–365 天';
    reward = { form: 'coupon', amountFen: amount as Fen, minSpendFen: minSpend as Fen, validDays: days };
  }
  return {
    ...(d.id ? { id: d.id } : {}),
    name: d.name.trim(),
    active: d.active,
    priority,
    reward,
    trigger: d.kind === 'everyN' ? { kind: 'everyN', n, minOrderFen: minOrder as Fen } : { kind: 'eachOrder', minOrderFen: minOrder as Fen },
    caps: { perInviterPerDay: null, perInviterTotal: cap },
    productIds: null,
    startsAt: null,
    endsAt: null,
  };
}

interface Context {
  rules: SavedRebateRule[];
  refundWindowDays: number;
  cheapestFen: number;
}

async function load(): Promise<Context> {
  const [rules, settings, products] = await Promise.all([
    callFunction('merchant', 'listRebateRules', {}),
    callFunction('merchant', 'getShopSettings', {}),
    callFunction('merchant', 'listProducts', { onSale: true, pageSize: 50 }),
  ]);
  const prices = products.items.map((p) => p.priceFen);
  return { rules, refundWindowDays: settings.refundWindowDays, cheapestFen: prices.length ? Math.min(...prices) : 0 };
}

function Choice<T extends string>({ value, options, onPick, name, disabled }: { value: T; options: [T, string][]; onPick: (v: T) => void; name: string; disabled?: boolean }) {
  return (
    <View className='m-actions'>
      {options.map(([v, label]) => (
        <Text key={v} className={`m-chip ${name}-${v}${value === v ? ' m-chip--on' : ''}`} onClick={() => !disabled && onPick(v)}>
          {label}
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
  const set = (patch: Partial<Draft>) => setDraft((d) => (d ? { ...d, ...patch } : d));

  if (ctx.state.status === 'loading') return <AppShell className='m-page'><Loading /></AppShell>;
  if (ctx.state.status === 'error') return <AppShell className='m-page'><ErrorState message={ctx.state.error} onRetry={() => void ctx.reload()} /></AppShell>;
  const { rules, refundWindowDays, cheapestFen } = ctx.state.data;
  const parsed = draft ? toInput(draft) : null;
  const rule = parsed && typeof parsed !== 'string' ? parsed : null;

  const save = async () => {
    if (!parsed || typeof parsed === 'string') {
      setError(typeof parsed === 'string' ? parsed : '');
      return;
    }
    setSaving(true);
    setError('');
    try {
      await callFunction('merchant', 'saveRebateRule', parsed);
      void Taro.showToast({ title: '规则已保存', icon: 'success' });
      setDraft(null);
      await ctx.refresh();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <AppShell className='m-page rules-page'>
      {!draft && (
        <View className='card'>
          <View className='primary-button rule-new' onClick={() => setDraft({ ...NEW })}>
            新建返利规则
          </View>
        </View>
      )}
      {draft && (
        <View className='card rule-editor'>
          <Text className='card__title'>{draft.id ? '编辑规则' : '新建规则'}</Text>
          <View className='m-field'>
            <Text className='m-field__label'>规则名称</Text>
            <Input className='m-input rule-form__name' value={draft.name} onInput={(e) => set({ name: e.detail.value })} />
          </View>
          <Text className='card__label'>触发方式{draft.id ? '（已有规则不能修改）' : ''}</Text>
          <Choice name='rule-kind' value={draft.kind} disabled={!!draft.id} options={[['everyN', '每邀请 N 位好友首单'], ['eachOrder', '好友每笔订单']]} onPick={(kind) => set({ kind })} />
          {draft.kind === 'everyN' && (
            <View className='m-field'>
              <Text className='m-field__label'>邀请人数 N</Text>
              <Input className='m-input rule-form__n' type='number' disabled={!!draft.id} value={draft.n} onInput={(e) => set({ n: e.detail.value })} />
            </View>
          )}
          <View className='m-field'>
            <Text className='m-field__label'>订单门槛（元）</Text>
            <Input className='m-input rule-form__min-order' type='digit' value={draft.minOrder} onInput={(e) => set({ minOrder: e.detail.value })} />
          </View>
          <Text className='card__label'>奖励形式</Text>
          <Choice name='rule-form' value={draft.form} options={[['cash', '现金'], ['coupon', '优惠券'], ['points', '积分']]} onPick={(form) => set({ form })} />
          <View className='m-field'>
            <Text className='m-field__label'>{draft.form === 'points' ? '奖励积分' : '奖励金额（元）'}</Text>
            <Input className='m-input rule-form__amount' type='digit' value={draft.amount} onInput={(e) => set({ amount: e.detail.value })} />
          </View>
          {draft.form === 'coupon' && (
            <View>
              <View className='m-field'>
                <Text className='m-field__label'>满多少可用（元）</Text>
                <Input className='m-input rule-form__min-spend' type='digit' value={draft.minSpend} onInput={(e) => set({ minSpend: e.detail.value })} />
              </View>
              <View className='m-field'>
                <Text className='m-field__label'>有效天数</Text>
                <Input className='m-input rule-form__valid-days' type='number' value={draft.validDays} onInput={(e) => set({ validDays: e.detail.value })} />
              </View>
            </View>
          )}
          <View className='m-field'>
            <Text className='m-field__label'>每人次数上限</Text>
            <Input className='m-input rule-form__cap' type='number' placeholder='留空不限' value={draft.capTotal} onInput={(e) => set({ capTotal: e.detail.value })} />
          </View>
          <View className='m-field'>
            <Text className='m-field__label'>优先级</Text>
            <Input className='m-input rule-form__priority' type='number' value={draft.priority} onInput={(e) => set({ priority: e.detail.value })} />
          </View>
          <View className='m-field'>
            <Text className='m-field__label'>启用</Text>
            <Switch className='rule-form__active' checked={draft.active} color='#e4393c' onChange={(e) => set({ active: e.detail.value })} />
          </View>
          {rule && <Text className='preview rule-preview'>{rulePreview(rule, refundWindowDays)}</Text>}
          {rule &&
            ruleWarnings(rule, cheapestFen, 100).map((w) => (
              <Text key={w} className='warning rule-warning'>
                {w}
              </Text>
            ))}
          {typeof parsed === 'string' && <Text className='form-error rule-problem'>{parsed}</Text>}
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
              <Text className='m-btn rule-edit' onClick={() => setDraft(fromRule(r))}>
                编辑
              </Text>
            </View>
          ))}
        </View>
      )}
    </AppShell>
  );
}
