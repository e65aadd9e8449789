/**
 * 店铺设置: everything the merchant sets for the shop (`saveShopSettings`: refund window, auto-confirm) and for
 * referrals and the wallet (`saveReferralSettings`: binding validity, points rate and cap, withdrawal minimum /
 * maximum / daily count, how long a transfer waits for the user's confirmation). Money in yuan on the form, fen on
 * the wire; each problem shows next to its field; the server checks the same bounds (types/settingsLimits.ts).
 */
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { ReferralSettings, ShopSettingsView } from '../../../../types/api';
import type { AtRev } from '../../../../types/revision';
import type { Fen } from '../../../../types/money';
import { REFERRAL_SETTING_LIMITS as R, SHOP_SETTING_LIMITS as S, withinLimit, type SettingLimit } from '../../../../types/settingsLimits';
import AppShell from '../../../components/AppShell';
import { ErrorState, Loading } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import { callFunction, errorMessage, isStaleEdit } from '../../../services/cloud';
import { Choice, InputField } from '../components/Field';
import { fenInput, parseCount, parsePercent, parseYuan, percentInput } from '../format';
import { yuan } from '../rulePreview';
import '../merchant.css';

interface Loaded {
  shop: ShopSettingsView & AtRev;
  referral: ReferralSettings & AtRev;
}

interface Form {
  refundWindowDays: string;
  autoConfirmDays: string;
  bindingForever: boolean;
  bindingValidityDays: string;
  pointsPerYuan: string;
  pointsMaxShare: string;
  withdrawMin: string;
  withdrawMax: string;
  withdrawDailyCount: string;
  transferConfirmHours: string;
}

type Problems = Partial<Record<keyof Form, string>>;
type Saved = { shop: { refundWindowDays: number; autoConfirmDays: number }; referral: ReferralSettings };

function fromSettings({ shop, referral: r }: Loaded): Form {
  return {
    refundWindowDays: String(shop.refundWindowDays),
    autoConfirmDays: String(shop.autoConfirmDays),
    bindingForever: r.bindingValidityDays === null,
    bindingValidityDays: r.bindingValidityDays === null ? '30' : String(r.bindingValidityDays),
    pointsPerYuan: String(r.pointsPerYuan),
    pointsMaxShare: percentInput(r.pointsMaxShareBp),
    withdrawMin: fenInput(r.withdrawMinFen),
    withdrawMax: fenInput(r.withdrawMaxFen),
    withdrawDailyCount: String(r.withdrawDailyCount),
    transferConfirmHours: String(r.transferConfirmHours),
  };
}

const range = ([min, max]: SettingLimit, unit: string) => `请填写 ${min}–${max} ${unit}的整数`;
const yuanRange = ([min, max]: SettingLimit) => `请填写 ${fenInput(min)}–${fenInput(max)} 元，最多两位小数`;

/** Both saves the form describes, or what is wrong with it, field by field. */
function check(f: Form): { saved: Saved | null; problems: Problems } {
  const p: Problems = {};
  const count = (key: keyof Form, limit: SettingLimit, unit: string) => {
    const v = parseCount(f[key] as string);
    if (!withinLimit(v, limit)) p[key] = range(limit, unit);
    return v;
  };
  const refundWindowDays = count('refundWindowDays', S.refundWindowDays, '天');
  const autoConfirmDays = count('autoConfirmDays', S.autoConfirmDays, '天');
  const bindingValidityDays = f.bindingForever ? null : count('bindingValidityDays', R.bindingValidityDays, '天');
  const pointsPerYuan = count('pointsPerYuan', R.pointsPerYuan, '');
  const pointsMaxShareBp = parsePercent(f.pointsMaxShare);
  if (!withinLimit(pointsMaxShareBp, R.pointsMaxShareBp)) p.pointsMaxShare = '请填写 0–100，最多两位小数';
  const withdrawMinFen = parseYuan(f.withdrawMin) as Fen;
  const withdrawMaxFen = parseYuan(f.withdrawMax) as Fen;
  if (!withinLimit(withdrawMinFen, R.withdrawMinFen)) p.withdrawMin = yuanRange(R.withdrawMinFen);
  if (!withinLimit(withdrawMaxFen, R.withdrawMaxFen)) p.withdrawMax = yuanRange(R.withdrawMaxFen);
  else if (!p.withdrawMin && withdrawMaxFen < withdrawMinFen) p.withdrawMax = '单笔最高不能低于最低提现金额';
  const withdrawDailyCount = count('withdrawDailyCount', R.withdrawDailyCount, '次');
  const transferConfirmHours = count('transferConfirmHours', R.transferConfirmHours, '小时');
  if (Object.keys(p).length) return { saved: null, problems: p };
  return {
    saved: {
      shop: { refundWindowDays, autoConfirmDays },
      referral: { bindingValidityDays, pointsPerYuan, pointsMaxShareBp, withdrawMinFen, withdrawMaxFen, withdrawDailyCount, transferConfirmHours },
    },
    problems: p,
  };
}

async function load(): Promise<Loaded> {
  const [shop, referral] = await Promise.all([callFunction('merchant', 'getShopSettings', {}), callFunction('merchant', 'getReferralSettings', {})]);
  return { shop, referral };
}

