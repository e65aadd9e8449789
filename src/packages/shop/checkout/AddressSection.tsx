/**
 * 结算's address: the chosen address (or ＋ 添加收货地址), WeChat's address book in weapp, the manual form with the
 * region picker and each refusal beside its field (the first one scrolled into view), and the sheet to choose among
 * saved addresses. Saving an address is personal data: the privacy notice comes first (`consented`).
 */
import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useRef, useState } from 'react';
import type { AddressView } from '../../../../types/api';
import { CloudError, callFunction, errorMessage } from '../../../services/cloud';
import { ADDRESS_FIELDS, EMPTY_ADDRESS_FORM, addressFormProblems, toShippingAddress, type AddressField, type AddressForm } from '../addressForm';
import RegionPicker from '../regions/RegionPicker';

interface Props {
  addresses: AddressView[];
  address: AddressView | null;
  /** A new address was saved (it becomes the chosen one). */
  onSaved: (saved: AddressView) => void;
  onChoose: (id: string) => void;
  /** Asks for the privacy notice when needed (`ask`: again, after the server refused); true when agreed. */
  consented: (ask?: boolean) => Promise<boolean>;
  consentRefused: (err: unknown) => boolean;
  /** The page's own message line (e.g. the consent declined, the address book failed). */
  setPageError: (message: string) => void;
}

