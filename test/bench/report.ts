/** Benchmark rows, printed as one table per area and written to .bench/latest.json. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface BenchRow {
  area: string;
  name: string;
  value: number;
  unit: string;
  /** Human-readable target, e.g. "≥ 1000" or "≤ 5"; null when the row is for information. */
  target: string | null;
  ok: boolean | null;
}

export function row(area: string, name: string, value: number, unit: string, target?: { min?: number; max?: number }): BenchRow {
  let ok: boolean | null = null;
  let text: string | null = null;
  if (target?.min !== undefined) {
    ok = value >= target.min;
    text = `≥ ${target.min}`;
  } else if (target?.max !== undefined) {
    ok = value <= target.max;
    text = `≤ ${target.max}`;
  }
  return { area, name, value: Math.round(value * 100) / 100, unit, target: text, ok };
}

export function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export function printAndSave(rows: BenchRow[], root: string) {
  const areas = [...new Set(rows.map((r) => r.area))];
  const lines: string[] = [`Machine: ${machine()}`, ''];
  for (const area of areas) {
    lines.push(`### ${area}`, '', '| benchmark | value | unit | target | ok |', '|---|---:|---|---|---|');
    for (const r of rows.filter((x) => x.area === area)) {
      lines.push(`| ${r.name} | ${r.value} | ${r.unit} | ${r.target ?? '—'} | ${r.ok === null ? '—' : r.ok ? '✅' : '❌'} |`);
    }
    lines.push('');
  }
  const judged = rows.filter((r) => r.ok !== null);
  lines.push(`Summary: ${judged.filter((r) => r.ok).length}/${judged.length} targets met, ${rows.length} rows.`);
  console.log(lines.join('\n'));
  const dir = path.join(root, '.bench');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(rows, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'latest.md'), `${lines.join('\n')}\n`);
}
