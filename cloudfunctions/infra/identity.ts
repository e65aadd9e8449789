/**
 * Who is calling, read from this invocation's own context — never from the request body and never from
 * process.env, which every call running in the same instance shares.
 */
export interface Identity {
  /** The WeChat openid of the calling user; null for timers and server-to-server calls. */
  openid: string | null;
  appid: string | null;
  /**
   * 'user' = a shopper's client; 'timer' = a timer trigger; 'server' = another function or a server tool;
   * 'anonymous' = a client with no WeChat openid (a web SDK login, a call shared across accounts): neither a user
   * of this mini-program nor the platform.
   */
  source: 'user' | 'timer' | 'server' | 'anonymous';
}

export interface FunctionContext {
  request_id?: string;
  function_name?: string;
  environ?: string;
  environment?: string;
}

/** The invocation's environment: CloudBase puts it in `context.environment` (JSON) and `context.environ` (k=v;…). */
export function contextEnv(context: FunctionContext | undefined): Record<string, string> {
  if (!context) return {};
  if (typeof context.environment === 'string' && context.environment) {
    try {
      const parsed = JSON.parse(context.environment) as Record<string, unknown>;
      if (parsed && typeof parsed === 'object') {
        return Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
      }
    } catch {
      // fall through to environ
    }
  }
  const out: Record<string, string> = {};
  for (const pair of (context.environ ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0) out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** What a client caller's context carries besides (or instead of) a WeChat openid: never a platform call. */
const CLIENT_MARKS = ['TCB_UUID', 'TCB_ISANONYMOUS_USER', 'TCB_CUSTOM_USER_ID', 'FROM_OPENID', 'FROM_APPID', 'FROM_UNIONID'];

/**
 * The platform is recognised by evidence, not by a missing openid: a call without one is a timer (TRIGGER_SRC), or a
 * server call only when it carries none of a client's marks; a client without an openid is 'anonymous'.
 */
export function identityFrom(context: FunctionContext | undefined): Identity {
  const env = contextEnv(context);
  const openid = env.WX_OPENID || null;
  if (openid) return { openid, appid: env.WX_APPID || null, source: 'user' };
  if (env.TRIGGER_SRC === 'timer') return { openid: null, appid: null, source: 'timer' };
  if (CLIENT_MARKS.some((k) => env[k])) return { openid: null, appid: null, source: 'anonymous' };
  return { openid: null, appid: null, source: 'server' };
}
