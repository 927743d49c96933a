/**
 * Completeness (DOMAIN.md §3): which materials a cadre's dossier should hold given what we know of
 * him, as rules that are plain JSON (stored in the database, editable by the archive manager), and an
 * engine that answers present / missing / cannot tell, always with a Chinese reason.
 */
import { type ClassCode, CLASS_TREE } from './catalogue.js';
import { normalizeMaterialName, yearsInName } from './material-name.js';
import { type PartialDate, formatPartialDate } from './partial-date.js';

export type TitleLevel = 'none' | 'junior' | 'intermediate' | 'senior';

export const TITLE_LEVEL_LABELS: Record<TitleLevel, string> = {
  none: '无职称',
  junior: '初级',
  intermediate: '中级',
  senior: '高级',
};

/** What the engine knows of a cadre; `null` (or an absent optional field) means not known. */
export interface CadreFacts {
  birthDate: PartialDate | null;
  workStartDate: PartialDate | null;
  partyMember: boolean | null;
  partyJoinDate: PartialDate | null;
  /** The status as DOMAIN.md §1 names it: 在职, 离退休, 调出, 去世. */
  personnelStatus: string | null;
  /** 学历代码 (GB/T 4658): 1x 研究生, 2x 大学本科, 3x 大学专科, 4x 中专 … */
  educationCode?: string | null;
  hasDegree?: boolean | null;
  hasForeignDegree?: boolean | null;
  titleLevel?: TitleLevel | null;
  /** Years of the appointments (任免) known from the cadre's record; null = not recorded. */
  appointments?: { year: number }[] | null;
  currentYear: number;
}

export const IN_SERVICE_STATUS = '在职';

/**
 * A year in a rule: a number, or one read from the facts. `last_service_year` is last year for a
 * cadre in service, and unknown otherwise (we are not told when he retired or left).
 */
export type YearVariable = 'work_start_year' | 'party_join_year' | 'last_year' | 'last_service_year';
export type YearExpr = number | YearVariable | { max: YearExpr[] } | { min: YearExpr[] };

export type Condition =
  | { kind: 'always' }
  | { kind: 'party_member' }
  /** A party member whose 入党时间 falls in an earlier year than `year`. */
  | { kind: 'joined_party_before'; year: number }
  /** 参加工作时间 in an earlier year than `year`. */
  | { kind: 'worked_before'; year: number }
  /** 学历代码 starting with one of `prefixes`; `label` names the set in reasons. */
  | { kind: 'education_code_in'; prefixes: string[]; label: string }
  | { kind: 'has_degree' }
  | { kind: 'has_foreign_degree' }
  | { kind: 'title_at_least'; level: Exclude<TitleLevel, 'none'> }
  | { kind: 'all'; of: Condition[] }
  | { kind: 'any'; of: Condition[] };

export type Expectation =
  /** At least one material, dated (or named with a year) within the bounds if any are given. */
  | { kind: 'one'; from?: YearExpr; to?: YearExpr }
  /**
   * One material per year from `from` to `to`. `itemLabel` names a missing year ("{year} 年度考核登记表").
   * `lateFilingMonths`: a material dated in the first months of a year, with no year in its name, may
   * be the previous year's (annual forms are filled in at the turn of the year).
   */
  | { kind: 'per_year'; from: YearExpr; to: YearExpr; itemLabel?: string; lateFilingMonths?: number }
  /** One material per known appointment in or after `since`, matched by year. */
  | { kind: 'per_appointment'; since: number; itemLabel?: string };

export interface CompletenessRule {
  code: string;
  label: string;
  classCode: ClassCode;
  appliesWhen: Condition;
  expectation: Expectation;
  /** Names that count as this material, matched by containment after normalization. */
  synonyms: string[];
  basis: string;
}

export interface CompletenessMaterial {
  name: string;
  classCode: ClassCode;
  date: PartialDate | null;
}

/** `not_applicable`: the rule does not concern this cadre (or expects nothing yet); the reason says why. */
export type CompletenessStatus = 'present' | 'missing' | 'unknown' | 'not_applicable';

