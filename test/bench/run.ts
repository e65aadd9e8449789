/**
 * `npm run bench`: every benchmark, one report (a table per area and a summary), also .bench/latest.json.
 * BENCH_ONLY=mixed,fuzz runs some of them (names below). A benchmark that throws becomes a failed row; the rest run.
 */
import path from 'node:path';
import { benchApp } from './app';
import { benchAssist } from './assist';
import { benchCapacity } from './capacity';
import { benchGroup } from './group';
import { benchCrowd } from './crowd';
import { benchFunctions } from './functions';
import { benchFuzz, benchRoundTrips } from './fuzz';
import { benchLocalCloud } from './localCloud';
import { benchMerchant } from './merchant';
import { benchMixed } from './mixed';
import { benchReferral } from './referral';
import { BenchRow, printAndSave, row } from './report';
import { benchShop } from './shop';

process.env.TENCENTCLOUD = 'true';

const BENCHES: [string, () => Promise<BenchRow[]>][] = [
  ['localCloud', benchLocalCloud],
  ['functions', benchFunctions],
  ['shop', benchShop],
  ['assist', benchAssist],
  ['referral', benchReferral],
  ['merchant', benchMerchant],
  ['mixed', benchMixed],
  ['group', benchGroup],
  ['capacity', benchCapacity],
  ['crowd', benchCrowd],
  ['roundTrips', benchRoundTrips],
  ['fuzz', benchFuzz],
  ['app', benchApp],
];

async function main() {
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
  const rows: BenchRow[] = [];
  for (const [name, bench] of BENCHES) {
    if (only && !only.includes(name)) continue;
    const started = performance.now();
    console.error(`bench: ${name} …`);
    try {
      rows.push(...(await bench()));
    } catch (e) {
      console.error(`bench ${name} failed:`, e);
      rows.push({ ...row(name, `${name}: the benchmark failed (${(e as Error).message.split('\n')[0].slice(0, 120)})`, 0, ''), ok: false });
    }
    console.error(`bench: ${name} took ${Math.round((performance.now() - started) / 1000)} s`);
  }
  printAndSave(rows, path.resolve(__dirname, '../..'), !!only);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
