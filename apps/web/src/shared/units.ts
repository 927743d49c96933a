import type { Unit } from '@dangan/contracts';
import { descendantsOf } from '@dangan/domain';
import type { ReactNode } from 'react';

export interface UnitNode {
  key: string;
  value: string;
  title: ReactNode;
  unit: Unit;
  disabled?: boolean;
  children?: UnitNode[];
}

function byOrder(a: Unit, b: Unit): number {
  return a.sortOrder - b.sortOrder || a.code.localeCompare(b.code);
}

/**
 * The unit list as a tree for Tree and TreeSelect. `exclude` drops a unit and its descendants (a unit
 * cannot move under itself); `disableDisabled` greys out units that may not be chosen.
 */
export function unitTree(
  units: Unit[] | undefined,
  options: { exclude?: string; disableDisabled?: boolean; title?: (u: Unit) => ReactNode } = {},
): UnitNode[] {
  const list = units ?? [];
  const excluded = options.exclude
    ? descendantsOf(list.map((u) => ({ id: u.id, parentId: u.parentId })), [options.exclude])
    : new Set<string>();
  const ids = new Set(list.map((u) => u.id));
  const children = new Map<string | null, Unit[]>();
  for (const u of list) {
    if (excluded.has(u.id)) continue;
    // A unit whose parent is outside what the user sees is shown as a root.
    const parent = u.parentId && ids.has(u.parentId) ? u.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), u]);
  }
  const build = (parent: string | null): UnitNode[] =>
    (children.get(parent) ?? []).sort(byOrder).map((u) => {
      const kids = build(u.id);
      return {
        key: u.id,
        value: u.id,
        title: options.title ? options.title(u) : u.disabled ? `${u.name}（已停用）` : u.name,
        unit: u,
        disabled: options.disableDisabled ? u.disabled : false,
        ...(kids.length > 0 ? { children: kids } : {}),
      };
    });
  return build(null);
}

export function unitName(units: Unit[] | undefined, id: string | null): string {
  if (!id) return '—';
  return units?.find((u) => u.id === id)?.name ?? '—';
}
