/** Display and input helpers for the merchant pages. */
import { parseYuan as parseYuanText, yuanText } from '../../../types/money';
import { parseShanghaiMinute, shanghaiMinute, shopTime } from '../../../types/time';

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

/** A count the merchant may leave empty for "no limit": null when empty, NaN when not a whole number. */
export function parseOptionalCount(text: string): number | null {
  return text.trim() ? parseCount(text) : null;
}

/** "5.5" (percent) from basis points, for an input box. */
export function percentInput(bp: number): string {
  // A percent with two decimals is basis points exactly as yuan with two decimals is fen ("5.50" → "5.5").
  return yuanText(bp).replace(/(\.\d)0$/, '$1');
}

/** Basis points from a typed percent ("5.5" → 550); NaN when it is not one (at most two decimals). */
export function parsePercent(text: string): number {
  return parseYuanText(text) ?? NaN;
}

/** "2026-12-01 00:00" (Beijing time) for an input box; '' for none. */
export function minuteInput(iso: string | null): string {
  return iso ? shanghaiMinute(iso) : '';
}

/**
 * The time the merchant typed (Beijing time, to the minute), as an ISO string; null when left empty, undefined
 * when it is not a time. Unchanged text gives back `original` as it was, seconds and all.
 */
export function parseMinute(text: string, original: string | null): string | null | undefined {
  if (!text.trim()) return null;
  if (original && text === minuteInput(original)) return original;
  return parseShanghaiMinute(text)?.toISOString();
}

/**
 * A daily average of people (日均活跃): a whole number, rounded half up; "不足 1" when some days had someone but the
 * average is below one (never "0.7 人" — people come whole, and 0 would say nobody came).
 */
export function avgCountText(avg: number): string {
  if (!(avg > 0)) return '0';
  if (avg < 0.5) return '不足 1';
  return String(Math.round(avg));
}
