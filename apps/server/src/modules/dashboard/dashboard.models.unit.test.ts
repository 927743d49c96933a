import { describe, expect, it } from 'vitest';
import { beijingDate, beijingDayStart, dayWindow, defectFigures, mondayOf, stageAt, weekLabel, weekWindow, wholeDays } from './dashboard.models.js';

describe('Beijing calendar', () => {
  it('puts an instant on its Beijing day, and a day begins at 16:00 UTC the day before', () => {
    expect(beijingDate('2026-03-01T15:59:59.999Z')).toBe('2026-03-01');
    expect(beijingDate('2026-03-01T16:00:00.000Z')).toBe('2026-03-02');
    expect(beijingDayStart('2026-03-02').toISOString()).toBe('2026-03-01T16:00:00.000Z');
  });

  it('starts weeks on Monday, across month and year ends', () => {
    expect(mondayOf('2026-03-01')).toBe('2026-02-23'); // a Sunday
    expect(mondayOf('2026-03-02')).toBe('2026-03-02');
    expect(mondayOf('2026-01-01')).toBe('2025-12-29');
    expect(weekLabel('2025-12-29')).toBe('12月29日—1月4日');
  });

  it('lists the window oldest first, ending today and this week', () => {
    const now = new Date('2026-03-01T17:00:00.000Z'); // Monday 01:00 in Beijing
    expect(dayWindow(now, 3)).toEqual(['2026-02-28', '2026-03-01', '2026-03-02']);
    expect(weekWindow(now, 2)).toEqual(['2026-02-23', '2026-03-02']);
  });

  it('counts whole days waited and the current stage from the stages done', () => {
    expect(wholeDays('2026-02-25T01:00:00.000Z', new Date('2026-03-02T00:59:59.000Z'))).toBe(4);
    expect(wholeDays('2026-02-25T01:00:00.000Z', new Date('2026-03-02T01:00:00.000Z'))).toBe(5);
    expect(stageAt(0)).toBe('arrange');
    expect(stageAt(7)).toBe('return');
    expect(stageAt(8)).toBeNull();
  });
});

describe('defect figures', () => {
  it('divides defects by rounds and by thousands of pages, and leaves a rate empty when it has no base', () => {
    const rounds = [
      { id: 'a', verdict: 'fail' as const, verdictAt: '2026-03-02T01:00:00.000Z', pages: 120 },
      { id: 'b', verdict: 'pass' as const, verdictAt: '2026-03-02T02:00:00.000Z', pages: 80 },
      { id: 'c', verdict: 'pass' as const, verdictAt: '2026-03-02T03:00:00.000Z', pages: 0 },
    ];
    const f = defectFigures(rounds, new Map<string, Record<string, number>>([['a', { skew: 3, blur: 1 }], ['b', { skew: 1 }]]));
    expect(f).toMatchObject({ inspections: 3, failed: 1, defects: 5, pages: 200, perDossier: 1.6667, per1000Pages: 25, failRate: 0.3333 });
    expect(f.byType).toMatchObject({ skew: 4, blur: 1, stain: 0 });
    expect(defectFigures([], new Map())).toMatchObject({ inspections: 0, defects: 0, perDossier: null, per1000Pages: null, failRate: null });
    expect(defectFigures([rounds[2]!], new Map())).toMatchObject({ perDossier: 0, per1000Pages: null, failRate: 0 });
  });
});