export interface CompletenessResult {
  code: string;
  label: string;
  status: CompletenessStatus;
  /** What is (or, when the status is unknown, may be) missing: "2003 年度考核登记表". */
  missingItems?: string[];
  /** Indexes into the materials that count for the rule. */
  matched: number[];
  reason: string;
}

const HIGHER_EDUCATION: Condition = {
  kind: 'education_code_in',
  prefixes: ['1', '2', '3'],
  label: '大学专科及以上学历',
};
const RESUME_SYNONYMS = ['干部履历表', '履历表', '履历书'];
const PRACTICE = '干部人事档案审核工作惯例（可调整）';

/** The seeded rules: only what DOMAIN.md §3 states and the facts can decide. */
export const SEEDED_RULES: readonly CompletenessRule[] = [
  {
    code: 'resume',
    label: '干部履历表',
    classCode: '1',
    appliesWhen: { kind: 'always' },
    expectation: { kind: 'one' },
    synonyms: RESUME_SYNONYMS,
    basis: `${PRACTICE}：每名干部应有干部履历表`,
  },
  {
    code: 'resume_1999',
    label: '干部履历表（1999 年版）',
    classCode: '1',
    appliesWhen: { kind: 'worked_before', year: 1999 },
    expectation: { kind: 'one', from: 1999 },
    synonyms: RESUME_SYNONYMS,
    basis: `${PRACTICE}：1999 年以前参加工作的，应有 1999 年版干部履历表（1999 年及以后填写）`,
  },
  {
    code: 'resume_1988',
    label: '干部履历表（1988 年版）',
    classCode: '1',
    appliesWhen: { kind: 'worked_before', year: 1988 },
    expectation: { kind: 'one', from: 1988, to: 1998 },
    synonyms: RESUME_SYNONYMS,
    basis: `${PRACTICE}：1988 年以前参加工作的，应有 1988 年版干部履历表（1988—1998 年填写）`,
  },
  {
    code: 'annual_appraisal',
    label: '年度考核登记表',
    classCode: '3',
    appliesWhen: { kind: 'always' },
    expectation: {
      kind: 'per_year',
      from: { max: [1997, 'work_start_year'] },
      to: 'last_service_year',
      itemLabel: '{year} 年度考核登记表',
      lateFilingMonths: 3,
    },
    synonyms: ['年度考核', '考核登记表'],
    basis: `${PRACTICE}：1997 年以来（或参加工作以来）每年一份年度考核登记表，截至上一年度`,
  },
  {
    code: 'education_application',
    label: '报考登记表',
    classCode: '4-1',
    appliesWhen: HIGHER_EDUCATION,
    expectation: { kind: 'one' },
    synonyms: ['报考', '考生登记表', '考生报名', '招生登记表'],
    basis: `${PRACTICE}：学历学位材料应完整，含报考表`,
  },
  {
    code: 'education_transcript',
    label: '学习成绩表',
    classCode: '4-1',
    appliesWhen: HIGHER_EDUCATION,
    expectation: { kind: 'one' },
    synonyms: ['成绩表', '成绩单', '学习成绩', '成绩登记'],
    basis: `${PRACTICE}：学历学位材料应完整，含成绩表`,
  },
  {
    code: 'education_graduation',
    label: '毕业生登记表',
    classCode: '4-1',
    appliesWhen: HIGHER_EDUCATION,
    expectation: { kind: 'one' },
    synonyms: ['毕业生登记表', '毕业登记表', '毕业鉴定', '毕业生鉴定'],
    basis: `${PRACTICE}：学历学位材料应完整，含毕业登记表`,
  },
  {
    code: 'education_degree',
    label: '学位材料',
    classCode: '4-1',
    appliesWhen: { kind: 'has_degree' },
    expectation: { kind: 'one' },
    synonyms: ['学位'],
    basis: `${PRACTICE}：有学位的，应有学位材料`,
  },
  {
    code: 'foreign_degree_certification',
    label: '国（境）外学历学位认证书',
    classCode: '4-1',
    appliesWhen: { kind: 'has_foreign_degree' },
    expectation: { kind: 'one' },
    synonyms: ['学历学位认证', '学位认证', '学历认证', '留学服务中心'],
    basis: `${PRACTICE}：国（境）外学历学位须有教育部留学服务中心的认证`,
  },
  {
    code: 'party_application',
    label: '入党志愿书',
    classCode: '6',
    appliesWhen: { kind: 'party_member' },
    expectation: { kind: 'one' },
    synonyms: ['入党志愿书'],
    basis: `${PRACTICE}：中共党员应有入党志愿书`,
  },
  {
    code: 'party_registration_1985',
    label: '党员登记表（1985 年整党）',
    classCode: '6',
    appliesWhen: { kind: 'joined_party_before', year: 1985 },
    expectation: { kind: 'one', from: 1984, to: 1987 },
    synonyms: ['党员登记表'],
    basis: `${PRACTICE}：1985 年以前入党的，应有整党时（1984—1987 年）的党员登记表`,
  },
  {
    code: 'party_registration_1990',
    label: '党员登记表（1990 年）',
    classCode: '6',
    appliesWhen: { kind: 'joined_party_before', year: 1990 },
    expectation: { kind: 'one', from: 1989, to: 1991 },
    synonyms: ['党员登记表'],
    basis: `${PRACTICE}：1990 年以前入党的，应有 1990 年前后（1989—1991 年）的党员登记表`,
  },
  {
    code: 'appointment_forms',
    label: '干部任免审批表',
    classCode: '9-2',
    appliesWhen: { kind: 'always' },
    expectation: { kind: 'per_appointment', since: 1997, itemLabel: '{year} 年干部任免审批表' },
    synonyms: ['任免审批表', '任免呈报表', '任职审批表'],
    basis: `${PRACTICE}：1997 年以来每次任免应有干部任免审批表；缺失的，档案审核直接判为不合格`,
  },
  {
    code: 'wage_since_1993',
    label: '工资材料（1993 年以来）',
    classCode: '9-1',
    appliesWhen: { kind: 'worked_before', year: 1994 },
    expectation: { kind: 'one', from: 1993 },
    synonyms: ['工资', '薪级', '套改', '定级'],
    basis: `${PRACTICE}：1993 年时已参加工作的，应有 1993 年以来的工资材料`,
  },
  {
    code: 'professional_title',
    label: '专业技术职务（职称）材料',
    classCode: '4-2',
    appliesWhen: { kind: 'title_at_least', level: 'intermediate' },
    expectation: { kind: 'one' },
    synonyms: ['职称', '专业技术职务', '任职资格', '资格评审', '资格证书'],
    basis: `${PRACTICE}：中级及以上职称应有评审或认定材料`,
  },
];

