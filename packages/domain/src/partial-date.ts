/**
 * 材料形成时间 and similar dates, of which the clerk may know only the year, or the year and month.
 * A day without a month does not exist: `month === null` implies `day === null`.
 */
export interface PartialDate {
  year: number;
  month: number | null;
  day: number | null;
}

/** A whole calendar day, e.g. "today" as the caller's clock sees it in China. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export type PartialDateResult = { ok: true; value: PartialDate } | { ok: false; reason: string };

/** Archive material older than this is not plausible; it also keeps four-digit years in the sort key. */
export const EARLIEST_YEAR = 1900;

const BEIJING_OFFSET_MINUTES = 8 * 60;

/**
 * The calendar day at `instant` in a fixed-offset zone, China Standard Time unless told otherwise.
 * Servers often run in UTC; reading the day there would make "today" wrong from 00:00 to 08:00 in China.
 */
export function calendarDateAt(instant: Date, utcOffsetMinutes = BEIJING_OFFSET_MINUTES): CalendarDate {
  const shifted = new Date(instant.getTime() + utcOffsetMinutes * 60_000);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function formatCalendarDate(d: CalendarDate): string {
  return `${pad(d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}`;
}

/**
 * Checks a date given as parts (as an import with separate 年/月/日 columns gives it).
 * A date is refused when it lies after `today` at its own precision: "2025" is fine on any day of 2025.
 */
export function checkPartialDate(d: PartialDate, today: CalendarDate): PartialDateResult {
  const { year, month, day } = d;
  if (!Number.isInteger(year)) return { ok: false, reason: '年份须为整数' };
  if (year < EARLIEST_YEAR) return { ok: false, reason: `年份不能早于 ${EARLIEST_YEAR} 年：${year}` };
  if (month === null && day !== null) return { ok: false, reason: '有日无月：填写日期时须同时填写月份' };
  if (month !== null && (!Number.isInteger(month) || month < 1 || month > 12)) {
    return { ok: false, reason: `月份应在 1–12 之间：${month}` };
  }
  if (month !== null && day !== null) {
    const max = daysInMonth(year, month);
    if (!Number.isInteger(day) || day < 1 || day > max) {
      return { ok: false, reason: `${year} 年 ${month} 月没有 ${day} 日（该月共 ${max} 天）` };
    }
  }
  if (isAfterToday(d, today)) {
    return { ok: false, reason: `日期不能晚于今天（${formatCalendarDate(today)}）：${formatPartialDate(d)}` };
  }
  return { ok: true, value: { year, month, day } };
}

function isAfterToday(d: PartialDate, today: CalendarDate): boolean {
  if (d.year !== today.year) return d.year > today.year;
  if (d.month === null || d.month !== today.month) return (d.month ?? 0) > today.month;
  return (d.day ?? 0) > today.day;
}

/*
 * The forms clerks type. Separators must agree within one date ("2003-05.07" is a typo, not a date).
 * Six and eight digits run together are year-month and year-month-day, as legacy systems export them.
 */
const PATTERNS: RegExp[] = [
  /^(?<y>\d{4})$/,
  /^(?<y>\d{4})(?<m>\d{2})$/,
  /^(?<y>\d{4})(?<m>\d{2})(?<d>\d{2})$/,
  /^(?<y>\d{4})(?<sep>[.\-/])(?<m>\d{1,2})$/,
  /^(?<y>\d{4})(?<sep>[.\-/])(?<m>\d{1,2})\k<sep>(?<d>\d{1,2})$/,
  /^(?<y>\d{4})年$/,
  /^(?<y>\d{4})年(?<m>\d{1,2})月$/,
  /^(?<y>\d{4})年(?<m>\d{1,2})月(?<d>\d{1,2})[日号]?$/,
];

export const PARTIAL_DATE_FORMS_HINT = '可写作 2003、2003.05、2003.05.07、2003-05-07、20030507、2003年5月7日';

/** Parses a 材料形成时间 as typed; full-width digits and stray spaces are tolerated. */
export function parsePartialDate(text: string, today: CalendarDate): PartialDateResult {
  const cleaned = text.normalize('NFKC').replace(/\s+/g, '');
  if (cleaned === '') return { ok: false, reason: '日期为空' };
  for (const re of PATTERNS) {
    const g = re.exec(cleaned)?.groups;
    if (!g) continue;
    return checkPartialDate(
      {
        year: Number(g.y),
        month: g.m === undefined ? null : Number(g.m),
        day: g.d === undefined ? null : Number(g.d),
      },
      today,
    );
  }
  return { ok: false, reason: `无法识别的日期：“${text.trim()}”（${PARTIAL_DATE_FORMS_HINT}）` };
}

/** 2003.05.07, 2003.05 or 2003: the catalogue's customary notation. */
export function formatPartialDate(d: PartialDate, separator = '.'): string {
  const parts = [pad(d.year, 4)];
  if (d.month !== null) parts.push(pad(d.month, 2));
  if (d.month !== null && d.day !== null) parts.push(pad(d.day, 2));
  return parts.join(separator);
}

/**
 * A fixed-width, digits-only key (YYYYMMDD, 00 for an unknown month or day) that sorts as text under
 * any database collation and as a number alike. An unknown month sorts before the known months of
 * its year and an unknown day before the known days of its month: 2003 < 2003.01 < 2003.01.01.
 * That puts the vaguer record first, where a reader of the catalogue expects the year's heading.
 */
export function toSortKey(d: PartialDate): string {
  return `${pad(d.year, 4)}${pad(d.month ?? 0, 2)}${pad(d.month === null ? 0 : (d.day ?? 0), 2)}`;
}

/** The inverse of `toSortKey`; a malformed key is a bug or damaged data, so it throws. */
export function fromSortKey(key: string): PartialDate {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(key);
  if (!m) throw new Error(`日期排序键格式错误：${key}`);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month === 0 && day !== 0) throw new Error(`日期排序键格式错误：${key}`);
  return { year: Number(m[1]), month: month === 0 ? null : month, day: day === 0 ? null : day };
}

/** Total order matching `toSortKey`: negative, zero or positive. */
export function comparePartialDates(a: PartialDate, b: PartialDate): number {
  const ka = toSortKey(a);
  const kb = toSortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function samePartialDate(a: PartialDate, b: PartialDate): boolean {
  return comparePartialDates(a, b) === 0;
}

/** The first and last day a partial date may stand for. */
export function partialDateRange(d: PartialDate): [CalendarDate, CalendarDate] {
  const firstMonth = d.month ?? 1;
  const lastMonth = d.month ?? 12;
  return [
    { year: d.year, month: firstMonth, day: d.day ?? 1 },
    { year: d.year, month: lastMonth, day: d.day ?? daysInMonth(d.year, lastMonth) },
  ];
}

const dayKey = (c: CalendarDate) => c.year * 10_000 + c.month * 100 + c.day;

/**
 * True only when every day `a` may stand for precedes every day `b` may stand for. "2003" is not
 * definitely before "2003.05": the material may be from December.
 */
export function isDefinitelyBefore(a: PartialDate, b: PartialDate): boolean {
  return dayKey(partialDateRange(a)[1]) < dayKey(partialDateRange(b)[0]);
}
