/**
 * Personal data at rest (DESIGN rule 13): a shipping address's name, phone number and street are stored encrypted
 * with AES-256-GCM under the key in PII_KEY (32 bytes, base64), set in the function's environment — in production
 * from the deployment (cloudbaserc.json), locally by the local cloud (its documented development key). Province,
 * city and district stay readable (the region a parcel goes to is not a person). Decrypted only for the owner's own
 * views and the merchant's shipping view. A value written before encryption (no prefix) reads as it is.
 */
import crypto from 'node:crypto';
import type { ShippingAddress } from '../../types/models';

const PREFIX = 'enc:v1:';
const SEALED_FIELDS = ['name', 'phone', 'detail'] as const;

function key(env: NodeJS.ProcessEnv = process.env): Buffer {
  const raw = env.PII_KEY;
  if (!raw) throw new Error('PII_KEY is not set: personal data cannot be stored');
  const k = Buffer.from(raw, 'base64');
  if (k.length !== 32) throw new Error('PII_KEY must be 32 bytes, base64');
  return k;
}

/** "enc:v1:<iv>.<tag>.<ciphertext>" (base64url parts); a random IV per value. */
export function seal(plain: string, env?: NodeJS.ProcessEnv): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key(env), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${PREFIX}${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
}

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PREFIX);
}

/** The plain text of a sealed value (a value stored before encryption comes back unchanged). */
export function unseal(value: string, env?: NodeJS.ProcessEnv): string {
  if (!isSealed(value)) return value;
  const [iv, tag, body] = value.slice(PREFIX.length).split('.');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key(env), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/**
 * The address as stored: name, phone and street sealed. Its input is what a person typed, always sealed: text that
 * merely looks sealed ("enc:v1:…") is text like any other (left as it was, it would be unreadable later).
 */
export function sealAddress<T extends ShippingAddress>(a: T): T {
  const out = { ...a };
  for (const f of SEALED_FIELDS) if (typeof out[f] === 'string') (out as ShippingAddress)[f] = seal(out[f]);
  return out;
}

/** The address as its owner (or the merchant shipping it) reads it. */
export function openAddress<T extends ShippingAddress>(a: T): T {
  const out = { ...a };
  for (const f of SEALED_FIELDS) if (typeof out[f] === 'string') (out as ShippingAddress)[f] = unseal(out[f]);
  return out;
}
