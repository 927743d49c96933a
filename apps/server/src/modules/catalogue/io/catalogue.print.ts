/**
 * A dossier's catalogue as it is printed or exported: already ordered, numbered and totalled by the
 * domain rules elsewhere. The renderers here only lay it out; they never reorder or renumber.
 */
export interface CataloguePrintMaterial {
  /** 序号 as computed by the domain, e.g. `3-2` or `4-1-3`. */
  seq: string;
  name: string;
  year: number | null;
  month: number | null;
  day: number | null;
  copies: number;
  pages: number;
  remark: string;
}

export interface CataloguePrintClass {
  /** `1` … `10`, or a subclass code such as `4-1`; a subclass follows its parent class. */
  code: string;
  label: string;
  isSubclass: boolean;
  materials: CataloguePrintMaterial[];
}

export interface CataloguePrint {
  /** The printing organization, e.g. 某省委组织部. */
  organizationName: string;
  cadreName: string;
  dossierNo: string;
  unitName: string;
  printedAt: Date;
  classes: CataloguePrintClass[];
}

export interface CatalogueTotals {
  /** Number of materials (材料份数: one 份号 each). */
  materials: number;
  /** Sum of the 份数 column. */
  copies: number;
  pages: number;
}

const NUMERALS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

function chineseNumber(n: number): string {
  if (n <= 10) return NUMERALS[n]!;
  if (n < 20) return `十${NUMERALS[n - 10]}`;
  return String(n);
}

/**
 * How a class is named in print: 「第一类」; a subclass reads 「第四类之一」, the wording archive offices
 * use for the 4-x and 9-x subclasses. A code outside that pattern (a province's own class tree) is
 * printed as it is.
 */
export function classOrdinal(code: string): string {
  const m = /^(\d+)(?:-(\d+))?$/.exec(code.trim());
  if (!m) return code;
  const sub = m[2] === undefined ? '' : `之${chineseNumber(Number(m[2]))}`;
  return `第${chineseNumber(Number(m[1]))}类${sub}`;
}

/** The heading printed above a class: 「第一类 履历类材料」, 「第四类之一 学历学位」, with an
 * ideographic space between number and name. */
export function classHeading(code: string, label: string): string {
  return `${classOrdinal(code)}\u3000${label}`;
}

export function totalsOf(materials: readonly CataloguePrintMaterial[]): CatalogueTotals {
  const t: CatalogueTotals = { materials: 0, copies: 0, pages: 0 };
  for (const m of materials) addTotals(t, { materials: 1, copies: m.copies, pages: m.pages });
  return t;
}

export function addTotals(into: CatalogueTotals, more: CatalogueTotals): CatalogueTotals {
  into.materials += more.materials;
  into.copies += more.copies;
  into.pages += more.pages;
  return into;
}

export function dossierTotals(print: CataloguePrint): CatalogueTotals {
  const t: CatalogueTotals = { materials: 0, copies: 0, pages: 0 };
  for (const c of print.classes) addTotals(t, totalsOf(c.materials));
  return t;
}

export function totalsText(t: CatalogueTotals): string {
  return `材料 ${t.materials} 份，页数合计 ${t.pages} 页`;
}

/** Month and day as customarily written in catalogues: two digits (2003.05.07). */
export function twoDigits(n: number | null): string {
  return n === null ? '' : String(n).padStart(2, '0');
}

/** The calendar date in China (UTC+8, no daylight saving), so a print made at night is dated right. */
export function chinaDateText(d: Date): string {
  const local = new Date(d.getTime() + 8 * 3_600_000);
  return `${local.getUTCFullYear()}年${local.getUTCMonth() + 1}月${local.getUTCDate()}日`;
}
