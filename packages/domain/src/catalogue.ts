/**
 * The dossier catalogue (目录): the ten classes, their order rules and the computed numbering (序号).
 * DOMAIN.md §2.
 */
import { normalizeMaterialName } from './material-name.js';
import {
  type PartialDate,
  comparePartialDates,
  formatPartialDate,
  isDefinitelyBefore,
} from './partial-date.js';

export type ClassCode =
  | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '10'
  | '4-1' | '4-2' | '4-3' | '4-4' | '9-1' | '9-2' | '9-3' | '9-4';

/** Where a material can be filed: every class except 4 and 9, whose materials live in subclasses. */
export type LeafClassCode = Exclude<ClassCode, '4' | '9'>;

export interface ClassNode {
  code: ClassCode;
  label: string;
  parent: ClassCode | null;
}

/** Seed of the data dictionary's class tree (labels vary by province), in catalogue order. */
export const CLASS_TREE: readonly ClassNode[] = [
  { code: '1', label: '履历类材料', parent: null },
  { code: '2', label: '自传和思想类材料', parent: null },
  { code: '3', label: '考核鉴定类材料', parent: null },
  { code: '4', label: '学历学位、专业技术职务（职称）、学术评鉴和教育培训类材料', parent: null },
  { code: '4-1', label: '学历学位', parent: '4' },
  { code: '4-2', label: '职业（任职）资格和专业技术职务（职称）', parent: '4' },
  { code: '4-3', label: '科研学术（学术评鉴）', parent: '4' },
  { code: '4-4', label: '培训', parent: '4' },
  { code: '5', label: '政审、审计和审核类材料', parent: null },
  { code: '6', label: '党、团类材料', parent: null },
  { code: '7', label: '表彰奖励类材料', parent: null },
  { code: '8', label: '违规违纪违法处理处分类材料', parent: null },
  { code: '9', label: '工资、任免、出国和会议代表类材料', parent: null },
  { code: '9-1', label: '工资', parent: '9' },
  { code: '9-2', label: '任免', parent: '9' },
  { code: '9-3', label: '出国（境）', parent: '9' },
  { code: '9-4', label: '会议代表（及其他）', parent: '9' },
  { code: '10', label: '其他可供组织参考的材料', parent: null },
];

const NODES = new Map(CLASS_TREE.map((n, i) => [n.code, { ...n, index: i }]));

export function isLeafClass(code: ClassCode): code is LeafClassCode {
  return !CLASS_TREE.some((n) => n.parent === code);
}

export const LEAF_CLASS_CODES: readonly LeafClassCode[] = CLASS_TREE.map((n) => n.code).filter(isLeafClass);

export function classLabel(code: ClassCode): string {
  return NODES.get(code)!.label;
}

function notLeafReason(code: ClassCode): string {
  const subs = CLASS_TREE.filter((n) => n.parent === code).map((n) => `${n.code} ${n.label}`);
  return `第 ${code} 类材料须归入子类（${subs.join('、')}），不能直接归入第 ${code} 类`;
}

/** Reads a 类号 as typed or imported ("4-1", "4－1", " 3 "); only a leaf class is accepted. */
export function parseClassCode(text: string): { ok: true; code: LeafClassCode } | { ok: false; reason: string } {
  const s = text.normalize('NFKC').replace(/\s+/g, '').replace(/[—–－]/g, '-');
  const node = NODES.get(s as ClassCode);
  if (!node) return { ok: false, reason: `无效的类号：“${text.trim()}”` };
  if (!isLeafClass(node.code)) return { ok: false, reason: notLeafReason(node.code) };
  return { ok: true, code: node.code };
}

/** Catalogue order of classes: 1, 2, 3, 4-1 … 4-4, 5 … 9-4, 10. */
export function compareClassCodes(a: ClassCode, b: ClassCode): number {
  return NODES.get(a)!.index - NODES.get(b)!.index;
}

export type OrderRule = 'time' | 'importance_then_time';

export const ORDER_RULE_LABELS: Record<OrderRule, string> = {
  time: '按材料形成时间排序',
  importance_then_time: '先按重要程度，再按材料形成时间排序',
};

/** Classes 4 and 9 order by subclass first; inside each subclass, as everywhere else but 5, 6, 8, by time. */
export function orderRule(classCode: ClassCode): OrderRule {
  return classCode === '5' || classCode === '6' || classCode === '8' ? 'importance_then_time' : 'time';
}

export interface CatalogueMaterial {
  id: string;
  classCode: ClassCode;
  date: PartialDate | null;
  /** Lower is more important; used by classes 5, 6 and 8 only. */
  importance: number | null;
  /** The clerk's chosen order, deciding where the rule leaves a choice. */
  manualPosition: number | null;
  /** Order of entry: the last, stable tie-breaker. */
  createdSeq: number;
}

