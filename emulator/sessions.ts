/** Signed dev sessions for the browser build: a token names an openid and cannot be forged without the secret. */
import crypto from 'node:crypto';
import type { Store } from './store';

const TTL_MS = 30 * 24 * 3600 * 1000;
const OPENID_RE = /^[A-Za-z0-9_-]{1,64}$/;

export class Sessions {
  private readonly secret: Buffer;

  constructor(store: Store) {
    let secret = store.meta('sessionSecret');
    if (!secret) {
      secret = crypto.randomBytes(32).toString('hex');
      store.setMeta('sessionSecret', secret);
    }
    this.secret = Buffer.from(secret, 'hex');
  }

  static validOpenid(openid: unknown): openid is string {
    return typeof openid === 'string' && OPENID_RE.test(openid);
  }

  issue(openid: string): string {
    const expires = Date.now() + TTL_MS;
    const payload = `${Buffer.from(openid).toString('base64url')}.${expires}`;
    return `${payload}.${this.sign(payload)}`;
  }

  /** The openid a token names, or null when it is missing, forged or expired. */
  verify(token: string | undefined): string | null {
    if (!token) return null;
    const parts = token.split('.');
    if (parts.length !== 3) return null;
    const payload = `${parts[0]}.${parts[1]}`;
    const expected = this.sign(payload);
    const given = Buffer.from(parts[2]);
    const want = Buffer.from(expected);
    if (given.length !== want.length || !crypto.timingSafeEqual(given, want)) return null;
    if (!(Number(parts[1]) > Date.now())) return null;
    const openid = Buffer.from(parts[0], 'base64url').toString();
    return Sessions.validOpenid(openid) ? openid : null;
  }

  private sign(payload: string): string {
    return crypto.createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}
