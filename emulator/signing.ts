/**
 * Verifies the TC3-HMAC-SHA256 signature @cloudbase/node-sdk puts on every /admin request (service "tcb"),
 * recomputed from what is on the wire: the signed headers, the signed body parameters, host, path and query.
 */
import crypto from 'node:crypto';

export interface KeyPair {
  secretId: string;
  secretKey: string;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

const SIGNATURE_TTL_S = 600;

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const hmac = (key: string | Buffer, s: string) => crypto.createHmac('sha256', key).update(s).digest();

/** The derived signing key of a (secret key, date): three HMACs, the same for every request of that day. */
const signingKeys = new Map<string, Buffer>();
function signingKey(secretKey: string, date: string): Buffer {
  const id = `${date}\u0000${secretKey}`;
  let key = signingKeys.get(id);
  if (!key) {
    key = hmac(hmac(hmac(`TC3${secretKey}`, date), 'tcb'), 'tc3_request');
    if (signingKeys.size >= 16) signingKeys.clear();
    signingKeys.set(id, key);
  }
  return key;
}

function camSafe(key: string): string {
  // encodeURIComponent throws URIError on a lone surrogate; callers treat that as an unsignable key.
  return encodeURIComponent(key.toLowerCase().trim()).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function parseAuthorization(header: string) {
  const m = /^TC3-HMAC-SHA256 (.*)$/.exec(header.trim());
  if (!m) return null;
  const parts: Record<string, string> = {};
  for (const piece of m[1].split(',')) {
    const eq = piece.indexOf('=');
    if (eq > 0) parts[piece.slice(0, eq).trim()] = piece.slice(eq + 1).trim();
  }
  if (!parts.Credential || !parts.SignedHeaders || !parts.Signature) return null;
  return parts;
}

export function verifySignature(input: VerifyInput): Verdict {
  try {
    return verify(input);
  } catch (e) {
    // Hostile input (e.g. a key with a lone surrogate) must be refused, not turned into an internal error.
    return { ok: false, reason: `unverifiable request: ${(e as Error).message}` };
  }
}

interface VerifyInput {
  keys: KeyPair;
  method: string;
  host: string;
  path: string;
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  nowSeconds: number;
}

function verify(input: VerifyInput): Verdict {
  const authorization = input.headers.authorization;
  if (typeof authorization !== 'string') return { ok: false, reason: 'missing authorization' };
  const auth = parseAuthorization(authorization);
  if (!auth) return { ok: false, reason: 'malformed authorization' };
  const [secretId, date, service, terminator] = auth.Credential.split('/');
  if (secretId !== input.keys.secretId) return { ok: false, reason: 'unknown secretId' };
  if (service !== 'tcb' || terminator !== 'tc3_request') return { ok: false, reason: 'bad credential scope' };
  const ts = Number(input.headers['x-timestamp']);
  if (!Number.isSafeInteger(ts) || Math.abs(input.nowSeconds - ts) > SIGNATURE_TTL_S) return { ok: false, reason: 'stale or missing x-timestamp' };
  if (new Date(ts * 1000).toISOString().slice(0, 10) !== date) return { ok: false, reason: 'credential date mismatch' };

  const signedHeaders = auth.SignedHeaders.split(';');
  if (!signedHeaders.includes('host')) return { ok: false, reason: 'host must be signed' };
  let canonicalHeaders = '';
  for (const name of signedHeaders) {
    const raw = input.headers[name];
    if (typeof raw !== 'string') return { ok: false, reason: `signed header ${name} missing` };
    let value = raw.trim().toLowerCase();
    if (name === 'content-type' && value.startsWith('multipart/form-data')) value = 'multipart/form-data';
    canonicalHeaders += `${name}:${value}\n`;
  }
  if (input.headers.host !== input.host) return { ok: false, reason: 'host mismatch' };

  // Body parameters: lower-cased keys, strings as they are (trimmed), other values JSON; empty values unsigned.
  // A multipart request's binary parts (Buffers) are signed as their bytes, untrimmed.
  const params = new Map<string, string | Buffer>();
  const seen = new Set<string>();
  for (const [k, v] of Object.entries(input.body)) {
    if (v === undefined) continue;
    const value = Buffer.isBuffer(v) ? v : (typeof v === 'string' ? v : JSON.stringify(v)).trim();
    const key = camSafe(k);
    // Two body keys with one signed name ("action" and "ACTION") would let a replay swap the value actually used.
    if (seen.has(key)) return { ok: false, reason: `parameter ${key} appears more than once` };
    seen.add(key);
    if (Buffer.isBuffer(value) || value !== '') params.set(key, value);
  }
  const signedParams = auth.SignedParams ? auth.SignedParams.split(';').filter(Boolean) : [...params.keys()].sort((a, b) => a.localeCompare(b));
  for (const k of params.keys()) if (!signedParams.includes(k)) return { ok: false, reason: `parameter ${k} is not signed` };
  const hash = crypto.createHash('sha256');
  for (const k of signedParams) {
    const v = params.get(k);
    if (v === undefined) continue;
    hash.update(`&${k}=`);
    hash.update(v);
    hash.update('\r\n');
  }
  const canonicalRequest = `${input.method.toLowerCase()}\n//${input.host}${input.path}\n${input.rawQuery}\n${canonicalHeaders}\n${signedHeaders.join(';')}\n${hash.digest('hex')}`;
  const stringToSign = `TC3-HMAC-SHA256\n${ts}\n${date}/tcb/tc3_request\n${sha256(canonicalRequest)}`;
  const expected = crypto.createHmac('sha256', signingKey(input.keys.secretKey, date)).update(stringToSign).digest('hex');
  const given = auth.Signature;
  // Compare byte lengths: a non-ASCII signature of the right character count made timingSafeEqual throw.
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) {
    return { ok: false, reason: 'signature mismatch' };
  }
  return { ok: true };
}
