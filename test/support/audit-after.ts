/**
 * The ledger audit at the end of every integration and e2e test file (jest `setupFilesAfterEnv` of both projects).
 * Every local cloud the file starts (`startLocalCloud`, which `startTestCloud` uses) is registered; when the test
 * closes it — or at the end of the file if it does not — the referral module's read-only audit recomputes every
 * wallet from its entries (cloudfunctions/app/referral/audit.ts, what `npm run audit` runs), and any mismatch fails
 * the file. A test that corrupts the ledger on purpose says so: `optOutOfLedgerAudit('why')`. LEDGER_AUDIT_VERBOSE=1
 * prints each audit.
 */
import type { LocalCloud, LocalCloudOptions } from '../../emulator/index';

interface Registered {
  cloud: LocalCloud;
  audited: boolean;
}

interface AuditState {
  clouds: Registered[];
  optOut: string | null;
  failures: string[];
  hooked: boolean;
}

const KEY = '__ledgerAuditAfter';
const state: AuditState = ((globalThis as Record<string, unknown>)[KEY] as AuditState | undefined) ?? { clouds: [], optOut: null, failures: [], hooked: false };
(globalThis as Record<string, unknown>)[KEY] = state;

/** This file corrupts the ledger on purpose (e.g. to see the audit report it): skip the audit at its end. */
export function optOutOfLedgerAudit(reason: string) {
  if (!reason.trim()) throw new Error('optOutOfLedgerAudit: say why');
  state.optOut = reason;
}

async function audit(entry: Registered) {
  if (entry.audited || state.optOut) return;
  entry.audited = true;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { auditLedger } = require('../../cloudfunctions/app/referral/audit') as typeof import('../../cloudfunctions/app/referral/audit');
  const { sdkFor } = require('./cloud') as typeof import('./cloud');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const prev = process.env.TENCENTCLOUD;
  process.env.TENCENTCLOUD = 'true';
  try {
    const report = await auditLedger(sdkFor(entry.cloud).database() as never);
    if (process.env.LEDGER_AUDIT_VERBOSE) console.log(`ledger audit of ${entry.cloud.url}: ${report.entries} entries, ${report.wallets} wallets, ${report.problems.length} problem(s)`);
    if (!report.ok) {
      const lines = report.problems.slice(0, 20).map((p) => `  ${p.kind}${p.userId ? ` [${p.userId}]` : ''}: ${p.detail}`);
      state.failures.push(`ledger audit of the local cloud at ${entry.cloud.url}: ${report.problems.length} problem(s)\n${lines.join('\n')}`);
    }
  } catch (e) {
    state.failures.push(`ledger audit of the local cloud at ${entry.cloud.url} could not run: ${(e as Error).message}`);
  } finally {
    process.env.TENCENTCLOUD = prev;
  }
}

jest.mock('../../emulator/index', () => {
  const actual = jest.requireActual('../../emulator/index');
  return {
    ...actual,
    startLocalCloud: async (opts?: LocalCloudOptions) => {
      const cloud = (await actual.startLocalCloud(opts)) as LocalCloud;
      const entry: Registered = { cloud, audited: false };
      ((globalThis as Record<string, unknown>).__ledgerAuditAfter as AuditState).clouds.push(entry);
      const close = cloud.close.bind(cloud);
      // Audit while the cloud still answers: when the test closes it, or at the end of the file.
      cloud.close = async () => {
        await audit(entry);
        return close();
      };
      return cloud;
    },
  };
});

if (!state.hooked) {
  state.hooked = true;
  afterAll(async () => {
    for (const entry of state.clouds) await audit(entry);
    const failures = state.failures.splice(0);
    state.clouds = [];
    if (failures.length) throw new Error(failures.join('\n'));
  }, 120_000);
}