export interface NamedCatalogueMaterial extends CatalogueMaterial {
  name: string;
}

function compareNullsLast(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}

const compareBand = (a: CatalogueMaterial, b: CatalogueMaterial, rule: OrderRule) =>
  rule === 'importance_then_time' ? compareNullsLast(a.importance, b.importance) : 0;

/*
 * An unranked material goes after every ranked one (the tables list "others" last); an undated one
 * after every dated one of its band, because its place in time is unknown and, appended at the end,
 * it does not shift the numbers of the dated materials. Among ties, a material the clerk has placed
 * goes before one never placed (a new entry joins the end), then entry order decides.
 */
function compareInClass(a: CatalogueMaterial, b: CatalogueMaterial, rule: OrderRule): number {
  const byBand = compareBand(a, b, rule);
  if (byBand !== 0) return byBand;
  if (a.date === null || b.date === null) {
    if (a.date !== b.date) return a.date === null ? 1 : -1;
  } else {
    const byDate = comparePartialDates(a.date, b.date);
    if (byDate !== 0) return byDate;
  }
  return (
    compareNullsLast(a.manualPosition, b.manualPosition) ||
    a.createdSeq - b.createdSeq ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** The materials of one class in the order its rule gives; a new array. */
export function sortClass<T extends CatalogueMaterial>(materials: readonly T[]): T[] {
  const first = materials[0];
  if (first === undefined) return [];
  if (materials.some((m) => m.classCode !== first.classCode)) throw new Error('sortClass 只能排序同一类的材料');
  const rule = orderRule(first.classCode);
  return [...materials].sort((a, b) => compareInClass(a, b, rule));
}

/** A whole dossier in catalogue order: by class, then by each class's rule. */
export function sortCatalogue<T extends CatalogueMaterial>(materials: readonly T[]): T[] {
  return [...materials].sort(
    (a, b) => compareClassCodes(a.classCode, b.classCode) || compareInClass(a, b, orderRule(a.classCode)),
  );
}

export interface CatalogueNumber {
  classCode: LeafClassCode;
  份号: number;
  /** 类号-份号: "3-2", or three levels in a subclass: "4-1-3". */
  序号: string;
}

/**
 * Numbers every material of a dossier. Numbers are computed, never typed: 份号 restarts at 1 in each
 * leaf class, and inserting a material shifts the numbers after it while ids stay with materials.
 * A material filed under 4 or 9 itself is a data error that validation must have refused; it throws.
 */
export function numberCatalogue(materials: readonly CatalogueMaterial[]): Map<string, CatalogueNumber> {
  const byClass = new Map<ClassCode, CatalogueMaterial[]>();
  const seen = new Set<string>();
  for (const m of materials) {
    if (!isLeafClass(m.classCode)) throw new Error(notLeafReason(m.classCode));
    if (seen.has(m.id)) throw new Error(`材料编号重复：${m.id}`);
    seen.add(m.id);
    const list = byClass.get(m.classCode);
    if (list) list.push(m);
    else byClass.set(m.classCode, [m]);
  }
  const out = new Map<string, CatalogueNumber>();
  for (const code of LEAF_CLASS_CODES) {
    sortClass(byClass.get(code) ?? []).forEach((m, i) => {
      out.set(m.id, { classCode: code, 份号: i + 1, 序号: `${code}-${i + 1}` });
    });
  }
  return out;
}

/** Ids whose number is new or changed between two numberings: the rows a renumbering must update. */
export function renumbered(
  before: ReadonlyMap<string, CatalogueNumber>,
  after: ReadonlyMap<string, CatalogueNumber>,
): string[] {
  return [...after].filter(([id, n]) => before.get(id)?.序号 !== n.序号).map(([id]) => id);
}

export type ImportanceClass = '5' | '6' | '8';

/** A name pattern (a regular expression over the normalized name, kept as text so it can be stored). */
export interface ImportancePattern {
  rank: number;
  label: string;
  pattern: string;
}

/*
 * Listed in the order they are tried, which is not rank order: "本人对审查结论的意见" must be tried as
 * 本人意见 before 结论, and "预备党员转正申请书" as 转正 before 申请书. Unmatched names get no rank.
 */
export const IMPORTANCE_PATTERNS: Readonly<Record<ImportanceClass, readonly ImportancePattern[]>> = {
  '5': [
    { rank: 3, label: '本人意见', pattern: '本人.*意见' },
    { rank: 1, label: '批复', pattern: '批复' },
    { rank: 6, label: '本人检讨', pattern: '检讨|本人.*检查' },
    { rank: 4, label: '调查报告', pattern: '调查报告' },
    { rank: 5, label: '证明材料', pattern: '证明' },
    { rank: 2, label: '结论', pattern: '结论|认定' },
  ],
  '6': [
    { rank: 1, label: '志愿书', pattern: '志愿书' },
    { rank: 3, label: '转正', pattern: '转正' },
    { rank: 2, label: '申请书', pattern: '申请' },
    { rank: 4, label: '登记表', pattern: '登记表' },
  ],
  '8': [
    { rank: 3, label: '本人意见', pattern: '本人.*意见' },
    { rank: 1, label: '批复', pattern: '批复' },
    { rank: 6, label: '本人检讨', pattern: '检讨|本人.*检查' },
    { rank: 4, label: '调查报告', pattern: '调查报告' },
    { rank: 5, label: '证明材料', pattern: '证明' },
    { rank: 2, label: '处分决定', pattern: '决定|给予.*处分' },
  ],
};

const compiled = new Map<string, RegExp>();
function regex(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'u');
    compiled.set(pattern, re);
  }
  return re;
}

