/**
 * `npm run audit`: recompute every wallet from the ledger of a running local cloud (or any CloudBase environment the
 * SDK can reach) and report mismatches. Read-only. Exit code 1 when anything does not hold.
 * An operator's tool, not part of the local cloud: it talks to either cloud through the SDK only, and runs the
 * referral module's audit (cloudfunctions/app/referral/audit.ts), which the local cloud must not import.
 *   --url <admin url>   default http://127.0.0.1:8787/admin (the local cloud of `npm start`); or TCB_CONTEXT_CNFG
 *   --json              print the report as JSON
 */
import tcb from '@cloudbase/node-sdk';
import { auditLedger } from '../cloudfunctions/app/referral/audit';
import { localKeys } from '../config/localKeys';

process.env.TENCENTCLOUD = process.env.TENCENTCLOUD ?? 'true';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const url = flag('url') ?? (process.env.TCB_CONTEXT_CNFG ? JSON.parse(process.env.TCB_CONTEXT_CNFG).URL : 'http://127.0.0.1:8787/admin');
  const keys = localKeys();
  const app = tcb.init({ env: process.env.ENV_ID ?? 'local', serviceUrl: url, secretId: keys.secretId, secretKey: keys.secretKey });
  const report = await auditLedger(app.database());
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    console.log(`ledger audit of ${url}: ${report.entries} entries, ${report.wallets} wallets, ${report.users} users`);
    for (const p of report.problems) console.log(`  ✗ ${p.kind}${p.userId ? ` [${p.userId}]` : ''}: ${p.detail}`);
    console.log(report.ok ? '  ✓ every wallet equals its entries; no duplicates, no negative buckets' : `  ${report.problems.length} problem(s)`);
  }
  process.exit(report.ok ? 0 : 1);
}

main().catch((e) => {
  console.error(`audit failed: ${(e as Error).message}`);
  process.exit(2);
});
