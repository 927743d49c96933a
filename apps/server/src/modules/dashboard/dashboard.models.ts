import { DEFECT_TYPES, STAGES, type StageCode } from '@dangan/domain';

/**
 * The dashboard's pure arithmetic: Beijing calendar days and weeks over UTC instants, and the figures
 * built from counted rows. People read days in Beijing time (UTC+8, no daylight saving), so a page
 * scanned at 23:30 UTC counts for the next day.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BEIJING_OFFSET = 8 * HOUR;

/** `YYYY-MM-DD` of an instant in Beijing time. */
export function beijingDate(at: string | Date): string {
  const t = (typeof at === 'string' ? new Date(at) : at).getTime();
  return new Date(t + BEIJING_OFFSET).toISOString().slice(0, 10);
}

/** The UTC instant at which a Beijing calendar day begins. */
export function beijingDayStart(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) - BEIJING_OFFSET);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + days * DAY).toISOString().slice(0, 10);
}

/** The Monday of the week of a calendar day. */
export function mondayOf(date: string): string {
  const weekday = new Date(`${date}T00:00:00.000Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}

/** The last `days` calendar days up to today, oldest first. */
export function dayWindow(now: Date, days: number): string[] {
  const today = beijingDate(now);
  return Array.from({ length: days }, (_, i) => addDays(today, i - days + 1));
}

/** The Mondays of the last `weeks` weeks up to this one, oldest first. */
export function weekWindow(now: Date, weeks: number): string[] {
  const monday = mondayOf(beijingDate(now));
  return Array.from({ length: weeks }, (_, i) => addDays(monday, 7 * (i - weeks + 1)));
}

/** `3月2日—3月8日`. */
export function weekLabel(monday: string): string {
  const md = (d: string) => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
  return `${md(monday)}—${md(addDays(monday, 6))}`;
}

/** Whole days between two instants (rounded down). */
export function wholeDays(from: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(from)) / DAY));
}

/** The instant `days` days before now: whatever last moved before it is stuck or overdue. */
export function cutoff(now: Date, days: number): string {
  return new Date(now.getTime() - days * DAY).toISOString();
}

/**
 * A dossier's current stage from the number of its stages done. The stage machine only starts a
 * stage after the one before is done and a rework resets a stage with every later one, so the done
 * stages are always the first ones in order.
 */
export function stageAt(doneCount: number): StageCode | null {
  return STAGES[doneCount] ?? null;
}

// ------------------------------------------------------------------------------------------------
// Defect figures

export interface InspectedRound {
  id: string;
  verdict: 'pass' | 'fail';
  verdictAt: string;
  /** Live pages of the inspected dossier. */
  pages: number;
}

export interface DefectFigures {
  inspections: number;
  failed: number;
  defects: number;
  pages: number;
  perDossier: number | null;
  per1000Pages: number | null;
  failRate: number | null;
  byType: Record<string, number>;
}

function emptyByType(): Record<string, number> {
  return Object.fromEntries(DEFECT_TYPES.map((t) => [t, 0]));
}

/** Rates rounded to 4 decimals: the figures shown and exported, and what the tests compare. */
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

export function defectFigures(rounds: readonly InspectedRound[], defects: ReadonlyMap<string, Record<string, number>>): DefectFigures {
  const byType = emptyByType();
  let total = 0;
  for (const r of rounds) {
    for (const [type, n] of Object.entries(defects.get(r.id) ?? {})) {
      byType[type] = (byType[type] ?? 0) + n;
      total += n;
    }
  }
  const inspections = rounds.length;
  const pages = rounds.reduce((s, r) => s + r.pages, 0);
  const failed = rounds.filter((r) => r.verdict === 'fail').length;
  return {
    inspections,
    failed,
    defects: total,
    pages,
    perDossier: inspections === 0 ? null : round4(total / inspections),
    per1000Pages: pages === 0 ? null : round4((total * 1000) / pages),
    failRate: inspections === 0 ? null : round4(failed / inspections),
    byType,
  };
}
