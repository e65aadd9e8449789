/** Display helpers for the merchant pages. */
import { parseYuan as parseYuanText, yuanText } from '../../../types/money';
import { shopTime } from '../../../types/time';

/** "11-23 18:05" in Beijing time, whatever the device's zone. */
export function timeText(iso: string | null | undefined): string {
  if (!iso) return '—';
  return shopTime(iso).format('MM-DD HH:mm');
}

/** "12.50" from a fen amount, for an input box. */
export function fenInput(fen: number): string {
  return yuanText(fen);
}

/** Fen from what the merchant typed in yuan ("12.5" → 1250); NaN when it is not an amount. */
export function parseYuan(text: string): number {
  return parseYuanText(text) ?? NaN;
}

export function parseCount(text: string): number {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : NaN;
}
