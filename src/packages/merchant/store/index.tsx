/**
 * 店铺资质: what the shop publishes on the 首页 trust strip — its name, its qualifications (营业执照, 许可证, one per
 * line) and a service phone (shown where WeChat's customer-service chat is not available). Saved as typed.
 */
import { Input, Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import AppShell from '../../../components/AppShell';
import { ErrorState, Loading } from '../../../components/PageState';
import { useRemote } from '../../../hooks/useRemote';
import { useSubmission } from '../../../hooks/useSubmission';
import { callFunction, isStaleEdit } from '../../../services/cloud';
import { Field } from '../components/Field';
import '../merchant.css';

interface Form {
  storeName: string;
  qualifications: string;
  servicePhone: string;
}

export default function StoreProfilePage() {
  const loaded = useRemote(() => callFunction('merchant', 'getStoreProfile', {}), []);
  const [form, setForm] = useState<Form | null>(null);
  const [rev, setRev] = useState(0);
  const [problems, setProblems] = useState<Partial<Record<keyof Form, string>>>({});
  const { busy, error, run } = useSubmission();

  useEffect(() => {
    if (loaded.state.status !== 'ready') return;
    const p = loaded.state.data;
    setForm({ storeName: p.storeName, qualifications: p.qualifications.join('\n'), servicePhone: p.servicePhone });
    setRev(p.rev ?? 0);
  }, [loaded.state]);

  if (loaded.state.status === 'loading' || (loaded.state.status === 'ready' && !form)) return <Loading />;
  if (loaded.state.status === 'error') return <ErrorState message={loaded.state.error} onRetry={() => void loaded.reload()} />;
  const f = form!;
  const set = (k: keyof Form) => (e: { detail: { value: string } }) => {
    setForm({ ...f, [k]: e.detail.value });
    setProblems({ ...problems, [k]: undefined });
  };

  const save = async () => {
    if (busy) return;
    const lines = f.qualifications.split('\n').map((l) => l.trim()).filter(Boolean);
    const found: Partial<Record<keyof Form, string>> = {};
    if (!f.storeName.trim()) found.storeName = '请填写店铺名称';
    else if (f.storeName.trim().length > 30) found.storeName = '店铺名称最多 30 个字';
    if (lines.length > 10 || lines.some((l) => l.length > 100)) found.qualifications = '最多 10 行，每行最多 100 个字';
    if (f.servicePhone.trim() && !/^[0-9-]{5,20}$/.test(f.servicePhone.trim())) found.servicePhone = '请填写正确的电话，如 0571-88888888';
    setProblems(found);
    if (Object.keys(found).length) return;
    await run('submit', async () => {
      try {
        const saved = await callFunction('merchant', 'saveStoreProfile', { storeName: f.storeName.trim(), qualifications: lines, servicePhone: f.servicePhone.trim(), rev });
        setForm({ storeName: saved.storeName, qualifications: saved.qualifications.join('\n'), servicePhone: saved.servicePhone });
        setRev(saved.rev ?? rev + 1);
        void Taro.showToast({ title: '已保存', icon: 'none' });
      } catch (err) {
        // Saved on another device since this form was read: show what is there now (the message stays below).
        if (isStaleEdit(err)) await loaded.refresh();
        throw err;
      }
    });
  };

  return (
    <AppShell className='m-page store-profile-page'>
      <View className='card'>
        <Field label='店铺名称' name='storeName' error={problems.storeName}>
          <Input className='m-input store-name' value={f.storeName} maxlength={30} onInput={set('storeName')} />
        </Field>
        <Field label='资质信息' name='qualifications' error={problems.qualifications} hint='每行一项，如：营业执照 统一社会信用代码 …；食品经营许可证 …'>
          <Textarea className='m-input store-qualifications' value={f.qualifications} maxlength={1100} autoHeight onInput={set('qualifications')} />
        </Field>
        <Field label='客服电话' name='servicePhone' error={problems.servicePhone} hint='选填：网页版没有微信客服会话时显示'>
          <Input className='m-input store-phone' value={f.servicePhone} onInput={set('servicePhone')} />
        </Field>
      </View>
      <View className='card'>
        {error && <Text className='form-error store-error'>{error}</Text>}
        <View className={`primary-button store-save${busy ? ' primary-button--disabled' : ''}`} onClick={() => void save()}>
          {busy ? '保存中…' : '保存'}
        </View>
      </View>
    </AppShell>
  );
}
