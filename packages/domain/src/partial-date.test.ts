import { describe, expect, it } from 'vitest';
import {
  type CalendarDate,
  type PartialDate,
  calendarDateAt,
  checkPartialDate,
  comparePartialDates,
  daysInMonth,
  formatPartialDate,
  fromSortKey,
  isDefinitelyBefore,
  isLeapYear,
  parsePartialDate,
  partialDateRange,
  samePartialDate,
  toSortKey,
} from './partial-date.js';

const today: CalendarDate = { year: 2025, month: 6, day: 15 };
const pd = (year: number, month: number | null = null, day: number | null = null): PartialDate => ({ year, month, day });

function parsed(text: string): PartialDate {
  const r = parsePartialDate(text, today);
  if (!r.ok) throw new Error(`expected ${text} to parse: ${r.reason}`);
  return r.value;
}

function refused(text: string, t: CalendarDate = today): string {
  const r = parsePartialDate(text, t);
  if (r.ok) throw new Error(`expected ${text} to be refused, got ${JSON.stringify(r.value)}`);
  return r.reason;
}

describe('parsePartialDate: the forms clerks type', () => {
  it.each([
    ['2003', pd(2003)],
    ['2003年', pd(2003)],
    ['2003.5', pd(2003, 5)],
    ['2003.05', pd(2003, 5)],
    ['2003-05', pd(2003, 5)],
    ['2003/5', pd(2003, 5)],
    ['200305', pd(2003, 5)],
    ['2003年5月', pd(2003, 5)],
    ['2003年05月', pd(2003, 5)],
    ['2003-05-07', pd(2003, 5, 7)],
    ['2003.5.7', pd(2003, 5, 7)],
    ['2003/05/07', pd(2003, 5, 7)],
    ['20030507', pd(2003, 5, 7)],
    ['2003年5月7日', pd(2003, 5, 7)],
    ['2003年5月7号', pd(2003, 5, 7)],
    ['2003年5月7', pd(2003, 5, 7)],
    ['2003.10', pd(2003, 10)],
    ['2003.12.31', pd(2003, 12, 31)],
  ])('%s', (text, expected) => {
    expect(parsed(text)).toEqual(expected);
  });

  it('tolerates surrounding and inner spaces and full-width digits', () => {
    expect(parsed('  2003.05.07 ')).toEqual(pd(2003, 5, 7));
    expect(parsed('2003 年 5 月')).toEqual(pd(2003, 5));
    expect(parsed('２００３．０５')).toEqual(pd(2003, 5));
    expect(parsed('２００３年５月７日')).toEqual(pd(2003, 5, 7));
  });

  it('refuses mixed separators, trailing separators, two-digit years and words', () => {
    for (const t of ['2003-05.07', '2003.05.', '03.05.07', '2003年5', '二〇〇三年', '05/07/2003', '2003.5.7.1', 'abc']) {
      expect(refused(t)).toContain('无法识别的日期');
    }
  });

  it('names the accepted forms when it refuses a format', () => {
    expect(refused('2003 May')).toContain('2003.05.07');
  });

  it('refuses an empty text', () => {
    expect(refused('')).toBe('日期为空');
    expect(refused('   ')).toBe('日期为空');
  });

  it('refuses month 0 and month 13, in every form', () => {
    expect(refused('2003.13')).toBe('月份应在 1–12 之间：13');
    expect(refused('2003-13-01')).toContain('月份应在 1–12 之间');
    expect(refused('200300')).toContain('月份应在 1–12 之间：0');
    expect(refused('2003年0月')).toContain('月份应在 1–12 之间');
  });

  it('refuses a day the month does not have', () => {
    expect(refused('2003.2.30')).toBe('2003 年 2 月没有 30 日（该月共 28 天）');
    expect(refused('2003.04.31')).toContain('没有 31 日');
    expect(refused('2003.01.00')).toContain('没有 0 日');
    expect(refused('20030132')).toContain('没有 32 日');
  });

  it('accepts 29 February in a leap year only (1900 was not one, 2000 was)', () => {
    expect(parsed('2004.2.29')).toEqual(pd(2004, 2, 29));
    expect(parsed('2000.2.29')).toEqual(pd(2000, 2, 29));
    expect(refused('2003.2.29')).toContain('没有 29 日');
    expect(refused('1900.2.29')).toContain('没有 29 日');
  });

  it('refuses years before 1900', () => {
    expect(refused('1899')).toBe('年份不能早于 1900 年：1899');
    expect(refused('1899.12.31')).toContain('不能早于 1900');
    expect(parsed('1900')).toEqual(pd(1900));
    expect(parsed('1900.01.01')).toEqual(pd(1900, 1, 1));
  });

  it('refuses a date after today at its own precision', () => {
    expect(refused('2026')).toContain('不能晚于今天（2025-06-15）');
    expect(refused('2025.07')).toContain('不能晚于今天');
    expect(refused('2025.06.16')).toContain('不能晚于今天');
    expect(parsed('2025')).toEqual(pd(2025));
    expect(parsed('2025.06')).toEqual(pd(2025, 6));
    expect(parsed('2025.06.15')).toEqual(pd(2025, 6, 15));
    expect(parsed('2025.05.31')).toEqual(pd(2025, 5, 31));
  });
});