export default function AddressSection({ addresses, address, onSaved, onChoose, consented, consentRefused, setPageError }: Props) {
  const [form, setForm] = useState<AddressForm | null>(null);
  // Each refusal beside its own field; formError is the server's word on the whole address, above 保存地址.
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<AddressField, string>>>({});
  const [formError, setFormError] = useState('');
  const [picking, setPicking] = useState(false);

  const openForm = () => {
    setForm({ ...EMPTY_ADDRESS_FORM });
    setFieldErrors({});
    setFormError('');
  };
  const editForm = (patch: Partial<AddressForm>) => {
    if (!form) return;
    setForm({ ...form, ...patch });
    // A field's refusal goes once that field is touched again; the check runs in full on 保存地址.
    const touched = Object.keys(patch) as AddressField[];
    if (touched.some((k) => fieldErrors[k])) setFieldErrors(Object.fromEntries(Object.entries(fieldErrors).filter(([k]) => !touched.includes(k as AddressField))));
    setFormError('');
  };

  // One save at a time: a double tap on 保存地址 must not store the address twice (each save is a new address).
  const saving = useRef(false);
  const [busy, setBusy] = useState(false);
  const saveForm = async () => {
    if (!form || saving.current) return;
    saving.current = true;
    setBusy(true);
    try {
      await saveFormOnce(form);
    } finally {
      saving.current = false;
      setBusy(false);
    }
  };
  const saveFormOnce = async (form: AddressForm) => {
    const problems = addressFormProblems(form);
    setFieldErrors(problems);
    setFormError('');
    const first = ADDRESS_FIELDS.find((f) => problems[f.key]);
    if (first) {
      // The refusal is beside the field: bring the first one into view (the form can be taller than the screen).
      void Taro.pageScrollTo({ selector: `.address-form__row--${first.key}`, duration: 200 }).catch(() => undefined);
      return;
    }
    const shipping = toShippingAddress(form);
    try {
      if (!(await consented())) return;
      const save = () => callFunction('shop', 'saveAddress', { ...shipping, isDefault: addresses.length === 0 });
      // The server's word wins over the last login's: it asks again, then the save is tried once more.
      const saved = await save().catch(async (err: unknown) => {
        if (consentRefused(err) && (await consented(true))) return save();
        throw err;
      });
      onSaved(saved);
      setForm(null);
      setPageError('');
    } catch (err) {
      setFormError(errorMessage(err));
    }
  };

  const chooseAddress = async () => {
    setPageError('');
    try {
      if (!(await consented())) return;
    } catch (err) {
      setPageError(errorMessage(err));
      return;
    }
    if (process.env.TARO_ENV !== 'weapp') {
      openForm();
      return;
    }
    try {
      const picked = await Taro.chooseAddress();
      const saved = await callFunction('shop', 'saveAddress', {
        name: picked.userName,
        phone: picked.telNumber,
        province: picked.provinceName,
        city: picked.cityName,
        district: picked.countyName,
        detail: picked.detailInfo,
        isDefault: addresses.length === 0,
      });
      onSaved(saved);
    } catch (err) {
      if (err instanceof CloudError) void Taro.showToast({ title: err.message, icon: 'none' });
      // WeChat's address book is not available (declined, or not allowed here): the form, with WeChat's region picker.
      else if (!/cancel/i.test((err as { errMsg?: string } | null)?.errMsg ?? '')) openForm();
      // The picker was closed: nothing to do.
    }
  };

  return (
    <>
      <View className='card address-card' onClick={() => (addresses.length > 1 ? setPicking(true) : void chooseAddress())}>
        {address ? (
          <>
            <View className='row'>
              <Text className='address-card__name'>
                {address.name} {address.phone}
              </Text>
              <Text className='muted'>更换 ›</Text>
            </View>
            <Text className='muted address-card__detail'>
              {address.province}
              {address.city}
              {address.district} {address.detail}
            </Text>
          </>
        ) : (
          <View className='row'>
            <Text className='address-card__empty'>＋ 添加收货地址</Text>
            {process.env.TARO_ENV === 'weapp' ? (
              // A View, not a Text: when an address arrives this slot becomes the 更换 text, and Taro's weapp runtime
              // fails on a Text that loses its tap handler while it stays mounted.
              <View
                className='muted address-card__manual'
                onClick={(e) => {
                  e.stopPropagation();
                  openForm();
                }}
              >
                手动填写 ›
              </View>
            ) : (
              <Text className='muted'>›</Text>
            )}
          </View>
        )}
      </View>

      {form && (
        <View className='card address-form'>
          <Text className='card__title'>新的收货地址</Text>
          {ADDRESS_FIELDS.map((field) => (
            <View key={field.key} className={`address-form__row address-form__row--${field.key}${fieldErrors[field.key] ? ' address-form__row--invalid' : ''}`}>
              <View className='form-row'>
                <Text className='form-row__label'>{field.label}</Text>
                {field.key === 'region' ? (
                  <RegionPicker className='form-row__input address-form__region' value={form.region} onChange={(region) => editForm({ region })} />
                ) : (
                  <Input
                    className={`form-row__input address-form__${field.key}`}
                    value={form[field.key]}
                    placeholder={field.placeholder}
                    type={field.key === 'phone' ? 'number' : 'text'}
                    maxlength={field.key === 'detail' ? 120 : 20}
                    onInput={(e) => editForm({ [field.key]: e.detail.value })}
                  />
                )}
              </View>
              {fieldErrors[field.key] && <Text className={`address-form__error address-form__error--${field.key}`}>{fieldErrors[field.key]}</Text>}
            </View>
          ))}
          {formError && <Text className='form-error address-form__server-error'>{formError}</Text>}
          <View className='sheet__actions'>
            <View className='ghost-button address-form__cancel' onClick={() => setForm(null)}>
              取消
            </View>
            <View className={`primary-button address-form__save${busy ? ' primary-button--disabled' : ''}`} onClick={() => void saveForm()}>
              {busy ? '保存中…' : '保存地址'}
            </View>
          </View>
        </View>
      )}

      {picking && (
        <View className='sheet-mask address-picker' onClick={() => setPicking(false)}>
          <View className='sheet' onClick={(e) => e.stopPropagation()}>
            <Text className='sheet__title'>选择收货地址</Text>
            {addresses.map((a) => (
              <View key={a.id} className={`picker-row${address?.id === a.id ? ' picker-row--on' : ''}`} onClick={() => { onChoose(a.id); setPicking(false); }}>
                {a.name} {a.phone} · {a.city}
                {a.district} {a.detail}
              </View>
            ))}
            <View className='picker-row address-picker__new' onClick={() => { setPicking(false); void chooseAddress(); }}>
              ＋ 新地址
            </View>
            {process.env.TARO_ENV === 'weapp' && (
              <View className='picker-row address-picker__manual' onClick={() => { setPicking(false); openForm(); }}>
                ＋ 手动填写新地址
              </View>
            )}
          </View>
        </View>
      )}
    </>
  );
}
