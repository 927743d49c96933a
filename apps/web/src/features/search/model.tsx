import { api, type QueryOf, type SearchHit } from '@dangan/contracts';
import { CLASS_TREE, type ClassCode, classLabel } from '@dangan/domain';
import type { ReactNode } from 'react';

export type SearchParams = QueryOf<typeof api.search.query>;

export const searchKeys = {
  results: (query: SearchParams) => ['search', query] as const,
};

export const KIND_LABELS: Record<SearchHit['kind'], string> = { cadre: '干部', material: '材料', page: '页面' };
export const KIND_COLORS: Record<SearchHit['kind'], string> = { cadre: 'blue', material: 'green', page: 'purple' };

/** The ten classes (and the subclasses of 4 and 9) as a tree for the class filter. */
export const CLASS_OPTIONS = CLASS_TREE.filter((n) => n.parent === null).map((n) => {
  const kids = CLASS_TREE.filter((k) => k.parent === n.code);
  return {
    value: n.code,
    title: `${n.code}. ${n.label}`,
    ...(kids.length ? { children: kids.map((k) => ({ value: k.code, title: `${k.code} ${k.label}` })) } : {}),
  };
});

export function classText(code: string): string {
  return CLASS_TREE.some((n) => n.code === code) ? `第${code}类 ${classLabel(code as ClassCode)}` : code;
}

/**
 * Sorted, merged, clamped `[start, end)` ranges of a text: what the highlighting may rely on whatever the
 * server sends (overlapping, out of order or past the end).
 */
export function normalizeRanges(length: number, ranges: readonly (readonly [number, number])[]): [number, number][] {
  const sorted = ranges
    .map(([s, e]) => [Math.max(0, Math.min(length, s)), Math.max(0, Math.min(length, e))] as [number, number])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/** The text as React nodes with the ranges in <mark>: plain text nodes, never HTML. */
export function highlight(text: string, ranges: readonly (readonly [number, number])[]): ReactNode[] {
  const nodes: ReactNode[] = [];
  let at = 0;
  for (const [s, e] of normalizeRanges(text.length, ranges)) {
    if (s > at) nodes.push(text.slice(at, s));
    nodes.push(
      <mark key={s} className="search-mark">
        {text.slice(s, e)}
      </mark>,
    );
    at = e;
  }
  if (at < text.length) nodes.push(text.slice(at));
  return nodes;
}

/** A box `[x, y, w, h]` in master pixels as percentages of the master image, for a div over the shown image. */
export function boxStyle(box: readonly number[], masterWidth: number, masterHeight: number) {
  const [x = 0, y = 0, w = 0, h = 0] = box;
  const pct = (v: number, of: number) => `${Math.max(0, Math.min(100, (v / of) * 100))}%`;
  return { left: pct(x, masterWidth), top: pct(y, masterHeight), width: pct(w, masterWidth), height: pct(h, masterHeight) };
}
