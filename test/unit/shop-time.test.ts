/** The shop's calendar (types/time.ts): Asia/Shanghai whatever zone the process runs in, at the day's edges. */
import { parseShanghaiMinute, shanghaiCompact, shanghaiDay, shanghaiMinute, shanghaiShort } from '../../types/time';

describe('the shop calendar is UTC+8', () => {
  it.each<[string, string, string, string]>([
    ['just before midnight in Shanghai', '2026-03-14T15:59:59.999Z', '2026-03-14', '2026-03-14 23:59'],
    ['midnight in Shanghai is 16:00 UTC the day before', '2026-03-14T16:00:00.000Z', '2026-03-15', '2026-03-15 00:00'],
    ['new year', '2025-12-31T16:00:00.000Z', '2026-01-01', '2026-01-01 00:00'],
    ['a leap day', '2028-02-28T16:30:00.000Z', '2028-02-29', '2028-02-29 00:30'],
  ])('%s', (_name, iso, day, minute) => {
    expect(shanghaiDay(new Date(iso))).toBe(day);
    expect(shanghaiMinute(iso)).toBe(minute);
    // what a merchant types reads back as the same minute
    expect(parseShanghaiMinute(minute)?.toISOString()).toBe(new Date(Math.floor(Date.parse(iso) / 60_000) * 60_000).toISOString());
  });

  it.each<[string, string | null]>([
    [' 2026-03-15 00:00 ', '2026-03-14T16:00:00.000Z'],
    ['2026-12-31 23:59', '2026-12-31T15:59:00.000Z'],
    ['2026-02-29 10:00', null],
    ['2026-03-15 24:00', null],
    ['2026-3-15 10:00', null],
    ['2026-03-15', null],
    ['2026-03-15T10:00', null],
    ['', null],
  ])('a typed time %j is %s', (text, iso) => {
    expect(parseShanghaiMinute(text)?.toISOString() ?? null).toBe(iso);
  });

  it('WeChat Pay time and the short display form', () => {
    expect(shanghaiCompact(new Date('2026-03-15T06:05:09Z'))).toBe('20260315140509');
    expect(shanghaiShort('2026-03-15T06:05:09Z', Date.parse('2026-06-01T00:00:00Z'))).toBe('03-15 14:05');
    expect(shanghaiShort('2025-12-31T17:00:00Z', Date.parse('2025-12-31T15:00:00Z'))).toBe('2026-01-01 01:00');
  });

  it('does not depend on the process time zone', () => {
    const before = process.env.TZ;
    try {
      for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Tokyo']) {
        process.env.TZ = tz;
        expect(shanghaiDay(new Date('2026-03-14T16:00:00.000Z'))).toBe('2026-03-15');
      }
    } finally {
      process.env.TZ = before;
    }
  });
});
