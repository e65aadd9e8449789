/**
 * Who is calling, read from this invocation's own context — never from the request body and never from
 * process.env, which every call running in the same instance shares.
 */
export interface Identity {
  /** The WeChat openid of the calling user; null for timers and server-to-server calls. */
  openid: string | null;
  appid: string | null;
  /** 'user' = a shopper's client; 'timer' = a timer trigger; 'server' = another function or a server tool. */
  source: 'user' | 'timer' | 'server';
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

export function identityFrom(context: FunctionContext | undefined): Identity {
  const env = contextEnv(context);
  const openid = env.WX_OPENID || null;
  if (openid) return { openid, appid: env.WX_APPID || null, source: 'user' };
  return { openid: null, appid: null, source: env.TRIGGER_SRC === 'timer' ? 'timer' : 'server' };
}
