/**
 * The shop's calendar, in one place for the functions and the app: Asia/Shanghai, with dayjs.
 *
 * China Standard Time is UTC+8 all year (no daylight saving since 1991), so the shop's wall clock is dayjs's `utc`
 * plugin at a fixed +08:00 offset. The `timezone` plugin would look the zone up through Intl's time-zone data, which
 * the WeChat mini-program runtime does not guarantee on every device; the fixed offset gives the same answers
 * everywhere, whatever zone the function (SCF runs in UTC) or the phone is set to. A "day" (caps, limits, daily
 * counters) is a calendar day here.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);

/** Minutes east of UTC of the shop's calendar (Asia/Shanghai). */
export const SHOP_UTC_OFFSET_MINUTES = 8 * 60;

type When = Date | string | number;

/** The moment on the shop's wall clock. */
export function shopTime(at: When): dayjs.Dayjs {
  return dayjs(at).utcOffset(SHOP_UTC_OFFSET_MINUTES);
}

/** "2026-03-15": the shop's calendar day of a moment. */
export function shanghaiDay(at: When): string {
  return shopTime(at).format('YYYY-MM-DD');
}

/** "2026-03-15 14:05". */
export function shanghaiMinute(at: When): string {
  return shopTime(at).format('YYYY-MM-DD HH:mm');
}

/** "20260315140509": what WeChat Pay v2 wants for time_start / time_expire. */
export function shanghaiCompact(at: When): string {
  return shopTime(at).format('YYYYMMDDHHmmss');
}

/** "03-15 14:05", or "2025-03-15 14:05" when `at` is not in the year of `now`. */
export function shanghaiShort(at: When, now: When = Date.now()): string {
  const t = shopTime(at);
  return t.year() === shopTime(now).year() ? t.format('MM-DD HH:mm') : t.format('YYYY-MM-DD HH:mm');
}

/** The moment a person typed as "2026-03-15 14:05" on the shop's clock (the inverse of shanghaiMinute); null when it is not such a time. */
export function parseShanghaiMinute(text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const at = dayjs.utc(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00Z`).subtract(SHOP_UTC_OFFSET_MINUTES, 'minute');
  // 02-30 or 24:00 would roll over into another day: only a time that reads back the same is one.
  return at.isValid() && shanghaiMinute(at.toDate()) === `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}` ? at.toDate() : null;
}

/** A stored date as the API sends it (ISO 8601), or null when there is none. */
export const iso = (d: Date | null | undefined): string | null => (d ? new Date(d).toISOString() : null);
