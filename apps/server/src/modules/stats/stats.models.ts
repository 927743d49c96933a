import type { Figure, FigureRow } from '@dangan/contracts';

/**
 * The statistics' pure arithmetic: ages and age bands as of a day, year ends, Beijing days and
 * months, shares, and the building of figure tables from counted rows.
 */

const BEIJING_OFFSET = 8 * 3_600_000;

export const AGE_BANDS = [
  { key: 'le30', label: '30岁及以下', max: 30 },
  { key: '31to35', label: '31—35岁', max: 35 },
  { key: '36to40', label: '36—40岁', max: 40 },
  { key: '41to45', label: '41—45岁', max: 45 },
  { key: '46to50', label: '46—50岁', max: 50 },
  { key: '51to55', label: '51—55岁', max: 55 },
  { key: '56to60', label: '56—60岁', max: 60 },
  { key: 'gt60', label: '61岁及以上', max: Number.POSITIVE_INFINITY },
] as const;
export type AgeBandKey = (typeof AGE_BANDS)[number]['key'] | 'unknown';
export const UNKNOWN = { key: 'unknown', label: '不详' } as const;

/**
 * Whole years of age on `asOf` (YYYY-MM-DD) of someone born on `birth`, a partial date as stored
 * (`1980`, `1980-05`, `1980-05-07`). A missing month or day is taken as the first, the earliest the
 * birth can have been; null when there is no birth date or it lies after `asOf`.
 */
export function ageOn(birth: string | null, asOf: string): number | null {
  const m = birth ? /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(birth) : null;
  if (!m) return null;
  const by = Number(m[1]);
  const bm = m[2] ? Number(m[2]) : 1;
  const bd = m[3] ? Number(m[3]) : 1;
  const [ay, am, ad] = asOf.split('-').map(Number) as [number, number, number];
  let age = ay - by;
  if (am < bm || (am === bm && ad < bd)) age -= 1;
  return age < 0 ? null : age;
}

export function ageBand(age: number | null): AgeBandKey {
  if (age === null) return 'unknown';
  return AGE_BANDS.find((b) => age <= b.max)!.key;
}

/** Whether a partial date (`2001`, `2001-07`, `2001-07-01`) lies on or before `day` (YYYY-MM-DD). */
export function onOrBefore(partial: string | null, day: string): boolean {
  if (!partial) return false;
  const first = partial.length === 4 ? `${partial}-01-01` : partial.length === 7 ? `${partial}-01` : partial;
  return first <= day;
}

/** The year ends of the `count` whole years before `asOf`'s year, oldest first. */
export function yearEnds(asOf: string, count = 5): string[] {
  const year = Number(asOf.slice(0, 4));
  return Array.from({ length: count }, (_, i) => `${year - count + i}-12-31`);
}

export function beijingDay(at: string | Date): string {
  const t = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return new Date(t + BEIJING_OFFSET).toISOString().slice(0, 10);
}

/** The UTC instant at which a Beijing day begins. */
export function beijingDayStart(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) - BEIJING_OFFSET).toISOString();
}

/** The UTC instant at which the Beijing day after `day` begins (the exclusive end of a range). */
export function beijingDayEnd(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000 - BEIJING_OFFSET).toISOString();
}

/** The months `YYYY-MM` from `from` to `to` (days), inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const end = to.slice(0, 7);
  for (let i = 0; i < 240; i++) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    if (key > end) break;
    out.push(key);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

/** A share in percent with one decimal, null when there is nothing to share. */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part * 1000) / whole) / 10;
}

/** A figure's total row: the column sums, with percent columns left empty. */
export function totalRow(figure: Pick<Figure, 'columns' | 'rows'>, label = '合计'): FigureRow {
  return {
    key: 'total',
    label,
    values: figure.columns.map((c, i) => (c.percent ? null : figure.rows.reduce((s, r) => s + (r.values[i] ?? 0), 0))),
  };
}

export interface Category {
  key: string;
  label: string;
}

/**
 * A distribution: how many of `items` fall in each category (in the categories' order, those with
 * none left out unless `keepEmpty`), with count and share columns and a total.
 */
export function distribution<T>(
  base: Omit<Figure, 'columns' | 'rows' | 'total' | 'rowHeader'> & { rowHeader: string },
  items: readonly T[],
  categoryOf: (item: T) => string,
  categories: readonly Category[],
  keepEmpty = false,
): Figure {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(categoryOf(item), (counts.get(categoryOf(item)) ?? 0) + 1);
  const known = new Set(categories.map((c) => c.key));
  const extra = [...counts.keys()].filter((k) => !known.has(k)).map((k) => ({ key: k, label: k }));
  const rows = [...categories, ...extra]
    .filter((c) => keepEmpty || (counts.get(c.key) ?? 0) > 0)
    .map((c) => {
      const n = counts.get(c.key) ?? 0;
      return { key: c.key, label: c.label, values: [n, percent(n, items.length)] };
    });
  return {
    ...base,
    columns: [{ key: 'count', label: '人数' }, { key: 'share', label: '占比（%）', percent: true }],
    rows,
    total: { key: 'total', label: '合计', values: [items.length, items.length === 0 ? null : 100] },
  };
}

/** A cross table: one row per group (e.g. unit), one column per category, counts in the cells. */
export function crossTable<T>(
  base: Omit<Figure, 'columns' | 'rows' | 'total' | 'rowHeader'> & { rowHeader: string },
  items: readonly T[],
  groupOf: (item: T) => string,
  groups: readonly Category[],
  categoryOf: (item: T) => string,
  categories: readonly Category[],
): Figure {
  const known = new Set(categories.map((c) => c.key));
  const extra = [...new Set(items.map(categoryOf))].filter((k) => !known.has(k)).map((k) => ({ key: k, label: k }));
  const used = [...categories, ...extra].filter((c) => items.some((i) => categoryOf(i) === c.key));
  const columns = [...used.map((c) => ({ key: c.key, label: c.label })), { key: 'total', label: '合计' }];
  const rows = groups
    .map((g) => {
      const mine = items.filter((i) => groupOf(i) === g.key);
      return { key: g.key, label: g.label, values: [...used.map((c) => mine.filter((i) => categoryOf(i) === c.key).length), mine.length] };
    })
    .filter((r) => r.values.at(-1)! > 0);
  const figure = { ...base, columns, rows };
  return { ...figure, total: totalRow(figure) };
}