describe('checkPartialDate', () => {
  it('accepts valid parts and returns a copy', () => {
    const d = pd(2003, 5, 7);
    const r = checkPartialDate(d, today);
    expect(r).toEqual({ ok: true, value: d });
    if (r.ok) expect(r.value).not.toBe(d);
  });

  it('refuses a day without a month', () => {
    expect(checkPartialDate(pd(2003, null, 7), today)).toEqual({ ok: false, reason: '有日无月：填写日期时须同时填写月份' });
  });

  it('refuses fractional parts', () => {
    expect(checkPartialDate(pd(2003.5), today).ok).toBe(false);
    expect(checkPartialDate(pd(2003, 5.5), today).ok).toBe(false);
    expect(checkPartialDate(pd(2003, 5, 1.5), today).ok).toBe(false);
  });
});

describe('formatPartialDate', () => {
  it('writes the catalogue notation at the known precision', () => {
    expect(formatPartialDate(pd(2003, 5, 7))).toBe('2003.05.07');
    expect(formatPartialDate(pd(2003, 5))).toBe('2003.05');
    expect(formatPartialDate(pd(2003))).toBe('2003');
    expect(formatPartialDate(pd(2003, 12, 31), '-')).toBe('2003-12-31');
  });

  it('round-trips through parsePartialDate', () => {
    for (const d of [pd(2003), pd(2003, 5), pd(2003, 5, 7), pd(1900, 1, 1)]) {
      expect(parsed(formatPartialDate(d))).toEqual(d);
    }
  });
});

describe('toSortKey / fromSortKey', () => {
  it('puts 00 for an unknown month or day in a fixed-width key', () => {
    expect(toSortKey(pd(2003))).toBe('20030000');
    expect(toSortKey(pd(2003, 5))).toBe('20030500');
    expect(toSortKey(pd(2003, 5, 7))).toBe('20030507');
  });

  it('sorts as text: year only < year-month < full date, and across years and months', () => {
    const dates = [pd(2004), pd(2003, 1, 1), pd(2003, 12), pd(2003), pd(2003, 1), pd(2003, 1, 31), pd(2003, 2), pd(1999, 12, 31)];
    const byKey = [...dates].sort((a, b) => (toSortKey(a) < toSortKey(b) ? -1 : 1)).map((d) => formatPartialDate(d));
    expect(byKey).toEqual(['1999.12.31', '2003', '2003.01', '2003.01.01', '2003.01.31', '2003.02', '2003.12', '2004']);
  });

  it('gives the same order as the numbers would, whatever the collation', () => {
    const keys = [pd(2003), pd(2003, 1), pd(2003, 1, 1), pd(2010, 10, 10)].map(toSortKey);
    expect(keys.every((k) => /^\d{8}$/.test(k))).toBe(true);
    expect([...keys].sort()).toEqual([...keys].sort((a, b) => Number(a) - Number(b)));
  });

  it('reads a key back', () => {
    for (const d of [pd(2003), pd(2003, 5), pd(2003, 5, 7), pd(1900, 12, 31)]) expect(fromSortKey(toSortKey(d))).toEqual(d);
  });

  it('throws on a malformed key', () => {
    expect(() => fromSortKey('2003-05')).toThrow('日期排序键格式错误');
    expect(() => fromSortKey('2003050')).toThrow();
    expect(() => fromSortKey('20030007')).toThrow();
  });
});

