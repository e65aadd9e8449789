/** 报表 date ranges: whole Asia/Shanghai days, both ends included, at most REPORT_MAX_DAYS. Shared by the page and the function. */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import { REPORT_MAX_DAYS } from './modules/merchantReports.api';
import { SHOP_UTC_OFFSET_MINUTES, shanghaiDay } from './time';

dayjs.extend(utc);

const DAY_MS = 24 * 60 * 60 * 1000;

/** The moment a Shanghai day starts; null when the text is not a real day ("2026-02-30"). */
export function shanghaiDayStart(day: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const at = dayjs.utc(`${day}T00:00:00Z`).subtract(SHOP_UTC_OFFSET_MINUTES, 'minute');
  return at.isValid() && shanghaiDay(at.toDate()) === day ? at.toDate() : null;
}

/** [start, end) of the days from startDay to endDay included, or null when the range is not one the report takes. */
export function reportRange(startDay: string, endDay: string): { start: Date; end: Date; days: number } | null {
  const start = shanghaiDayStart(startDay);
  const last = shanghaiDayStart(endDay);
  if (!start || !last || last < start) return null;
  const end = new Date(last.getTime() + DAY_MS);
  const days = Math.round((end.getTime() - start.getTime()) / DAY_MS);
  return days <= REPORT_MAX_DAYS ? { start, end, days } : null;
}

/** The last `days` days up to today (default 30), as the page opens. */
export function lastDays(now: Date, days = 30): { startDay: string; endDay: string } {
  return { startDay: shanghaiDay(now.getTime() - (days - 1) * DAY_MS), endDay: shanghaiDay(now) };
}