export default function SettingsPage() {
  const loaded = useRemote(load, []);
  const [form, setForm] = useState<Form | null>(null);
  const [error, setError] = useState('');
  const [saving, setSaving] = useState(false);
  const [attempted, setAttempted] = useState(false);

  // The form starts from what was loaded, once; a save puts the server's answer in it (below).
  useEffect(() => {
    const state = loaded.state;
    if (state.status === 'ready') setForm((prev) => prev ?? fromSettings(state.data));
  }, [loaded.state]);

  if (loaded.state.status === 'loading' || (loaded.state.status === 'ready' && !form)) return <AppShell className='m-page'><Loading /></AppShell>;
  if (loaded.state.status === 'error') return <AppShell className='m-page'><ErrorState message={loaded.state.error} onRetry={() => void loaded.reload()} /></AppShell>;
  const f = form!;
  const { shop } = loaded.state.data;
  const { saved, problems } = check(f);
  const set = (patch: Partial<Form>) => setForm((prev) => (prev ? { ...prev, ...patch } : prev));

  const save = async () => {
    if (saving) return;
    if (!saved) return setAttempted(true);
    setSaving(true);
    setError('');
    const { shop: readShop, referral: readReferral } = loaded.state.data!;
    try {
      // Each with the revision this form read: a save from another device since then is not overwritten (EDIT_STALE).
      const [nextShop, nextReferral] = await Promise.all([
        callFunction('merchant', 'saveShopSettings', { ...saved.shop, rev: readShop.rev ?? 0 }),
        callFunction('merchant', 'saveReferralSettings', { ...saved.referral, rev: readReferral.rev ?? 0 }),
      ]);
      const next = { shop: nextShop, referral: nextReferral };
      loaded.set(next);
      setForm(fromSettings(next));
      setAttempted(false);
      void Taro.showToast({ title: '设置已保存', icon: 'success' });
    } catch (err) {
      if (isStaleEdit(err)) {
        // What is saved now, on both cards (the half of this save that landed shows as saved).
        const fresh = await load().catch(() => null);
        if (fresh) {
          loaded.set(fresh);
          setForm(fromSettings(fresh));
        }
      }
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <AppShell className='m-page settings-page'>
      <View className='card settings-shop'>
        <Text className='card__title'>订单与退款</Text>
        <InputField label='退款期（天）' name='refundWindowDays' error={problems.refundWindowDays} hint='确认收货后多少天内可申请退款；邀请奖励在退款期过后才能提现' className='settings-form__refundWindowDays' type='number' value={f.refundWindowDays} onInput={(refundWindowDays) => set({ refundWindowDays })} />
        <InputField label='自动确认收货（天）' name='autoConfirmDays' error={problems.autoConfirmDays} hint='发货后这么多天，买家没确认的订单自动确认收货' className='settings-form__autoConfirmDays' type='number' value={f.autoConfirmDays} onInput={(autoConfirmDays) => set({ autoConfirmDays })} />
        <Text className='card__hint settings-pay-timeout'>未付款订单 {shop.payTimeoutMinutes} 分钟后自动关闭（部署时配置）</Text>
      </View>

      <View className='card settings-binding'>
        <Text className='card__title'>邀请关系</Text>
        <Text className='card__label'>绑定有效期</Text>
        <Choice name='settings-binding' value={f.bindingForever ? 'forever' : 'days'} options={[['forever', '永久有效'], ['days', '按天数']]} onPick={(v) => set({ bindingForever: v === 'forever' })} />
        {!f.bindingForever && (
          <InputField label='有效天数' name='bindingValidityDays' error={problems.bindingValidityDays} hint='过期后还没下单的好友，可以被别人重新邀请' className='settings-form__bindingValidityDays' type='number' value={f.bindingValidityDays} onInput={(bindingValidityDays) => set({ bindingValidityDays })} />
        )}
      </View>

      <View className='card settings-points'>
        <Text className='card__title'>积分</Text>
        <InputField label='多少积分抵 1 元' name='pointsPerYuan' error={problems.pointsPerYuan} className='settings-form__pointsPerYuan' type='number' value={f.pointsPerYuan} onInput={(pointsPerYuan) => set({ pointsPerYuan })} />
        <InputField label='最多抵扣订单（%）' name='pointsMaxShare' error={problems.pointsMaxShare} hint='积分最多能付订单金额的百分之几' className='settings-form__pointsMaxShare' type='digit' value={f.pointsMaxShare} onInput={(pointsMaxShare) => set({ pointsMaxShare })} />
      </View>

      <View className='card settings-withdraw'>
        <Text className='card__title'>提现</Text>
        <InputField label='最低提现（元）' name='withdrawMin' error={problems.withdrawMin} className='settings-form__withdrawMin' type='digit' value={f.withdrawMin} onInput={(withdrawMin) => set({ withdrawMin })} />
        <InputField label='单笔最高（元）' name='withdrawMax' error={problems.withdrawMax} hint={`${yuan(200_000)} 起微信要求收款人实名，单笔最高 ${yuan(R.withdrawMaxFen[1])}`} className='settings-form__withdrawMax' type='digit' value={f.withdrawMax} onInput={(withdrawMax) => set({ withdrawMax })} />
        <InputField label='每天最多（次）' name='withdrawDailyCount' error={problems.withdrawDailyCount} className='settings-form__withdrawDailyCount' type='number' value={f.withdrawDailyCount} onInput={(withdrawDailyCount) => set({ withdrawDailyCount })} />
        <InputField label='等待确认收款（小时）' name='transferConfirmHours' error={problems.transferConfirmHours} hint='用户超时没有确认收款，转账撤销，钱退回钱包' className='settings-form__transferConfirmHours' type='number' value={f.transferConfirmHours} onInput={(transferConfirmHours) => set({ transferConfirmHours })} />
      </View>

      <View className='card'>
        {attempted && !saved && <Text className='form-error settings-problem'>请先改正标红的项</Text>}
        {error && <Text className='form-error settings-error'>{error}</Text>}
        <View className={`primary-button settings-save${saving ? ' primary-button--disabled' : ''}`} onClick={() => void save()}>
          {saving ? '保存中…' : '保存设置'}
        </View>
      </View>
    </AppShell>
  );
}
