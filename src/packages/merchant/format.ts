/** Display helpers for the merchant pages. */
import { shopTime } from '../../../types/time';

/** "11-23 18:05" in Beijing time, whatever the device's zone. */
export function timeText(iso: string | null | undefined): string {
  if (!iso) return '—';
  return shopTime(iso).format('MM-DD HH:mm');
}

/** "12.50" from a fen amount, for an input box. */
export function fenInput(fen: number): string {
  return (fen / 100).toFixed(2).replace(/\.00$/, '');
}

/** Fen from what the merchant typed in yuan ("12.5" → 1250); NaN when it is not an amount. */
export function parseYuan(text: string): number {
  const t = text.trim();
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return NaN;
  const [y, f = ''] = t.split('.');
  return Number(y) * 100 + Number(f.padEnd(2, '0'));
}

export function parseCount(text: string): number {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : NaN;
}
