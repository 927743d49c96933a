import { calendarDateAt, parsePartialDate, type PartialDate } from '@dangan/domain';
import { invalid } from '../../platform/errors.js';

/** Partial dates are stored and carried as ISO prefixes: `2003`, `2003-05`, `2003-05-07`. */
export function toIsoPrefix(d: PartialDate): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d.month === null) return String(d.year);
  if (d.day === null) return `${d.year}-${pad(d.month)}`;
  return `${d.year}-${pad(d.month)}-${pad(d.day)}`;
}

export function fromIsoPrefix(text: string | null): PartialDate | null {
  if (text === null) return null;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text);
  if (!m) return null;
  return { year: Number(m[1]), month: m[2] ? Number(m[2]) : null, day: m[3] ? Number(m[3]) : null };
}

/**
 * A date field as a clerk typed it (any customary form) to its stored form; a bad one is a 422 that
 * names the field. Empty means unknown.
 */
export function parseDateField(text: string | null | undefined, field: string, label: string, now: Date): string | null {
  if (text === null || text === undefined || text.trim() === '') return null;
  const result = parsePartialDate(text, calendarDateAt(now));
  if (!result.ok) throw invalid('DATE_INVALID', `${label}：${result.reason}`, { [field]: result.reason });
  return toIsoPrefix(result.value);
}
