import { describe, expect, it } from 'vitest';
import { ageBand, ageOn, beijingDayEnd, beijingDayStart, crossTable, distribution, monthsBetween, onOrBefore, percent, yearEnds } from './stats.models.js';

describe('ageOn', () => {
  it('counts whole years to the day, the birthday itself included', () => {
    expect(ageOn('1990-03-03', '2026-03-02')).toBe(35);
    expect(ageOn('1990-03-03', '2026-03-03')).toBe(36);
    expect(ageOn('1996-02-29', '2026-02-28')).toBe(29);
    expect(ageOn('1996-02-29', '2026-03-01')).toBe(30);
  });
  it('takes a missing month or day as the first', () => {
    expect(ageOn('1965', '2026-01-01')).toBe(61);
    expect(ageOn('1965', '2025-12-31')).toBe(60);
    expect(ageOn('1980-05', '2026-04-30')).toBe(45);
    expect(ageOn('1980-05', '2026-05-01')).toBe(46);
  });
  it('has no age without a birth date, or for a birth after the day', () => {
    expect(ageOn(null, '2026-01-01')).toBeNull();
    expect(ageOn('2027-01-01', '2026-01-01')).toBeNull();
    expect(ageOn('garbage', '2026-01-01')).toBeNull();
  });
});

describe('ageBand', () => {
  it('puts the band edges where the statistics tables put them', () => {
    expect([30, 31, 35, 36, 40, 41, 45, 46, 50, 51, 55, 56, 60, 61].map(ageBand)).toEqual([
      'le30', '31to35', '31to35', '36to40', '36to40', '41to45', '41to45', '46to50', '46to50', '51to55', '51to55', '56to60', '56to60', 'gt60',
    ]);
    expect(ageBand(18)).toBe('le30');
    expect(ageBand(null)).toBe('unknown');
  });
});

describe('calendar helpers', () => {
  it('year ends of the five whole years before the day', () => {
    expect(yearEnds('2026-03-02')).toEqual(['2021-12-31', '2022-12-31', '2023-12-31', '2024-12-31', '2025-12-31']);
  });
  it('partial dates on or before a day', () => {
    expect(onOrBefore('2023', '2022-12-31')).toBe(false);
    expect(onOrBefore('2023', '2023-12-31')).toBe(true);
    expect(onOrBefore('2023-05', '2023-04-30')).toBe(false);
    expect(onOrBefore('2023-05-01', '2023-05-01')).toBe(true);
    expect(onOrBefore(null, '2023-05-01')).toBe(false);
  });
  it('Beijing days as UTC ranges, months between days', () => {
    expect(beijingDayStart('2026-03-02')).toBe('2026-03-01T16:00:00.000Z');
    expect(beijingDayEnd('2026-03-02')).toBe('2026-03-02T16:00:00.000Z');
    expect(monthsBetween('2025-11-15', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });
  it('percent with one decimal, none of nothing', () => {
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(0, 0)).toBeNull();
  });
});

describe('figure tables', () => {
  const base = { key: 'k', title: 'T', chart: 'bar' as const, rowHeader: 'R', notes: [] };
  const items = [{ u: 'a', g: '1' }, { u: 'a', g: '2' }, { u: 'b', g: '1' }, { u: 'b', g: 'x' }];
  const cats = [{ key: '1', label: '男' }, { key: '2', label: '女' }, { key: '3', label: '无' }];
  it('a distribution leaves empty categories out, keeps unknown codes, totals to all items', () => {
    const f = distribution(base, items, (i) => i.g, cats);
    expect(f.rows.map((r) => [r.label, ...r.values])).toEqual([['男', 2, 50], ['女', 1, 25], ['x', 1, 25]]);
    expect(f.total!.values).toEqual([4, 100]);
  });
  it('a cross table per group with a total column and row', () => {
    const f = crossTable(base, items, (i) => i.u, [{ key: 'a', label: '甲' }, { key: 'b', label: '乙' }, { key: 'c', label: '丙' }], (i) => i.g, cats);
    expect(f.columns.map((c) => c.label)).toEqual(['男', '女', 'x', '合计']);
    expect(f.rows.map((r) => [r.label, ...r.values])).toEqual([['甲', 1, 1, 0, 2], ['乙', 1, 0, 1, 2]]);
    expect(f.total!.values).toEqual([2, 1, 1, 4]);
  });
});
