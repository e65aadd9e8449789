/**
 * The one typed call to the back end. Every page goes through `callFunction`; tests plug their mocks in here only
 * (`setTransport` for unit tests, `wx.cloud.callFunction` for compiled-page tests).
 */
import Taro from '@tarojs/taro';
import type { ActionName, FunctionName, PayloadOf, ResultOf } from '../../types/api';
import { messageFor } from '../../types/errors';

/** A call with no answer after this long is reported as a network failure, so no page waits forever. */
export const CALL_TIMEOUT_MS = 15_000;

export class CloudError extends Error {
  readonly code: string;

  constructor(code: string, message?: string) {
    super(message || messageFor(code));
    this.name = 'CloudError';
    this.code = code;
  }
}

/** What a function receives: `{ action, ...payload }`. */
export type CallBody = { action: string } & Record<string, unknown>;
/** Delivers one call and resolves with the raw envelope; rejects only when the call never got an answer. */
export type Transport = (fn: string, body: CallBody) => Promise<unknown>;

const weappTransport: Transport = async (fn, body) => {
  const res = await Taro.cloud.callFunction({ name: fn, data: body });
  return res.result;
};

// --- h5: the local cloud's HTTP gateway with a per-tab dev identity -------------------------------------------

const TOKEN_KEY = 'tsfy.devToken';
const OPENID_KEY = 'tsfy.devOpenid';

export function cloudBase(): string {
  return (process.env.TARO_APP_CLOUD_URL || '').replace(/\/+$/, '');
}

function randomGuestOpenid(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  for (let i = 0; i < 10; i += 1) id += alphabet[Math.floor(Math.random() * alphabet.length)];
  return `guest-${id}`;
}

// Shared so that the first burst of calls in a fresh tab logs in once, not once per call.
let pendingLogin: Promise<string> | null = null;

function devLogin(): Promise<string> {
  if (!pendingLogin) {
    pendingLogin = (async () => {
      const openid = sessionStorage.getItem(OPENID_KEY) || randomGuestOpenid();
      const res = await fetch(`${cloudBase()}/__dev/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ openid }),
      });
      const body = (await res.json()) as { token?: unknown };
      if (!res.ok || typeof body.token !== 'string') throw new CloudError('UNAUTHENTICATED');
      sessionStorage.setItem(TOKEN_KEY, body.token);
      sessionStorage.setItem(OPENID_KEY, openid);
      return body.token;
    })().finally(() => {
      pendingLogin = null;
    });
  }
  return pendingLogin;
}

async function postFunction(fn: string, body: CallBody, token: string): Promise<{ status: number; envelope: unknown }> {
  const res = await fetch(`${cloudBase()}/fn/${encodeURIComponent(fn)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  let envelope: unknown;
  try {
    envelope = await res.json();
  } catch {
    envelope = undefined;
  }
  // A gateway or proxy error page is not an answer from the function.
  if (!isEnvelope(envelope) && !res.ok && res.status !== 401) throw new CloudError('NETWORK');
  return { status: res.status, envelope };
}

const h5Transport: Transport = async (fn, body) => {
  // Read each time: the dev bar may switch this tab's identity between calls.
  const token = sessionStorage.getItem(TOKEN_KEY) || (await devLogin());
  const first = await postFunction(fn, body, token);
  if (first.status !== 401) return first.envelope;
  sessionStorage.removeItem(TOKEN_KEY);
  const retry = await postFunction(fn, body, await devLogin());
  if (retry.status === 401 && !isEnvelope(retry.envelope)) throw new CloudError('UNAUTHENTICATED');
  return retry.envelope;
};

/**
 * A request to the local cloud's HTTP gateway as this tab's dev identity (h5 only), for what is not a function call
 * (the picture upload, services/images.ts): the bearer token, and one retry with a fresh token on a 401. `init.body`
 * must be sendable twice (a string, a Blob or a File).
 */
export async function fetchAsTab(path: string, init: { method: string; headers?: Record<string, string>; body?: BodyInit; signal?: AbortSignal }): Promise<Response> {
  const send = (token: string) => fetch(`${cloudBase()}${path}`, { ...init, headers: { ...init.headers, Authorization: `Bearer ${token}` } });
  const first = await send(sessionStorage.getItem(TOKEN_KEY) || (await devLogin()));
  if (first.status !== 401) return first;
  sessionStorage.removeItem(TOKEN_KEY);
  return send(await devLogin());
}

// ---------------------------------------------------------------------------------------------------------------

const defaultTransport: Transport = process.env.TARO_ENV === 'h5' ? h5Transport : weappTransport;
let transport: Transport = defaultTransport;

/** For unit tests: replace how calls are delivered; `null` restores the platform's transport. */
export function setTransport(next: Transport | null): void {
  transport = next ?? defaultTransport;
}

function isEnvelope(value: unknown): value is { ok: boolean; data?: unknown; code?: unknown; message?: unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

/** WeChat reports a function that crashed (rather than a call that never arrived) with errCode -404011. */
function transportFailureCode(err: unknown): string {
  const text = err instanceof Error ? err.message : typeof err === 'object' && err ? String((err as { errMsg?: unknown }).errMsg) : '';
  return text.includes('-404011') ? 'INTERNAL' : 'NETWORK';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CloudError('NETWORK')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function callFunction<F extends FunctionName, A extends ActionName<F>>(
  fn: F,
  action: A,
  payload: PayloadOf<F, A>,
): Promise<ResultOf<F, A>> {
  let envelope: unknown;
  try {
    envelope = await withTimeout(transport(fn, { ...(payload as Record<string, unknown>), action }), CALL_TIMEOUT_MS);
  } catch (err) {
    if (err instanceof CloudError) throw err;
    throw new CloudError(transportFailureCode(err));
  }
  if (!isEnvelope(envelope)) throw new CloudError('INTERNAL');
  if (envelope.ok) return envelope.data as ResultOf<F, A>;
  const code = typeof envelope.code === 'string' ? envelope.code : 'INTERNAL';
  const message = typeof envelope.message === 'string' ? envelope.message : undefined;
  throw new CloudError(code, message);
}

/**
 * A save refused because another device (or tab) saved the same thing after this form was read (EDIT_STALE): nothing
 * was written; the editor loads what is there now and shows the message.
 */
export function isStaleEdit(err: unknown): boolean {
  return err instanceof CloudError && err.code === 'EDIT_STALE';
}

/** The message to show for any error a call may throw. */
export function errorMessage(err: unknown): string {
  return err instanceof CloudError ? err.message : messageFor('INTERNAL');
}