export type ConditionTruth = { value: boolean | 'unknown'; reason: string };

const TITLE_ORDER: TitleLevel[] = ['none', 'junior', 'intermediate', 'senior'];

function knownBool(v: boolean | null | undefined, yes: string, no: string, unknown: string): ConditionTruth {
  if (v === null || v === undefined) return { value: 'unknown', reason: unknown };
  return { value: v, reason: v ? yes : no };
}

function combine(parts: ConditionTruth[], decisive: boolean): ConditionTruth {
  const hit = parts.find((p) => p.value === decisive);
  if (hit) return hit;
  const unknown = parts.find((p) => p.value === 'unknown');
  if (unknown) return unknown;
  return { value: !decisive, reason: parts.map((p) => p.reason).join('；') };
}

/** Three-valued: a condition on facts we lack is neither true nor false. */
export function evaluateCondition(c: Condition, f: CadreFacts): ConditionTruth {
  switch (c.kind) {
    case 'always':
      return { value: true, reason: '适用于所有干部' };
    case 'party_member':
      return knownBool(f.partyMember, '中共党员', '非中共党员', '政治面貌未知，无法判断是否为中共党员');
    case 'joined_party_before': {
      if (f.partyMember === false) return { value: false, reason: '非中共党员' };
      if (f.partyJoinDate === null) {
        const what = f.partyMember === null ? '政治面貌和入党时间未知' : '入党时间未知';
        return { value: 'unknown', reason: `${what}，无法判断 ${c.year} 年以前是否已入党` };
      }
      const shown = formatPartialDate(f.partyJoinDate);
      return f.partyJoinDate.year < c.year
        ? { value: true, reason: `${shown} 入党，早于 ${c.year} 年` }
        : { value: false, reason: `${shown} 入党，${c.year} 年以前尚未入党` };
    }
    case 'worked_before': {
      if (f.workStartDate === null) {
        return { value: 'unknown', reason: `参加工作时间未知，无法判断是否在 ${c.year} 年以前参加工作` };
      }
      const shown = formatPartialDate(f.workStartDate);
      return f.workStartDate.year < c.year
        ? { value: true, reason: `${shown} 参加工作，早于 ${c.year} 年` }
        : { value: false, reason: `${shown} 参加工作，${c.year} 年以前尚未参加工作` };
    }
    case 'education_code_in': {
      const code = f.educationCode?.trim();
      if (!code) return { value: 'unknown', reason: `学历未知，无法判断是否为${c.label}` };
      const inSet = c.prefixes.some((p) => code.startsWith(p));
      return { value: inSet, reason: `${inSet ? '' : '非'}${c.label}（学历代码 ${code}）` };
    }
    case 'has_degree':
      return knownBool(f.hasDegree, '有学位', '无学位', '学位情况未知，无法判断');
    case 'has_foreign_degree':
      return knownBool(
        f.hasForeignDegree,
        '有国（境）外学历学位',
        '无国（境）外学历学位',
        '是否有国（境）外学历学位未知，无法判断',
      );
    case 'title_at_least': {
      const level = f.titleLevel;
      const want = TITLE_LEVEL_LABELS[c.level];
      if (level === null || level === undefined) {
        return { value: 'unknown', reason: `职称情况未知，无法判断是否为${want}及以上` };
      }
      const ok = TITLE_ORDER.indexOf(level) >= TITLE_ORDER.indexOf(c.level);
      const has = level === 'none' ? '无职称' : `职称为${TITLE_LEVEL_LABELS[level]}`;
      return { value: ok, reason: `${has}，${ok ? '' : '不'}属于${want}及以上` };
    }
    case 'all':
      return combine(c.of.map((x) => evaluateCondition(x, f)), false);
    case 'any':
      return combine(c.of.map((x) => evaluateCondition(x, f)), true);
  }
}

