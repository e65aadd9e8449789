/** Shipping address rules, pure: what the server accepts from the WeChat address picker or the browser form. */
import type { ShippingAddress } from '../../types/models';

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;
// Control characters and markup have no place on a parcel label.
const UNSAFE = /[\u0000-\u001f\u007f<>]/;

const LIMITS: Record<keyof ShippingAddress, [number, number]> = {
  name: [1, 20],
  phone: [7, 20],
  province: [1, 20],
  city: [1, 20],
  district: [1, 20],
  detail: [2, 120],
};

export type AddressVerdict = { ok: true; address: ShippingAddress } | { ok: false; field: keyof ShippingAddress };

/** Trims every field, then checks lengths, the phone number (mainland mobile or landline) and unsafe characters. */
export function validateAddress(input: ShippingAddress): AddressVerdict {
  const out = {} as ShippingAddress;
  for (const key of Object.keys(LIMITS) as (keyof ShippingAddress)[]) {
    const raw = input[key];
    const value = typeof raw === 'string' ? raw.trim().replace(/\s+/g, key === 'phone' ? '' : ' ') : '';
    const [min, max] = LIMITS[key];
    if ([...value].length < min || [...value].length > max || UNSAFE.test(value)) return { ok: false, field: key };
    out[key] = value;
  }
  if (!MOBILE.test(out.phone) && !LANDLINE.test(out.phone)) return { ok: false, field: 'phone' };
  return { ok: true, address: out };
}
