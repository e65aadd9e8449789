/** The CloudBase app and database for this instance (the same code runs on CloudBase and on the local cloud). */
import tcb from '@cloudbase/node-sdk';

type App = ReturnType<typeof tcb.init>;
export type Database = ReturnType<App['database']>;

let app: App | null = null;

export function cloud(): App {
  if (!app) app = tcb.init({ env: tcb.SYMBOL_CURRENT_ENV });
  return app;
}

export function database(): Database {
  return cloud().database();
}

/** True when a write failed because a unique key (an _id or a unique index) already exists. */
export function isDuplicateKey(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err?.code === 'DATABASE_REQUEST_FAILED' && /E11000|duplicate key|UNIQUE constraint/i.test(err.message ?? '');
}