export type ResolvedYear = { year: number } | { unknown: string };

export function resolveYear(e: YearExpr, f: CadreFacts): ResolvedYear {
  if (typeof e === 'number') return { year: e };
  if (typeof e === 'object') {
    const parts = ('max' in e ? e.max : e.min).map((x) => resolveYear(x, f));
    const unknown = parts.find((p) => 'unknown' in p);
    if (unknown) return unknown;
    const years = parts.map((p) => (p as { year: number }).year);
    return { year: 'max' in e ? Math.max(...years) : Math.min(...years) };
  }
  switch (e) {
    case 'work_start_year':
      return f.workStartDate ? { year: f.workStartDate.year } : { unknown: '参加工作时间未知，无法确定起始年份' };
    case 'party_join_year':
      return f.partyJoinDate ? { year: f.partyJoinDate.year } : { unknown: '入党时间未知，无法确定起始年份' };
    case 'last_year':
      return { year: f.currentYear - 1 };
    case 'last_service_year':
      if (f.personnelStatus === IN_SERVICE_STATUS) return { year: f.currentYear - 1 };
      return f.personnelStatus === null
        ? { unknown: '人员状态未知，无法确定截止年份' }
        : { unknown: `人员状态为「${f.personnelStatus}」，最后在职年份不详，无法确定截止年份` };
  }
}

/** A material's year: one written in its name ("2003年度…") says what it is about, so it wins. */
function materialYear(m: CompletenessMaterial): number | null {
  return yearsInName(m.name)[0] ?? m.date?.year ?? null;
}