describe('comparePartialDates', () => {
  it('orders by year, then an unknown month first, then an unknown day first', () => {
    expect(comparePartialDates(pd(2003), pd(2003, 1))).toBeLessThan(0);
    expect(comparePartialDates(pd(2003, 1), pd(2003, 1, 1))).toBeLessThan(0);
    expect(comparePartialDates(pd(2003, 12, 31), pd(2004))).toBeLessThan(0);
    expect(comparePartialDates(pd(2003, 2), pd(2003, 1, 31))).toBeGreaterThan(0);
    expect(comparePartialDates(pd(2003, 5, 7), pd(2003, 5, 7))).toBe(0);
  });

  it('treats equal partial dates as the same date', () => {
    expect(samePartialDate(pd(2003, 5), pd(2003, 5))).toBe(true);
    expect(samePartialDate(pd(2003, 5), pd(2003, 5, 1))).toBe(false);
  });
});

describe('partialDateRange and isDefinitelyBefore', () => {
  it('spans the whole year or month that is not known', () => {
    expect(partialDateRange(pd(2003))).toEqual([{ year: 2003, month: 1, day: 1 }, { year: 2003, month: 12, day: 31 }]);
    expect(partialDateRange(pd(2004, 2))).toEqual([{ year: 2004, month: 2, day: 1 }, { year: 2004, month: 2, day: 29 }]);
    expect(partialDateRange(pd(2003, 5, 7))).toEqual([{ year: 2003, month: 5, day: 7 }, { year: 2003, month: 5, day: 7 }]);
  });

  it('is true only when the ranges do not overlap', () => {
    expect(isDefinitelyBefore(pd(2003, 5, 7), pd(2003, 5, 8))).toBe(true);
    expect(isDefinitelyBefore(pd(2003, 4), pd(2003, 5, 1))).toBe(true);
    expect(isDefinitelyBefore(pd(2003), pd(2004, 1, 1))).toBe(true);
    expect(isDefinitelyBefore(pd(2003), pd(2003, 5))).toBe(false);
    expect(isDefinitelyBefore(pd(2003, 5), pd(2003))).toBe(false);
    expect(isDefinitelyBefore(pd(2003, 5), pd(2003, 5, 31))).toBe(false);
    expect(isDefinitelyBefore(pd(2003, 5, 7), pd(2003, 5, 7))).toBe(false);
    expect(isDefinitelyBefore(pd(2003, 5, 8), pd(2003, 5, 7))).toBe(false);
  });
});

describe('calendar helpers', () => {
  it('knows leap years and month lengths', () => {
    expect([1900, 2000, 2003, 2004, 2100].map(isLeapYear)).toEqual([false, true, false, true, false]);
    expect([1, 2, 4, 6, 9, 11, 12].map((m) => daysInMonth(2003, m))).toEqual([31, 28, 30, 30, 30, 30, 31]);
    expect(daysInMonth(2004, 2)).toBe(29);
  });

  it('reads today in China from an instant, also when UTC is still on the previous day', () => {
    expect(calendarDateAt(new Date('2025-06-14T16:30:00Z'))).toEqual({ year: 2025, month: 6, day: 15 });
    expect(calendarDateAt(new Date('2025-06-14T15:59:59Z'))).toEqual({ year: 2025, month: 6, day: 14 });
    expect(calendarDateAt(new Date('2024-12-31T16:00:00Z'))).toEqual({ year: 2025, month: 1, day: 1 });
    expect(calendarDateAt(new Date('2025-06-14T16:30:00Z'), 0)).toEqual({ year: 2025, month: 6, day: 14 });
  });
});
