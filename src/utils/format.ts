/** Display helpers: dates in Asia/Shanghai wording, countdowns, masked names. Display only; never parse back. */
import { shanghaiShort } from '../../types/time';

const pad = (n: number) => String(n).padStart(2, '0');

/** "03-15 14:05" on the shop's calendar (or with the year when it is not this year): types/time.ts. */
export function formatDateTime(value: string | number | Date, now: number = Date.now()): string {
  return shanghaiShort(value, now);
}

/** "23:59:08" for under a day, "2 天 03:04:05" beyond; "00:00:00" once passed. */
export function formatCountdown(msLeft: number): string {
  const total = Math.max(0, Math.floor(msLeft / 1000));
  const days = Math.floor(total / 86400);
  const rest = total % 86400;
  const hms = `${pad(Math.floor(rest / 3600))}:${pad(Math.floor((rest % 3600) / 60))}:${pad(rest % 60)}`;
  return days > 0 ? `${days} 天 ${hms}` : hms;
}

export { maskNickname as maskName } from '../../types/names';

/** A fresh id for one intent (order, withdrawal): the server returns the same result for a repeat. */
export function newRequestId(): string {
  const rand = () => Math.floor(Math.random() * 0x100000000).toString(36);
  return `r${Date.now().toString(36)}${rand()}${rand()}`.slice(0, 32);
}

/** 已售 on cards and the product page: '已售 86', '已售 1.2万' (one decimal, floored: never more than sold); '' for none. */
export function soldText(units: number): string {
  if (!(units > 0)) return '';
  if (units < 10_000) return `已售 ${Math.floor(units)}`;
  const wan = Math.floor(units / 1_000) / 10;
  return `已售 ${Number.isInteger(wan) ? wan.toFixed(0) : wan.toFixed(1)}万`;
}
