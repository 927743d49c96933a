import { calendarDateAt, formatPartialDate, parsePartialDate, type CalendarDate, type PartialDate } from '@dangan/domain';
import { Tag } from 'antd';

/** Today as the calendar in China has it, whatever the zone of the computer. */
export function todayInChina(): CalendarDate {
  return calendarDateAt(new Date());
}

/** The API carries partial dates as ISO prefixes: `1970`, `1970-05`, `1970-05-12`. */
export function fromIsoPrefix(text: string | null | undefined): PartialDate | null {
  if (!text) return null;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text);
  if (!m) return null;
  return { year: Number(m[1]), month: m[2] ? Number(m[2]) : null, day: m[3] ? Number(m[3]) : null };
}

/** `1970.05.12`, `1970.05` or `1970`: the notation of cadre forms and catalogues. */
export function showPartialDate(iso: string | null | undefined, empty = '—'): string {
  if (!iso) return empty;
  const d = fromIsoPrefix(iso);
  return d ? formatPartialDate(d) : iso;
}

/** The same date spelled out, to confirm what was understood: 1970年5月12日. */
export function spellPartialDate(d: PartialDate): string {
  if (d.month === null) return `${d.year}年（月日不详）`;
  if (d.day === null) return `${d.year}年${d.month}月（日不详）`;
  return `${d.year}年${d.month}月${d.day}日`;
}

export const PARTIAL_DATE_HINT = '可写作 1970.05 或 1970.05.12';

export type DateFeedback = { ok: true; value: PartialDate } | { ok: false; reason: string } | null;

/** What a typed date field is understood as; null while empty (empty means unknown). */
export function readPartialDate(text: string | null | undefined): DateFeedback {
  if (!text || text.trim() === '') return null;
  return parsePartialDate(text, todayInChina());
}

/** A form rule for a typed date: empty is allowed, anything else must parse. */
export function partialDateRule() {
  return {
    validator: async (_: unknown, value: string | undefined) => {
      const read = readPartialDate(value);
      if (read && !read.ok) throw new Error(read.reason);
    },
  };
}

/** The typed value as sent to the API: null for empty; the server parses the rest. */
export function dateToApi(text: string | null | undefined): string | null {
  const t = text?.trim();
  return t ? t : null;
}

const STATE_COLORS: Record<string, string> = {
  pending_receipt: 'gold',
  in_store: 'green',
  out_for_digitization: 'blue',
  lent: 'orange',
  transferred_out: 'purple',
  closed: 'default',
};

export function DossierStateTag({ state, label }: { state: string | null; label: string | null }) {
  if (!state) return <Tag>未建档</Tag>;
  return (
    <Tag color={STATE_COLORS[state] ?? 'default'} style={{ marginInlineEnd: 0 }}>
      {label ?? state}
    </Tag>
  );
}

export interface CodeNode {
  value: string;
  title: string;
  children?: CodeNode[];
}

/**
 * A hierarchical code table (学历, 学位) as TreeSelect data: entries under their parent, enabled
 * entries only, but a disabled current value stays readable.
 */
export function dictionaryTree(
  entries: { code: string; label: string; parentCode: string | null; enabled: boolean; sortOrder: number }[] | undefined,
  keep?: string | null,
): CodeNode[] {
  const shown = (entries ?? []).filter((e) => e.enabled || e.code === keep);
  const codes = new Set(shown.map((e) => e.code));
  const byParent = new Map<string | null, typeof shown>();
  for (const e of shown) {
    const parent = e.parentCode && codes.has(e.parentCode) ? e.parentCode : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), e]);
  }
  const build = (parent: string | null): CodeNode[] =>
    (byParent.get(parent) ?? [])
      .sort((a, b) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code))
      .map((e) => {
        const children = build(e.code);
        return {
          value: e.code,
          title: e.enabled ? e.label : `${e.label}（已停用）`,
          ...(children.length > 0 ? { children } : {}),
        };
      });
  return build(null);
}