function isImportanceClass(code: ClassCode): code is ImportanceClass {
  return code in IMPORTANCE_PATTERNS;
}

/** The rank the name suggests in classes 5, 6 and 8; null elsewhere or when no pattern fits. */
export function importanceFor(classCode: ClassCode, materialName: string): number | null {
  if (!isImportanceClass(classCode)) return null;
  const name = normalizeMaterialName(materialName);
  return IMPORTANCE_PATTERNS[classCode].find((p) => regex(p.pattern).test(name))?.rank ?? null;
}

export function importanceLabel(classCode: ClassCode, rank: number): string | null {
  if (!isImportanceClass(classCode)) return null;
  return IMPORTANCE_PATTERNS[classCode].find((p) => p.rank === rank)?.label ?? null;
}

export interface ClassSuggestion {
  pattern: string;
  classCode: LeafClassCode;
}

/*
 * Tried in order, first match wins, so the narrower pattern comes first: 任职资格 (4-2) before 任职
 * (9-2), 毕业鉴定 (4-1) before 鉴定 (3), 培训 (4-4) before 考核 (3). Only names that are
 * unambiguous in practice are listed; a wrong warning teaches clerks to ignore warnings.
 */
export const CLASS_SUGGESTIONS: readonly ClassSuggestion[] = [
  { pattern: '入党志愿书|入团志愿书|入党申请|入团申请|党员登记表|团员登记表|预备党员', classCode: '6' },
  { pattern: '学位证书|学位证明|毕业证书|毕业生?登记表|毕业鉴定|学历|成绩表|成绩单|考生登记表|学籍', classCode: '4-1' },
  { pattern: '职称|专业技术职务|任职资格|职业资格|资格证书|资格评审', classCode: '4-2' },
  { pattern: '培训|进修', classCode: '4-4' },
  { pattern: '年度考核|考核登记表|考核表|考察材料|鉴定表', classCode: '3' },
  { pattern: '任免审批表|任免呈报表|任职|免职|任命|聘任|聘用|录用', classCode: '9-2' },
  { pattern: '工资|薪级|津贴', classCode: '9-1' },
  { pattern: '出国|出境|因公护照|赴港|赴澳|赴台', classCode: '9-3' },
  { pattern: '代表登记表|党代会代表|人大代表|政协委员', classCode: '9-4' },
  { pattern: '处分|违纪|违法|诫勉', classCode: '8' },
  { pattern: '表彰|嘉奖|记功|立功|奖励|荣誉称号|劳动模范|先进个人|先进工作者', classCode: '7' },
  { pattern: '政审|审计|专项审核', classCode: '5' },
  { pattern: '履历表|履历书', classCode: '1' },
  { pattern: '自传', classCode: '2' },
  { pattern: '论文|著作|科研成果|学术', classCode: '4-3' },
];

/** The class a material's name points to, and the words that point there; null when it says nothing. */
export function suggestClass(name: string): { classCode: LeafClassCode; matched: string } | null {
  const n = normalizeMaterialName(name);
  for (const s of CLASS_SUGGESTIONS) {
    const m = regex(s.pattern).exec(n);
    if (m) return { classCode: s.classCode, matched: m[0] };
  }
  return null;
}

export type PlacementWarningCode =
  | 'not_leaf_class'
  | 'undated'
  | 'importance_unset'
  | 'date_out_of_order'
  | 'importance_out_of_order'
  | 'suggest_other_class';

