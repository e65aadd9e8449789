/** Each function bundle's size and its cold load time (a fresh Node process requiring the bundle; median of 5). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BenchRow, row } from './report';

const DIR = path.resolve(__dirname, '../../dist/cloudfunctions');

function coldLoadMs(bundle: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(bundle)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  return Number(execFileSync(process.execPath, ['-e', script], { env: { PATH: process.env.PATH, TENCENTCLOUD_RUNENV: 'SCF', SCF_NAMESPACE: 'local' } }).toString());
}

export async function benchFunctions(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const name of fs.readdirSync(DIR).sort()) {
    const bundle = path.join(DIR, name, 'index.js');
    if (!fs.existsSync(bundle)) continue;
    const times = Array.from({ length: 5 }, () => coldLoadMs(bundle)).sort((a, b) => a - b);
    rows.push(row('function bundles', `${name}: bundle size`, fs.statSync(bundle).size / 1024, 'KB'));
    rows.push(row('function bundles', `${name}: cold load (median of 5)`, times[2], 'ms', { max: 150 }));
  }
  return rows;
}
