import type { Catalogue, Material } from '@dangan/contracts';
import {
  CLASS_TREE, IMPORTANCE_PATTERNS, LEAF_CLASS_CODES, classLabel, sortClass, type CatalogueMaterial, type ClassCode,
  type ImportanceClass, type LeafClassCode,
} from '@dangan/domain';
import { fromIsoPrefix } from '../cadres/format';

export type CatalogueClass = Catalogue['classes'][number];

const NUMERALS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 第三类 for a class, 4-1 for a subclass: how catalogues name them. */
export function classOrdinal(code: string): string {
  if (code.includes('-')) return code;
  return `第${NUMERALS[Number(code)] ?? code}类`;
}

export function ruleText(rule: CatalogueClass['rule']): string {
  if (rule === 'importance_then_time') return '按重要程度、形成时间排列';
  if (rule === 'subclasses') return '按子类、形成时间排列';
  return '按形成时间排列';
}

export function countText(materials: number, pages: number): string {
  return `${materials} 份，${pages} 页`;
}

/** The classes a material can be filed in, in catalogue order: 1, 2, 3, 4-1 … 4-4, 5 … 9-4, 10. */
export const LEAF_CLASS_OPTIONS = LEAF_CLASS_CODES.map((code) => ({
  value: code as string,
  label: `${code} ${classLabel(code)}`,
}));

export function isLeafCode(code: string): code is LeafClassCode {
  return (LEAF_CLASS_CODES as readonly string[]).includes(code);
}

/** The top-level class a class code belongs to ('4-2' → '4'). */
export function topClassOf(code: string): string {
  return CLASS_TREE.find((n) => n.code === code)?.parent ?? code;
}

export function isImportanceClass(code: string): code is ImportanceClass {
  return code in IMPORTANCE_PATTERNS;
}

/** The importance ranks of class 5, 6 or 8, most important first. */
export function importanceOptions(code: ImportanceClass): { value: number; label: string }[] {
  return [...IMPORTANCE_PATTERNS[code]].sort((a, b) => a.rank - b.rank).map((p) => ({ value: p.rank, label: p.label }));
}

function toDomain(m: Material, position: number): CatalogueMaterial {
  return {
    id: m.id,
    classCode: m.classCode as ClassCode,
    date: fromIsoPrefix(m.formedOn),
    importance: m.importance,
    manualPosition: position,
    createdSeq: 0,
  };
}

/**
 * The order one class takes when the clerk asks for `ids`: the domain's own rule, as the server runs
 * it. Where dates or ranks differ the rule decides; only ties follow the clerk.
 */
export function orderAfterRequest(materials: readonly Material[], ids: readonly string[]): string[] {
  const byId = new Map(materials.map((m) => [m.id, m]));
  return sortClass(ids.map((id, i) => toDomain(byId.get(id)!, i + 1))).map((m) => m.id);
}

export function sameOrder(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** `ids` with the item at `from` moved to index `to`. */
export function moveItem(ids: readonly string[], from: number, to: number): string[] {
  const next = [...ids];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}

/**
 * Whether moving the material at `index` one place up (−1) or down (+1) is a choice the rule leaves
 * open. Neighbours in rule order can trade places exactly when the rule ties them, which the pair
 * alone decides; so this stays cheap for classes of hundreds of materials.
 */
export function canMove(materials: readonly Material[], index: number, step: -1 | 1): boolean {
  const a = materials[index];
  const b = materials[index + step];
  if (!a || !b) return false;
  const [first, second] = step === 1 ? [a, b] : [b, a];
  const swapped = [second.id, first.id];
  return sameOrder(orderAfterRequest([first, second], swapped), swapped);
}

/** Every live material of the catalogue, in catalogue order. */
export function allMaterials(c: Catalogue): Material[] {
  return c.classes.flatMap((k) => k.materials);
}
