import { describe, expect, it } from 'vitest';
import { beijingDay, checkDueOn, dueWindow, lastGrantedDay, lendingState, overdueDays, reminderDue } from './lending.models.js';

describe('lending dates (Beijing)', () => {
  it('reads the Beijing day of an instant', () => {
    expect(beijingDay('2026-03-01T15:59:59.000Z')).toBe('2026-03-01');
    expect(beijingDay('2026-03-01T16:00:00.000Z')).toBe('2026-03-02');
  });
  it('a grant ending at midnight covers the day before', () => {
    expect(lastGrantedDay('2026-03-10T16:00:00.000Z')).toBe('2026-03-10');
    expect(lastGrantedDay('2026-03-10T16:00:00.001Z')).toBe('2026-03-11');
  });
  it('the default due date is today + the period, never after the grant', () => {
    const now = new Date('2026-03-02T01:00:00.000Z');
    expect(dueWindow(now, 14, '2026-04-30T16:00:00.000Z')).toEqual({ today: '2026-03-02', defaultDueOn: '2026-03-16', latestDueOn: '2026-04-30' });
    expect(dueWindow(now, 14, '2026-03-10T16:00:00.000Z').defaultDueOn).toBe('2026-03-10');
  });
  it('checks a requested due date', () => {
    const w = dueWindow(new Date('2026-03-02T01:00:00.000Z'), 14, '2026-03-10T16:00:00.000Z');
    expect(checkDueOn(undefined, w)).toEqual({ ok: true, dueOn: '2026-03-10' });
    expect(checkDueOn('2026-03-02', w)).toEqual({ ok: true, dueOn: '2026-03-02' });
    expect(checkDueOn('2026-03-01', w).ok).toBe(false);
    expect(checkDueOn('2026-03-11', w).ok).toBe(false);
    expect(checkDueOn('2026-02-30', w).ok).toBe(false);
  });
  it('overdue state and days, to today or to the day of return', () => {
    expect(lendingState('2026-03-10', '2026-03-10', null)).toBe('open');
    expect(lendingState('2026-03-10', '2026-03-11', null)).toBe('overdue');
    expect(lendingState('2026-03-10', '2026-03-11', '2026-03-12T00:00:00.000Z')).toBe('returned');
    expect(overdueDays('2026-03-10', '2026-03-17', null)).toBe(7);
    expect(overdueDays('2026-03-10', '2026-03-17', '2026-03-11T01:00:00.000Z')).toBe(1);
    expect(overdueDays('2026-03-10', '2026-03-05', null)).toBe(0);
  });
  it('reminds at most once per Beijing day, only past due', () => {
    const now = new Date('2026-03-12T01:00:00.000Z'); // 09:00 on the 12th
    expect(reminderDue('2026-03-12', null, now)).toBe(false);
    expect(reminderDue('2026-03-11', null, now)).toBe(true);
    expect(reminderDue('2026-03-11', '2026-03-11T17:00:00.000Z', now)).toBe(false); // 01:00 on the 12th
    expect(reminderDue('2026-03-11', '2026-03-11T15:00:00.000Z', now)).toBe(true); // 23:00 on the 11th
  });
});
