/** `npm run bench`: every benchmark, one report (a table per area and a summary), also .bench/latest.json. */
import path from 'node:path';
import { benchFunctions } from './functions';
import { benchLocalCloud } from './localCloud';
import { BenchRow, printAndSave } from './report';

process.env.TENCENTCLOUD = 'true';

async function main() {
  const rows: BenchRow[] = [];
  rows.push(...(await benchLocalCloud()));
  rows.push(...(await benchFunctions()));
  rows.push(...(await (await import('./shop')).benchShop()));
  rows.push(...(await (await import('./assist')).benchAssist()));
  rows.push(...(await (await import('./app')).benchApp()));
  rows.push(...(await (await import('./merchant')).benchMerchant()));
  printAndSave(rows, path.resolve(__dirname, '../..'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
