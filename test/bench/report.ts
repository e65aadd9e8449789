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

/** The 1-minute load average, to tell a busy machine's figures from a quiet one's. */
const load = () => os.loadavg()[0].toFixed(2);
const loadAtStart = load();

export function printAndSave(rows: BenchRow[], root: string) {
  const areas = [...new Set(rows.map((r) => r.area))];
  const lines: string[] = [`Machine: ${machine()}; load average ${loadAtStart} at the start, ${load()} at the end`, ''];
  for (const area of areas) {
    lines.push(`### ${area}`, '', '| benchmark | value | unit | target | ok |', '|---|---:|---|---|---|');
    for (const r of rows.filter((x) => x.area === area)) {
      lines.push(`| ${r.name} | ${r.value} | ${r.unit} | ${r.target ?? '—'} | ${r.ok === null ? '—' : r.ok ? '✅' : '❌'} |`);
    }
    lines.push('');
  }
  const judged = rows.filter((r) => r.ok !== null);
  const missed = judged.filter((r) => !r.ok);
  lines.push(`Summary: ${judged.length - missed.length}/${judged.length} targets met, ${rows.length} rows, ${areas.length} areas.`);
  for (const r of missed) lines.push(`- missed: ${r.area} — ${r.name}: ${r.value} ${r.unit} (target ${r.target ?? 'ok'})`);
  console.log(lines.join('\n'));
  const dir = path.join(root, '.bench');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(rows, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'latest.md'), `${lines.join('\n')}\n`);
}
