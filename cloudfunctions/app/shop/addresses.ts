/** Saved shipping addresses (`addresses`), validated on the server; one default per shopper. */
import crypto from 'node:crypto';
import type { AddressView } from '../../../types/api';
import type { ShippingAddress } from '../../../types/models';
import type { AddressDoc } from '../../../types/modules/shop.models';
import { validateAddress } from '../../domain/shopAddress';
import { collection } from '../../infra/collections';
import { AppError } from '../../infra/errors';
import type { Ctx } from '../../infra/handler';
import { openAddress, sealAddress } from '../../infra/personalData';
import { FIELD_LABELS } from '../../infra/validationMessages';
import { assertConsented } from '../privacy';

const MAX_ADDRESSES = 20;

/** The owner's view: name, phone and street decrypted (stored sealed: infra/personalData). */
function view(stored: AddressDoc): AddressView {
  const a = openAddress(stored);
  return { id: a._id, name: a.name, phone: a.phone, province: a.province, city: a.city, district: a.district, detail: a.detail, isDefault: a.isDefault };
}

export async function listAddresses(ctx: Ctx): Promise<AddressView[]> {
  const res = await collection(ctx.db, 'addresses').where({ ownerId: ctx.openid }).limit(MAX_ADDRESSES).get();
  return res.data.sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || +new Date(b.updatedAt) - +new Date(a.updatedAt)).map(view);
}

export async function saveAddress(ctx: Ctx, input: ShippingAddress & { id?: string; isDefault?: boolean }): Promise<AddressView> {
  const v = validateAddress(input);
  if (!v.ok) throw new AppError('ADDRESS_INVALID', `收货地址的${FIELD_LABELS[v.field]}填写不正确`);
  const addresses = collection(ctx.db, 'addresses');
  const now = ctx.clock.now();
  // An address is personal data: only after the privacy consent (checked alongside the read of the saved ones).
  const [, res] = await Promise.all([assertConsented(ctx), addresses.where({ ownerId: ctx.openid }).limit(MAX_ADDRESSES).get()]);
  const mine = res.data;
  let doc: AddressDoc;
  if (input.id) {
    const existing = mine.find((a) => a._id === input.id);
    if (!existing) throw new AppError('ADDRESS_NOT_FOUND');
    doc = { ...existing, ...sealAddress(v.address), isDefault: input.isDefault ?? existing.isDefault, updatedAt: now };
    const { _id, ...rest } = doc;
    await addresses.doc(_id).set(rest);
  } else {
    if (mine.length >= MAX_ADDRESSES) throw new AppError('ADDRESS_LIMIT');
    doc = { _id: `a${crypto.randomBytes(12).toString('hex')}`, ownerId: ctx.openid, ...sealAddress(v.address), isDefault: input.isDefault ?? mine.length === 0, createdAt: now, updatedAt: now };
    await addresses.add(doc);
  }
  if (doc.isDefault) {
    const _ = ctx.db.command;
    await addresses.where({ ownerId: ctx.openid, isDefault: true, _id: _.neq(doc._id) }).update({ isDefault: false, updatedAt: now });
  }
  return view(doc);
}

export async function deleteAddress(ctx: Ctx, id: string): Promise<{ deleted: boolean }> {
  const res = await collection(ctx.db, 'addresses').where({ _id: id, ownerId: ctx.openid }).remove();
  if (!res.deleted) throw new AppError('ADDRESS_NOT_FOUND');
  return { deleted: true };
}