function inRuleClass(ruleClass: ClassCode, materialClass: ClassCode): boolean {
  return ruleClass === materialClass || CLASS_TREE.some((n) => n.code === materialClass && n.parent === ruleClass);
}

type Outcome = { status: CompletenessStatus; reason: string; missingItems?: string[] };

const itemName = (template: string | undefined, label: string, year: number) =>
  (template ?? `{year} 年${label}`).replace('{year}', String(year));

function checkOne(
  rule: CompletenessRule,
  e: Extract<Expectation, { kind: 'one' }>,
  f: CadreFacts,
  found: CompletenessMaterial[],
): Outcome {
  const from = e.from === undefined ? { year: Number.NEGATIVE_INFINITY } : resolveYear(e.from, f);
  const to = e.to === undefined ? { year: Number.POSITIVE_INFINITY } : resolveYear(e.to, f);
  if ('unknown' in from) return { status: 'unknown', reason: from.unknown };
  if ('unknown' in to) return { status: 'unknown', reason: to.unknown };
  const years = found.map(materialYear);
  const bounded = e.from !== undefined || e.to !== undefined;
  const inRange = years.filter((y) => y !== null && y >= from.year && y <= to.year).length;
  const range =
    e.to === undefined ? `${from.year} 年以后` : e.from === undefined ? `${to.year} 年以前` : `${from.year}—${to.year} 年`;
  if ((bounded ? inRange : found.length) > 0) {
    return { status: 'present', reason: `已有 ${bounded ? inRange : found.length} 份` };
  }
  if (years.some((y) => y === null)) {
    return {
      status: 'unknown',
      missingItems: [rule.label],
      reason: `有名称相符的材料但未注明时间，无法确定是否为 ${range}形成的`,
    };
  }
  if (!bounded) return { status: 'missing', missingItems: [rule.label], reason: `未找到${rule.label}` };
  const other = found.length > 0 ? `；现有的形成于 ${years.join('、')} 年，不在此范围内` : '';
  return { status: 'missing', missingItems: [rule.label], reason: `未找到 ${range}形成的${rule.label}${other}` };
}

function checkPerYear(
  rule: CompletenessRule,
  e: Extract<Expectation, { kind: 'per_year' }>,
  f: CadreFacts,
  found: CompletenessMaterial[],
): Outcome {
  const from = resolveYear(e.from, f);
  const to = resolveYear(e.to, f);
  if ('unknown' in from) return { status: 'unknown', reason: from.unknown };
  if ('unknown' in to) return { status: 'unknown', reason: to.unknown };
  if (from.year > to.year) {
    return { status: 'not_applicable', reason: `自 ${from.year} 年起应有，截至 ${to.year} 年尚无应有年度` };
  }
  const covered = new Set<number>();
  const late: number[] = [];
  let undated = 0;
  for (const m of found) {
    const named = yearsInName(m.name)[0];
    const d = m.date;
    if (named !== undefined) covered.add(named);
    else if (d === null) undated++;
    else if (d.month !== null && d.month <= (e.lateFilingMonths ?? 0)) late.push(d.year);
    else covered.add(d.year);
  }
  // Early-in-the-year forms go to the previous year only when that year is still uncovered.
  for (const y of late.sort((a, b) => a - b)) covered.add(covered.has(y - 1) ? y : y - 1);
  const missing: string[] = [];
  for (let y = from.year; y <= to.year; y++) if (!covered.has(y)) missing.push(itemName(e.itemLabel, rule.label, y));
  const span = `${from.year}—${to.year} 年`;
  if (missing.length === 0) return { status: 'present', reason: `${span}各年均有` };
  if (undated > 0) {
    return {
      status: 'unknown',
      missingItems: missing,
      reason: `${span}中有 ${missing.length} 个年度未找到，另有 ${undated} 份未注明年度，无法确定是否缺少`,
    };
  }
  return { status: 'missing', missingItems: missing, reason: `${span}中缺少 ${missing.length} 个年度` };
}

