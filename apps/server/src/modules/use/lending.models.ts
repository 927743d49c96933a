import type { LendingState } from '@dangan/contracts';

/**
 * Lending's pure rules over calendar days in Beijing time (Asia/Shanghai, UTC+8, no daylight saving):
 * due dates, overdue days, and when a reminder is due.
 */

const DAY = 86_400_000;
const BEIJING_OFFSET = 8 * 3_600_000;

/** `YYYY-MM-DD` of an instant in Beijing time. */
export function beijingDay(at: string | Date): string {
  const t = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return new Date(t + BEIJING_OFFSET).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + days * DAY).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (positive when `b` is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00.000Z`) - Date.parse(`${a}T00:00:00.000Z`)) / DAY);
}

/** Whether `day` is a real calendar day written `YYYY-MM-DD`. */
export function isCalendarDay(day: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && new Date(`${day}T00:00:00.000Z`).toISOString().slice(0, 10) === day;
}

/**
 * The last day the grant covers: the Beijing day of its last instant. A grant running until
 * 2026-03-12T16:00Z (midnight in Beijing) covers up to 2026-03-12, not the 13th it ends on.
 */
export function lastGrantedDay(grantedUntil: string): string {
  return beijingDay(new Date(Date.parse(grantedUntil) - 1));
}

export interface DueWindow {
  today: string;
  /** Today + the lending period, but never after the grant's last day. */
  defaultDueOn: string;
  latestDueOn: string;
}

export function dueWindow(now: Date, lendingDays: number, grantedUntil: string): DueWindow {
  const today = beijingDay(now);
  const latestDueOn = lastGrantedDay(grantedUntil);
  const wanted = addDays(today, lendingDays);
  return { today, latestDueOn, defaultDueOn: wanted < latestDueOn ? wanted : latestDueOn };
}

export type DueCheck = { ok: true; dueOn: string } | { ok: false; reason: string };

/** A due date asked for by the archivist: a real day, not before today, not after the grant's last day. */
export function checkDueOn(requested: string | undefined, window: DueWindow): DueCheck {
  if (requested === undefined) return { ok: true, dueOn: window.defaultDueOn };
  if (!isCalendarDay(requested)) return { ok: false, reason: `归还日期 ${requested} 不是有效的日期` };
  if (requested < window.today) return { ok: false, reason: `归还日期不能早于今天（${window.today}）` };
  if (requested > window.latestDueOn) return { ok: false, reason: `归还日期不能晚于查阅授权的截止日（${window.latestDueOn}）` };
  return { ok: true, dueOn: requested };
}

/** Days past due: for an open lending counted to today, for a returned one to the day it came back. */
export function overdueDays(dueOn: string, today: string, returnedAt: string | null): number {
  const end = returnedAt ? beijingDay(returnedAt) : today;
  return Math.max(0, daysBetween(dueOn, end));
}

export function lendingState(dueOn: string, today: string, returnedAt: string | null): LendingState {
  if (returnedAt) return 'returned';
  return dueOn < today ? 'overdue' : 'open';
}

/** An open lending past due gets at most one reminder per Beijing day. */
export function reminderDue(dueOn: string, remindedAt: string | null, now: Date): boolean {
  const today = beijingDay(now);
  if (!(dueOn < today)) return false;
  return remindedAt === null || beijingDay(remindedAt) < today;
}
