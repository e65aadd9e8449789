/**
 * The checkout's address form: the fields, and what is wrong with each in words, before anything is sent. Mirrors the
 * server's rules (cloudfunctions/domain/shopAddress.ts: trimmed lengths, a mainland mobile or a landline, no markup).
 */
import type { ShippingAddress } from '../../../types/models';
import type { Region } from './regions/RegionPicker';

export interface AddressForm {
  name: string;
  phone: string;
  region: Region | null;
  detail: string;
}

export type AddressField = keyof AddressForm;

export const EMPTY_ADDRESS_FORM: AddressForm = { name: '', phone: '', region: null, detail: '' };

export const ADDRESS_FIELDS: { key: AddressField; label: string; placeholder: string }[] = [
  { key: 'name', label: '收货人', placeholder: '姓名' },
  { key: 'phone', label: '手机号', placeholder: '11 位手机号' },
  { key: 'region', label: '所在地区', placeholder: '选择省 / 市 / 区' },
  { key: 'detail', label: '详细地址', placeholder: '街道、楼栋、门牌号' },
];

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;
const UNSAFE = /[\u0000-\u001f\u007f<>]/;

/** Spaces typed or pasted inside a number ("138 0013 8000") are not part of it. */
export const normalizePhone = (phone: string) => phone.replace(/\s+/g, '');

const length = (s: string) => [...s.trim()].length;

/** Every field's problem, keyed by field; empty when the address can be saved. */
export function addressFormProblems(form: AddressForm): Partial<Record<AddressField, string>> {
  const problems: Partial<Record<AddressField, string>> = {};
  if (!form.name.trim()) problems.name = '请填写收货人姓名';
  else if (length(form.name) > 20) problems.name = '收货人姓名最多 20 个字';
  else if (UNSAFE.test(form.name)) problems.name = '收货人姓名不能包含 < > 等符号';

  const phone = normalizePhone(form.phone);
  if (!phone) problems.phone = '请填写手机号';
  else if (!MOBILE.test(phone) && !LANDLINE.test(phone)) problems.phone = '手机号格式不对，请填写 11 位手机号';

  if (!form.region || form.region.some((part) => !part.trim())) problems.region = '请选择所在地区';

  if (!form.detail.trim()) problems.detail = '请填写详细地址';
  else if (length(form.detail) < 2) problems.detail = '详细地址太短，请写到门牌号';
  else if (length(form.detail) > 120) problems.detail = '详细地址最多 120 个字';
  else if (UNSAFE.test(form.detail)) problems.detail = '详细地址不能包含 < > 等符号';
  return problems;
}

/** What shop.saveAddress takes (only called once addressFormProblems found nothing). */
export function toShippingAddress(form: AddressForm): ShippingAddress {
  const [province, city, district] = form.region ?? ['', '', ''];
  return { name: form.name.trim(), phone: normalizePhone(form.phone), province, city, district, detail: form.detail.trim().replace(/\s+/g, ' ') };
}