function checkPerAppointment(
  rule: CompletenessRule,
  e: Extract<Expectation, { kind: 'per_appointment' }>,
  f: CadreFacts,
  found: CompletenessMaterial[],
): Outcome {
  if (f.appointments === null || f.appointments === undefined) {
    return { status: 'unknown', reason: '任免经历未录入，无法判断应有几份' };
  }
  const needed = new Map<number, number>();
  for (const a of f.appointments) if (a.year >= e.since) needed.set(a.year, (needed.get(a.year) ?? 0) + 1);
  if (needed.size === 0) return { status: 'not_applicable', reason: `${e.since} 年以来无任免记录` };
  const have = new Map<number, number>();
  let undated = 0;
  for (const m of found) {
    const y = materialYear(m);
    if (y === null) undated++;
    else have.set(y, (have.get(y) ?? 0) + 1);
  }
  const missing: string[] = [];
  for (const y of [...needed.keys()].sort((a, b) => a - b)) {
    const short = needed.get(y)! - (have.get(y) ?? 0);
    if (short > 0) missing.push(itemName(e.itemLabel, rule.label, y) + (short > 1 ? `（缺 ${short} 份）` : ''));
  }
  const total = [...needed.values()].reduce((a, b) => a + b, 0);
  if (missing.length === 0) return { status: 'present', reason: `${e.since} 年以来 ${total} 次任免均有` };
  if (undated > 0) {
    return {
      status: 'unknown',
      missingItems: missing,
      reason: `${e.since} 年以来 ${total} 次任免中有未找到的年份，另有 ${undated} 份未注明时间，无法确定是否缺少`,
    };
  }
  return { status: 'missing', missingItems: missing, reason: `${e.since} 年以来 ${total} 次任免，缺少 ${missing.length} 个年份的` };
}

function checkExpectation(rule: CompletenessRule, f: CadreFacts, found: CompletenessMaterial[]): Outcome {
  const e = rule.expectation;
  switch (e.kind) {
    case 'one':
      return checkOne(rule, e, f, found);
    case 'per_year':
      return checkPerYear(rule, e, f, found);
    case 'per_appointment':
      return checkPerAppointment(rule, e, f, found);
  }
}

function evaluateRule(
  rule: CompletenessRule,
  f: CadreFacts,
  materials: readonly CompletenessMaterial[],
  names: readonly string[],
): CompletenessResult {
  const synonyms = rule.synonyms.map(normalizeMaterialName).filter((s) => s !== '');
  const named = (i: number) => synonyms.some((s) => names[i]!.includes(s));
  const matched = materials.flatMap((m, i) => (inRuleClass(rule.classCode, m.classCode) && named(i) ? [i] : []));
  const base = { code: rule.code, label: rule.label, matched };
  const applies = evaluateCondition(rule.appliesWhen, f);
  if (applies.value === false) return { ...base, status: 'not_applicable', reason: applies.reason };
  const outcome = checkExpectation(rule, f, matched.map((i) => materials[i]!));
  if (applies.value === 'unknown' && (outcome.status === 'missing' || outcome.status === 'unknown')) {
    const possiblyMissing = outcome.missingItems ? { missingItems: outcome.missingItems } : {};
    return { ...base, status: 'unknown', ...possiblyMissing, reason: applies.reason };
  }
  let reason = outcome.reason;
  if (outcome.status !== 'present' && matched.length === 0) {
    const elsewhere = materials.find((m, i) => named(i) && !inRuleClass(rule.classCode, m.classCode));
    if (elsewhere) reason += `；第 ${elsewhere.classCode} 类中有“${elsewhere.name}”，是否归类有误？`;
  }
  return { ...base, ...outcome, reason };
}

/**
 * Evaluates every rule against a cadre's facts and his dossier's materials. A material counts for a
 * rule when it is filed in the rule's class (or a subclass of it) and its name contains a synonym;
 * one filed elsewhere does not count, but the reason points at it.
 */
export function evaluate(
  rules: readonly CompletenessRule[],
  facts: CadreFacts,
  materials: readonly CompletenessMaterial[],
): CompletenessResult[] {
  const names = materials.map((m) => normalizeMaterialName(m.name));
  return rules.map((r) => evaluateRule(r, facts, materials, names));
}

