/** The signed-in shopper: `user.login` runs once per launch and every page shares its promise. */
import type { Me, PayloadOf } from '../../types/api';
import { callFunction } from './cloud';

export type LoginParams = PayloadOf<'user', 'login'>;

let mePromise: Promise<Me> | null = null;

/** Logs in on the first call (with the launch's invite params, if any); later calls share the same promise. */
export function getMe(params: LoginParams = {}): Promise<Me> {
  if (!mePromise) {
    const attempt = callFunction('user', 'login', params);
    mePromise = attempt;
    // A failed login must not stick: the next caller (e.g. a 重试 button) tries again.
    attempt.catch(() => {
      if (mePromise === attempt) mePromise = null;
    });
  }
  return mePromise;
}

/** Forget the cached shopper (identity switched, or a retry after an error). */
export function resetSession(): void {
  mePromise = null;
}
