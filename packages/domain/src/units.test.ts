import { describe, expect, it } from 'vitest';
import { SCOPE_LABELS, descendantsOf, resolveScope, wouldCycle, type UnitNode } from './units.js';

/**
 *   root
 *   ├── a
 *   │   ├── a1
 *   │   │   └── a1x
 *   │   └── a2
 *   └── b
 *       └── b1
 *   other (a second tree)
 */
const units: UnitNode[] = [
  { id: 'root', parentId: null },
  { id: 'a', parentId: 'root' },
  { id: 'a1', parentId: 'a' },
  { id: 'a1x', parentId: 'a1' },
  { id: 'a2', parentId: 'a' },
  { id: 'b', parentId: 'root' },
  { id: 'b1', parentId: 'b' },
  { id: 'other', parentId: null },
];

const sorted = (s: Set<string> | null) => (s === null ? null : [...s].sort());

describe('descendantsOf', () => {
  it('includes the unit itself and every unit below it, at any depth', () => {
    expect(sorted(descendantsOf(units, ['a']))).toEqual(['a', 'a1', 'a1x', 'a2']);
    expect(sorted(descendantsOf(units, ['root']))).toEqual(['a', 'a1', 'a1x', 'a2', 'b', 'b1', 'root']);
  });

  it('gives a leaf alone', () => {
    expect(sorted(descendantsOf(units, ['a1x']))).toEqual(['a1x']);
  });

  it('joins several roots, counting an overlap once', () => {
    expect(sorted(descendantsOf(units, ['a1', 'b']))).toEqual(['a1', 'a1x', 'b', 'b1']);
    expect(sorted(descendantsOf(units, ['a', 'a1', 'a1x']))).toEqual(['a', 'a1', 'a1x', 'a2']);
  });

  it('stays inside its own tree', () => {
    expect(sorted(descendantsOf(units, ['other']))).toEqual(['other']);
  });

  it('gives nothing for no roots', () => {
    expect(descendantsOf(units, []).size).toBe(0);
  });

  it('ends even when the stored data already holds a cycle', () => {
    const broken: UnitNode[] = [
      { id: 'x', parentId: 'y' },
      { id: 'y', parentId: 'x' },
    ];
    expect(sorted(descendantsOf(broken, ['x']))).toEqual(['x', 'y']);
  });
});

describe('wouldCycle', () => {
  it('refuses a unit as its own parent', () => {
    expect(wouldCycle(units, 'a', 'a')).toBe(true);
    expect(wouldCycle(units, 'a1x', 'a1x')).toBe(true);
  });

  it('refuses moving a unit under its child or any deeper descendant', () => {
    expect(wouldCycle(units, 'a', 'a1')).toBe(true);
    expect(wouldCycle(units, 'a', 'a1x')).toBe(true);
    expect(wouldCycle(units, 'root', 'b1')).toBe(true);
  });

  it('allows moving under a sibling, a cousin, an ancestor or another tree', () => {
    expect(wouldCycle(units, 'a', 'b')).toBe(false);
    expect(wouldCycle(units, 'a1', 'a2')).toBe(false);
    expect(wouldCycle(units, 'a1', 'b1')).toBe(false);
    expect(wouldCycle(units, 'a1x', 'root')).toBe(false);
    expect(wouldCycle(units, 'a', 'other')).toBe(false);
  });

  it('allows making a unit a top-level unit', () => {
    expect(wouldCycle(units, 'a', null)).toBe(false);
    expect(wouldCycle(units, 'root', null)).toBe(false);
  });
});

describe('resolveScope', () => {
  it('all: every unit (null, not a list)', () => {
    expect(resolveScope(units, { kind: 'all', unitId: 'a', namedUnitIds: [] })).toBeNull();
  });

  it('own_unit: only the user\'s own unit, not those below it', () => {
    expect(sorted(resolveScope(units, { kind: 'own_unit', unitId: 'a', namedUnitIds: ['b'] }))).toEqual(['a']);
  });

  it('unit_and_below: the user\'s unit and every unit below it', () => {
    expect(sorted(resolveScope(units, { kind: 'unit_and_below', unitId: 'a', namedUnitIds: ['b'] }))).toEqual(['a', 'a1', 'a1x', 'a2']);
    expect(sorted(resolveScope(units, { kind: 'unit_and_below', unitId: 'b1', namedUnitIds: [] }))).toEqual(['b1']);
  });

  it('named_units: the named units and everything below them, whatever the user\'s own unit', () => {
    expect(sorted(resolveScope(units, { kind: 'named_units', unitId: 'other', namedUnitIds: ['a1', 'b'] }))).toEqual([
      'a1', 'a1x', 'b', 'b1',
    ]);
  });

  it('named_units with none named reaches nothing', () => {
    expect(resolveScope(units, { kind: 'named_units', unitId: 'a', namedUnitIds: [] })?.size).toBe(0);
  });
});

describe('scope labels', () => {
  it('has a Chinese label for each kind', () => {
    expect(SCOPE_LABELS).toEqual({
      own_unit: '本单位', unit_and_below: '本单位及下级单位', named_units: '指定单位（含下级）', all: '全部单位',
    });
  });
});
