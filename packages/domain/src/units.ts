/** Data scope (数据范围): which units' archive data a user's archive permissions reach. */
export type ScopeKind = 'own_unit' | 'unit_and_below' | 'named_units' | 'all';

export const SCOPE_LABELS: Record<ScopeKind, string> = {
  own_unit: '本单位',
  unit_and_below: '本单位及下级单位',
  named_units: '指定单位（含下级）',
  all: '全部单位',
};

export interface UnitNode {
  id: string;
  parentId: string | null;
}

/** Ids of `rootIds` and every unit below them. */
export function descendantsOf(units: readonly UnitNode[], rootIds: Iterable<string>): Set<string> {
  const children = new Map<string, string[]>();
  for (const u of units) {
    if (u.parentId === null) continue;
    const list = children.get(u.parentId) ?? [];
    list.push(u.id);
    children.set(u.parentId, list);
  }
  const out = new Set<string>();
  const stack = [...rootIds];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

/** True when making `parentId` the parent of `unitId` would close a cycle. */
export function wouldCycle(units: readonly UnitNode[], unitId: string, parentId: string | null): boolean {
  if (parentId === null) return false;
  return descendantsOf(units, [unitId]).has(parentId);
}

export interface ScopeSpec {
  kind: ScopeKind;
  unitId: string;
  namedUnitIds: readonly string[];
}

/** The unit ids a scope reaches; `null` means every unit. */
export function resolveScope(units: readonly UnitNode[], scope: ScopeSpec): Set<string> | null {
  switch (scope.kind) {
    case 'all':
      return null;
    case 'own_unit':
      return new Set([scope.unitId]);
    case 'unit_and_below':
      return descendantsOf(units, [scope.unitId]);
    case 'named_units':
      return descendantsOf(units, scope.namedUnitIds);
  }
}