export interface PlacementWarning {
  code: PlacementWarningCode;
  message: string;
  /** The materials the warning is about besides the checked one. */
  relatedIds?: string[];
  suggestedClass?: LeafClassCode;
  suggestedImportance?: number;
}

const showDate = (d: PartialDate | null) => (d === null ? '时间不详' : formatPartialDate(d));

function showRank(classCode: ClassCode, rank: number | null): string {
  if (rank === null) return '未定';
  return importanceLabel(classCode, rank) ?? `第 ${rank} 位`;
}

function listNames(items: NamedCatalogueMaterial[], detail: (m: NamedCatalogueMaterial) => string): string {
  const shown = items.slice(0, 3).map((m) => `「${m.name}」（${detail(m)}）`).join('、');
  return items.length > 3 ? `${shown}等 ${items.length} 份` : shown;
}

/**
 * Where the clerk's manual order contradicts the rule. Only a definite contradiction counts: a
 * year-only date may stand for any month of its year, and an undated material for any time at all.
 */
function outOfOrder(material: NamedCatalogueMaterial, others: NamedCatalogueMaterial[]): PlacementWarning[] {
  const rule = orderRule(material.classCode);
  const mustPrecede = (x: CatalogueMaterial, y: CatalogueMaterial) => {
    const byBand = compareBand(x, y, rule);
    if (byBand !== 0) return byBand < 0;
    return x.date !== null && y.date !== null && isDefinitelyBefore(x.date, y.date);
  };
  const pos = material.manualPosition!;
  const conflicts = others.filter(
    (o) =>
      o.manualPosition !== null &&
      o.manualPosition !== pos &&
      (o.manualPosition < pos ? mustPrecede(material, o) : mustPrecede(o, material)),
  );
  const byImportance = conflicts.filter((o) => compareBand(o, material, rule) !== 0);
  const byDate = conflicts.filter((o) => compareBand(o, material, rule) === 0);
  const warnings: PlacementWarning[] = [];
  if (byImportance.length > 0) {
    warnings.push({
      code: 'importance_out_of_order',
      message:
        `手工排定的位置与重要程度不符（本材料：${showRank(material.classCode, material.importance)}）：` +
        `${listNames(byImportance, (o) => showRank(o.classCode, o.importance))}；本类先按重要程度排序`,
      relatedIds: byImportance.map((o) => o.id),
    });
  }
  if (byDate.length > 0) {
    warnings.push({
      code: 'date_out_of_order',
      message:
        `手工排定的位置与形成时间先后不符（本材料：${showDate(material.date)}）：` +
        `${listNames(byDate, (o) => showDate(o.date))}；` +
        (rule === 'time' ? '本类按形成时间排序' : '同一重要程度内按形成时间排序'),
      relatedIds: byDate.map((o) => o.id),
    });
  }
  return warnings;
}

/**
 * Warnings, never errors, about where a material sits: the clerk may know better, but should look.
 * `classMaterials` are the materials of the same class (the checked one among them or not).
 */
export function checkPlacement(
  material: NamedCatalogueMaterial,
  classMaterials: readonly NamedCatalogueMaterial[],
): PlacementWarning[] {
  const warnings: PlacementWarning[] = [];
  const code = material.classCode;
  if (!isLeafClass(code)) warnings.push({ code: 'not_leaf_class', message: notLeafReason(code) });
  const rule = orderRule(code);
  if (material.date === null) {
    warnings.push({
      code: 'undated',
      message:
        rule === 'time'
          ? '未填写材料形成时间：本类按形成时间排序，暂排在本类末尾'
          : '未填写材料形成时间：同一重要程度内按形成时间排序，暂排在该重要程度的末尾',
    });
  }
  if (rule === 'importance_then_time' && material.importance === null) {
    const rank = importanceFor(code, material.name);
    if (rank !== null) {
      warnings.push({
        code: 'importance_unset',
        message: `未设重要程度：按材料名称建议为「${showRank(code, rank)}」`,
        suggestedImportance: rank,
      });
    }
  }
  if (material.manualPosition !== null) {
    const others = classMaterials.filter((o) => o.id !== material.id && o.classCode === code);
    warnings.push(...outOfOrder(material, others));
  }
  const suggestion = suggestClass(material.name);
  if (suggestion && suggestion.classCode !== code) {
    const to = suggestion.classCode;
    warnings.push({
      code: 'suggest_other_class',
      message: `材料名称含“${suggestion.matched}”，通常归入第 ${to} 类（${classLabel(to)}），当前在第 ${code} 类`,
      suggestedClass: to,
    });
  }
  return warnings;
}
