/**
 * The one shape of every function entry: `main = createHandler('fn', { action: { schema, access, run } })`.
 * It validates the payload with zod, takes identity and the clock from the invocation context, checks access,
 * runs the use case and maps every failure to `{ ok: false, code, message }` (unknown errors → INTERNAL, logged).
 */
import { z } from 'zod';
import type { ActionName, Envelope, FunctionName, PayloadOf, ResultOf } from '../../types/api';
import { ERRORS } from '../../types/errors';
import { Clock, clockFrom } from './clock';
import { database, Database } from './db';
import { AppError } from './errors';
import { FunctionContext, Identity, identityFrom } from './identity';
import { payloadProblem } from '../../types/payloadLimits';
import { invalidArgumentMessage } from './validationMessages';

/** Who may call an action: a signed-in user, a merchant, only the platform (timer / server), or anyone. */
export type Access = 'user' | 'merchant' | 'platform' | 'platformOrMerchant';

export interface Ctx {
  identity: Identity;
  /** The caller's openid; set whenever access requires a user. */
  openid: string;
  clock: Clock;
  db: Database;
  requestId: string;
}

export interface ActionDef<S extends z.ZodTypeAny, R> {
  schema: S;
  access: Access;
  run(input: z.infer<S>, ctx: Ctx): Promise<R>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyAction = ActionDef<any, any>;

export function action<S extends z.ZodTypeAny, R>(def: ActionDef<S, R>): ActionDef<S, R> {
  return def;
}

export function merchantOpenids(): Set<string> {
  return new Set((process.env.MERCHANT_OPENIDS ?? '').split(',').map((s) => s.trim()).filter(Boolean));
}

/** Merchant role check on the server: configured openids (the owners), or the role stored on a user not blocked. */
export async function isMerchant(db: Database, openid: string): Promise<boolean> {
  if (merchantOpenids().has(openid)) return true;
  const res = await db.collection('users').doc(openid).get();
  const user = res.data?.[0] as { roles?: string[]; blocked?: unknown } | undefined;
  return !!user?.roles?.includes('merchant') && !user.blocked;
}

/**
 * What the contract (types/api.ts) asks of a function's actions: one per contract action, whose schema produces
 * that action's payload and whose run resolves to its result. A contract change therefore breaks the build.
 */
export type HandlerActions<F extends FunctionName> = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [A in ActionName<F>]: ActionDef<z.ZodType<PayloadOf<F, A>, any, unknown>, ResultOf<F, A>>;
};

/** Every key of T that the contract of F does not know maps to never, so a handler outside the contract fails to compile. */
export type OnlyContractActions<F extends FunctionName, T> = { [K in Exclude<keyof T, ActionName<F>>]: never };

/** `createHandler('shop', { listProducts: action({...}), ... })`: the actions of function F, checked against its contract. */
export function createHandler<F extends FunctionName, T extends HandlerActions<F>>(fn: F, actions: T & OnlyContractActions<F, T>) {
  return handlerFor(fn, actions as Record<string, AnyAction>);
}

/**
 * Some of the actions of function F, each still checked against the contract: for a test or benchmark fixture that
 * serves one action of a function (never for a deployed function, which must serve all of them).
 */
export function createPartialHandler<F extends FunctionName, T extends Partial<HandlerActions<F>>>(fn: F, actions: T & OnlyContractActions<F, T>) {
  return handlerFor(fn, actions as Record<string, AnyAction>);
}

function handlerFor(fn: FunctionName, actions: Record<string, AnyAction>) {
  return async function main(event: unknown, context: FunctionContext): Promise<Envelope<unknown>> {
    const requestId = context?.request_id ?? '';
    // Before anything reads the event: a too deep or too big one would overflow the stack of whatever recurses on it.
    const tooMuch = payloadProblem(event);
    if (tooMuch) return { ok: false, code: tooMuch, message: ERRORS[tooMuch] };
    try {
      const name = (event as { action?: unknown })?.action;
      if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(actions, name)) {
        return { ok: false, code: 'UNKNOWN_ACTION', message: ERRORS.UNKNOWN_ACTION };
      }
      const def = actions[name];
      const identity = identityFrom(context);
      const db = database();
      await checkAccess(def.access, identity, db);
      // `userInfo` is what WeChat injects into every call from the mini-program ({appId, openId}): dropped unread (the
      // identity is the context's), so a strict schema does not refuse every real call for it.
      const { action: _drop, userInfo: _platform, ...payload } = event as Record<string, unknown>;
      const parsed = def.schema.safeParse(payload);
      if (!parsed.success) return { ok: false, code: 'INVALID_ARGUMENT', message: invalidArgumentMessage(parsed.error.issues[0]) };
      const data = await def.run(parsed.data, { identity, openid: identity.openid ?? '', clock: clockFrom(context), db, requestId });
      return { ok: true, data };
    } catch (e) {
      if (e instanceof AppError) return { ok: false, code: e.code, message: e.message };
      console.error(`[${context?.function_name ?? fn}] ${requestId} internal error`, e);
      return { ok: false, code: 'INTERNAL', message: ERRORS.INTERNAL };
    }
  };
}

async function checkAccess(access: Access, identity: Identity, db: Database) {
  const platform = identity.source === 'timer' || identity.source === 'server';
  switch (access) {
    case 'user':
      if (!identity.openid) throw new AppError('UNAUTHENTICATED');
      return;
    case 'platform':
      if (!platform) throw new AppError('FORBIDDEN');
      return;
    case 'merchant':
      if (!identity.openid) throw new AppError('UNAUTHENTICATED');
      if (!(await isMerchant(db, identity.openid))) throw new AppError('FORBIDDEN');
      return;
    case 'platformOrMerchant':
      if (platform) return;
      if (!identity.openid || !(await isMerchant(db, identity.openid))) throw new AppError('FORBIDDEN');
      return;
  }
}
