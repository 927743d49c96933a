import type {
  ArchiveStats, CadreStats, CadreStatsQuery, Figure, StatsSection, UseStats, UseStatsQuery,
} from '@dangan/contracts';
import { STATS_SECTION_LABELS } from '@dangan/contracts';
import { DOSSIER_STATES, DOSSIER_STATE_LABELS, type DossierState } from '@dangan/domain';
import { forbidden, invalid, notFound } from '../../platform/errors.js';
import type { Actor } from '../access/actor.js';
import type { ModuleDeps } from '../project/project.deps.js';
import { isCalendarDay } from '../use/lending.models.js';
import {
  AGE_BANDS, UNKNOWN, ageBand, ageOn, beijingDay, beijingDayEnd, beijingDayStart, crossTable, distribution, monthsBetween, onOrBefore,
  percent, totalRow, yearEnds, type Category,
} from './stats.models.js';
import { statsRepository, type StatsRepository, type Units } from './stats.repository.js';
import { statsWorkbook } from './stats.xlsx.js';

/** 在职 in the dictionary `personnel_status`. */
const SERVING = '1';
/** 中共党员 and 中共预备党员 in `political_status`. */
const PARTY = new Set(['01', '02']);
const HAN = '01';
const DICTIONARIES = ['gender', 'ethnicity', 'education', 'political_status', 'rank', 'use_purpose', 'archive_class'] as const;

const REQUEST_STATES: Category[] = [
  { key: 'approved', label: '已批准' }, { key: 'refused', label: '不批准' }, { key: 'pending', label: '审批中' },
  { key: 'withdrawn', label: '已撤回' }, { key: 'revoked', label: '已撤销' }, { key: 'expired', label: '已到期' },
];

interface Labels {
  units: Category[];
  unitName: (id: string) => string;
  dict: (type: string) => Category[];
  /** Top-level entry of a hierarchical code (education 21 → 20). */
  parentOf: (type: string, code: string) => string;
}

type Section<T> = T & { figures: Figure[] };

/**
 * Statistics over the archive, its use and the cadre body. Every number counts only what lies in the
 * reader's data scope for stats.read (`AccessService.scope`), totals included. A section read is
 * audited once (`stats.view`), an export once (`stats.export`).
 */
export class StatsService {
  constructor(private readonly deps: ModuleDeps) {}

  private repo(): StatsRepository {
    return statsRepository(this.deps.db);
  }

  private async units(actor: Actor): Promise<Units> {
    const scope = await this.deps.access.scope(actor, 'stats.read');
    return scope.unitIds === null ? null : [...scope.unitIds];
  }

  private async labels(repo: StatsRepository): Promise<Labels> {
    const [units, entries] = await Promise.all([repo.units(), repo.dictionary(DICTIONARIES)]);
    const names = new Map(units.map((u) => [u.id, u.name]));
    return {
      units: units.map((u) => ({ key: u.id, label: u.name })),
      unitName: (id) => names.get(id) ?? id,
      dict: (type) => entries.filter((e) => e.type === type && e.parent_code === null).map((e) => ({ key: e.code, label: e.label })),
      parentOf: (type, code) => entries.find((e) => e.type === type && e.code === code)?.parent_code ?? code,
    };
  }

  private scopeText(units: Units, labels: Labels): string {
    if (units === null) return '全部单位';
    return `本人数据范围内的 ${units.length} 个单位：${units.map(labels.unitName).join('、') || '无'}`;
  }

  private async viewed(actor: Actor, section: StatsSection, detail: Record<string, unknown>): Promise<void> {
    await this.deps.audit.record(actor.audit, { action: 'stats.view', objectType: 'stats', objectId: section, objectLabel: STATS_SECTION_LABELS[section], detail });
  }

  // ------------------------------------------------------------------ archive
  async archive(actor: Actor, audit = true): Promise<ArchiveStats> {
    const units = await this.units(actor);
    const repo = this.repo();
    const labels = await this.labels(repo);
    const [byState, materials, scanned, coverage] = await Promise.all([
      repo.dossiersByUnitAndState(units), repo.materialsByUnitAndClass(units), repo.scannedPagesByUnit(units), repo.coverage(units),
    ]);
    const sum = <T>(rows: T[], pick: (r: T) => number) => rows.reduce((s, r) => s + pick(r), 0);
    const unitRows = labels.units
      .map((u) => ({
        key: u.key, label: u.label,
        values: [
          sum(byState.filter((r) => r.unitId === u.key), (r) => r.n),
          sum(materials.filter((r) => r.unitId === u.key), (r) => r.materials),
          sum(materials.filter((r) => r.unitId === u.key), (r) => r.pages),
          sum(scanned.filter((r) => r.unitId === u.key), (r) => r.pages),
        ],
      }))
      .filter((r) => r.values.some((v) => v > 0));
    const byUnit: Figure = {
      key: 'byUnit', title: '各单位档案数与页数', chart: 'bar', rowHeader: '管理单位',
      columns: [{ key: 'dossiers', label: '档案（卷）' }, { key: 'materials', label: '材料（份）' }, { key: 'pages', label: '目录页数' }, { key: 'scanned', label: '已扫描页数' }],
      rows: unitRows, total: null,
      notes: ['按干部的管理单位统计；目录页数为现有材料目录登记的页数之和，已扫描页数为现有（未删除）的扫描页数。'],
    };
    byUnit.total = totalRow(byUnit);

    const top = (code: string) => (code.includes('-') ? code.split('-')[0]! : code);
    const classes = labels.dict('archive_class');
    const byClass: Figure = {
      key: 'byClass', title: '各类材料份数与页数（十大类）', chart: 'bar', rowHeader: '类别',
      columns: [{ key: 'materials', label: '材料（份）' }, { key: 'pages', label: '页数' }],
      rows: classes.map((c) => {
        const mine = materials.filter((m) => top(m.classCode) === c.key);
        return { key: c.key, label: `${c.key} ${c.label}`, values: [sum(mine, (m) => m.materials), sum(mine, (m) => m.pages)] };
      }),
      total: null,
      notes: ['第四类、第九类含其各小类；页数为材料目录登记的页数。'],
    };
    byClass.total = totalRow(byClass);

    const states: Category[] = DOSSIER_STATES.map((s) => ({ key: s, label: DOSSIER_STATE_LABELS[s] }));
    const byStateFigure: Figure = {
      key: 'byState', title: '档案状态', chart: 'pie', rowHeader: '状态',
      columns: [{ key: 'dossiers', label: '档案（卷）' }, { key: 'share', label: '占比（%）', percent: true }],
      rows: [], total: null, notes: ['在库、出库加工、借出等档案所在之处（档案状态机）。'],
    };
    const allDossiers = sum(byState, (r) => r.n);
    byStateFigure.rows = states.map((s) => {
      const n = sum(byState.filter((r) => r.state === s.key), (r) => r.n);
      return { key: s.key, label: DOSSIER_STATE_LABELS[s.key as DossierState], values: [n, percent(n, allDossiers)] };
    });
    byStateFigure.total = { key: 'total', label: '合计', values: [allDossiers, allDossiers === 0 ? null : 100] };

    const doneDossiers = coverage.filter((c) => c.materials > 0 && c.complete === c.materials).length;
    const processed = sum(coverage, (c) => c.processed);
    const expected = sum(coverage, (c) => c.expected);
    const coverageFigure: Figure = {
      key: 'coverage', title: '数字化覆盖率', chart: 'bar', rowHeader: '项目',
      columns: [{ key: 'done', label: '已完成' }, { key: 'all', label: '应完成' }, { key: 'rate', label: '覆盖率（%）', percent: true }],
      rows: [
        { key: 'dossiers', label: '档案（卷）', values: [doneDossiers, allDossiers, percent(doneDossiers, allDossiers)] },
        { key: 'pages', label: '页数', values: [processed, expected, percent(processed, expected)] },
      ],
      total: null,
      notes: [
        '档案：每份现有材料都已有不少于目录页数的、已挂接且图像处理完成的页，才算完成数字化；没有材料目录的档案算未完成。',
        '页数：已挂接且图像处理完成的页数（每份材料最多计到其目录页数）÷ 材料目录登记的页数之和。',
      ],
    };
    if (audit) await this.viewed(actor, 'archive', {});
    return {
      section: 'archive', generatedAt: this.deps.clock.now().toISOString(), scope: this.scopeText(units, labels),
      figures: [byUnit, byClass, byStateFigure, coverageFigure],
    };
  }

  // ------------------------------------------------------------------ use
  private useRange(query: UseStatsQuery): { from: string; to: string } {
    const today = beijingDay(this.deps.clock.now());
    const to = query.to ?? today;
    const from = query.from ?? `${to.slice(0, 4)}-01-01`;
    for (const [field, day] of [['from', from], ['to', to]] as const) {
      if (!isCalendarDay(day)) throw invalid('STATS_DATE_INVALID', `日期 ${day} 无效`, { [field]: '不是有效的日期' });
    }
    if (from > to) throw invalid('STATS_RANGE_INVALID', '起始日不能晚于截止日', { from: '起始日晚于截止日' });
    if (monthsBetween(from, to).length > 120) throw invalid('STATS_RANGE_INVALID', '统计区间不能超过十年', { from: '区间过长' });
    return { from, to };
  }

  async use(actor: Actor, query: UseStatsQuery, audit = true): Promise<Section<UseStats>> {
    const { from, to } = this.useRange(query);
    const units = await this.units(actor);
    const repo = this.repo();
    const labels = await this.labels(repo);
    const start = beijingDayStart(from);
    const end = beijingDayEnd(to);
    const today = beijingDay(this.deps.clock.now());
    const [requests, top, prints, lendings] = await Promise.all([
      repo.requests(units, start, end), repo.topDossiers(units, start, end, 10), repo.prints(units, start, end), repo.lendings(units, start, end, today),
    ]);
    const names = await repo.userNames(requests.map((r) => r.requester_id));
    const range = `统计区间：${from} 至 ${to}（北京时间，按申请提交时间）。`;
    const scopeNote = '一项申请涉及的档案中有本人数据范围内的，即计入。';
    const count = (title: string, key: string, rowHeader: string, chart: Figure['chart'], group: (r: (typeof requests)[number]) => string, cats: Category[], keepEmpty = false) =>
      distribution({ key, title, chart, rowHeader, notes: [range, scopeNote] }, requests, group, cats, keepEmpty);
    const withCount = (f: Figure): Figure => ({ ...f, columns: [{ key: 'count', label: '申请数' }, f.columns[1]!] });

    const requesters = [...new Set(requests.map((r) => r.requester_id))]
      .map((id) => ({ key: id, label: names.get(id) ?? id }))
      .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'));
    const byRequester = withCount(count('按申请人', 'byRequester', '申请人', 'bar', (r) => r.requester_id, requesters));
    byRequester.rows.sort((a, b) => (b.values[0] ?? 0) - (a.values[0] ?? 0));

    const months = monthsBetween(from, to).map((m) => ({ key: m, label: `${m.slice(0, 4)}年${Number(m.slice(5))}月` }));
    const byMonth: Figure = {
      key: 'byMonth', title: '按月份', chart: 'line', rowHeader: '月份',
      columns: [{ key: 'count', label: '申请数' }, { key: 'approved', label: '其中批准' }, { key: 'refused', label: '其中不批准' }],
      rows: months.map((m) => {
        const mine = requests.filter((r) => beijingDay(r.created_at).slice(0, 7) === m.key);
        return { key: m.key, label: m.label, values: [mine.length, mine.filter((r) => APPROVED_ONCE.has(r.state)).length, mine.filter((r) => r.state === 'refused').length] };
      }),
      total: null,
      notes: [range, '其中批准：现为已批准，或批准后已到期、已撤销的申请。'],
    };
    byMonth.total = totalRow(byMonth);

    const topFigure: Figure = {
      key: 'topDossiers', title: '查阅最多的档案（前 10 名）', chart: 'bar', rowHeader: '档案',
      columns: [{ key: 'views', label: '浏览次数' }, { key: 'pages', label: '查阅页数（不重复）' }, { key: 'minutes', label: '阅读时长（分钟）' }],
      rows: top.map((d) => ({ key: d.id, label: `${d.dossierNo} ${d.cadreName}`, values: [d.views, d.pages, Math.round(d.ms / 6000) / 10] })),
      total: null,
      notes: [`统计区间：${from} 至 ${to}（北京时间，按阅读日志的查看时间）。`, '按浏览次数排序；阅读时长为阅读日志记录的各页停留时间之和。'],
    };
    const activity: Figure = {
      key: 'prints', title: '打印与借阅', chart: 'table', rowHeader: '项目',
      columns: [{ key: 'count', label: '数量' }],
      rows: [
        { key: 'prints', label: '打印（份次）', values: [prints.prints] },
        { key: 'printPages', label: '打印页数', values: [prints.pages] },
        { key: 'lent', label: '期间借出（卷次）', values: [lendings.lent] },
        { key: 'returned', label: '期间归还（卷次）', values: [lendings.returned] },
        { key: 'open', label: '目前借出未还（卷）', values: [lendings.open] },
        { key: 'overdue', label: '其中已逾期（卷）', values: [lendings.overdue] },
      ],
      total: null,
      notes: [`打印、期间借出与归还按 ${from} 至 ${to}（北京时间）统计；借出未还与逾期为当前数字。`],
    };
    if (audit) await this.viewed(actor, 'use', { from, to });
    return {
      section: 'use', generatedAt: this.deps.clock.now().toISOString(), scope: this.scopeText(units, labels), from, to,
      figures: [
        withCount(count('按查阅目的', 'byPurpose', '查阅目的', 'pie', (r) => r.purpose, labels.dict('use_purpose'))),
        withCount(count('按申请人单位', 'byUnit', '申请人单位', 'bar', (r) => r.requester_unit_id, labels.units)),
        byRequester,
        byMonth,
        { ...withCount(count('审批结果', 'decisions', '结果', 'pie', (r) => r.state, REQUEST_STATES, true)), notes: [range, '按申请目前的状态：已批准的申请到期或被撤销后计入「已到期」「已撤销」。'] },
        topFigure,
        activity,
      ],
    };
  }

  // ------------------------------------------------------------------ cadres
  private async cadreUnits(actor: Actor, unitId: string | undefined, repo: StatsRepository): Promise<Units> {
    const units = await this.units(actor);
    if (!unitId) return units;
    const all = await repo.units();
    if (!all.some((u) => u.id === unitId)) throw notFound('UNIT_NOT_FOUND', '单位不存在');
    if (units !== null && !units.includes(unitId)) throw forbidden('OUT_OF_SCOPE', '所请求的单位不在您的数据范围内');
    const below = new Set([unitId]);
    for (let grew = true; grew;) {
      grew = false;
      for (const u of all) {
        if (u.parent_id && below.has(u.parent_id) && !below.has(u.id)) {
          below.add(u.id);
          grew = true;
        }
      }
    }
    return [...below].filter((id) => units === null || units.includes(id));
  }

  async cadres(actor: Actor, query: CadreStatsQuery, audit = true): Promise<Section<CadreStats>> {
    const asOf = query.asOf ?? beijingDay(this.deps.clock.now());
    if (!isCalendarDay(asOf)) throw invalid('STATS_DATE_INVALID', `日期 ${asOf} 无效`, { asOf: '不是有效的日期' });
    const repo = this.repo();
    const units = await this.cadreUnits(actor, query.unitId, repo);
    const labels = await this.labels(repo);
    const cadres = await repo.cadres(units, SERVING);
    const base = `在职干部（人员状态「在职」）${cadres.length} 人，统计时点 ${asOf}。`;
    const bands: Category[] = [...AGE_BANDS.map((b) => ({ key: b.key, label: b.label })), UNKNOWN];
    const unitGroups = labels.units;
    const ageOf = (c: (typeof cadres)[number]) => ageBand(ageOn(c.birth_date, asOf));
    const code = (v: string | null) => v ?? UNKNOWN.key;
    const withUnknown = (type: string) => [...labels.dict(type), UNKNOWN];
    const ethnicGroup = (c: (typeof cadres)[number]) => (c.ethnicity === null ? UNKNOWN.key : c.ethnicity === HAN ? 'han' : 'minority');
    const ethnicGroups: Category[] = [{ key: 'han', label: '汉族' }, { key: 'minority', label: '少数民族' }, UNKNOWN];
    const education = (c: (typeof cadres)[number]) => (c.education === null ? UNKNOWN.key : labels.parentOf('education', c.education));
    const partyNote = '中共党员含中共预备党员。';
    const pair = (key: string, title: string, of: (c: (typeof cadres)[number]) => string, cats: Category[], notes: string[], chart: Figure['chart'] = 'bar') => [
      distribution({ key, title, chart, rowHeader: title, notes: [base, ...notes] }, cadres, of, cats),
      crossTable({ key: `${key}ByUnit`, title: `${title}（按单位）`, chart: 'stacked', rowHeader: '管理单位', notes: [base, ...notes] }, cadres, (c) => c.managing_unit_id, unitGroups, of, cats),
    ];

    const figures: Figure[] = [
      ...pair('age', '年龄结构', ageOf, bands, ['年龄按出生日期计算到统计时点（只知年份的按当年 1 月 1 日、只知年月的按当月 1 日计）。']),
      ...pair('gender', '性别', (c) => code(c.gender), withUnknown('gender'), [], 'pie'),
      ...pair('ethnicity', '民族', ethnicGroup, ethnicGroups, [], 'pie'),
      distribution(
        { key: 'ethnicityDetail', title: '少数民族构成', chart: 'bar', rowHeader: '民族', notes: [base] },
        cadres.filter((c) => c.ethnicity !== null && c.ethnicity !== HAN), (c) => c.ethnicity!, labels.dict('ethnicity'),
      ),
      ...pair('education', '学历', education, withUnknown('education'), ['按学历大类（研究生、大学本科、大学专科等）统计。']),
      ...pair('political', '政治面貌', (c) => code(c.political_status), withUnknown('political_status'), [], 'pie'),
      ...pair('rank', '职务职级', (c) => code(c.rank), withUnknown('rank'), []),
      ...this.trends(cadres, asOf, bands, base, partyNote),
    ];
    if (audit) await this.viewed(actor, 'cadres', { asOf, unitId: query.unitId ?? null });
    return {
      section: 'cadres', generatedAt: this.deps.clock.now().toISOString(), asOf, unitId: query.unitId ?? null,
      scope: query.unitId ? `${labels.unitName(query.unitId)}（含下级单位，本人数据范围内）` : this.scopeText(units, labels),
      figures,
    };
  }

  /** Age bands and the party share at each of the last five year ends, for today's serving cadres. */
  private trends(
    cadres: { birth_date: string | null; political_status: string | null; party_join_date: string | null; work_start_date: string | null }[],
    asOf: string, bands: Category[], base: string, partyNote: string,
  ): Figure[] {
    const ends = yearEnds(asOf);
    const serving = (end: string) => cadres.filter((c) => c.work_start_date === null || onOrBefore(c.work_start_date, end));
    const yearLabel = (end: string) => `${end.slice(0, 4)}年末`;
    const notes = [base, '近五年各年末：今天在职、且当时已参加工作（参加工作时间不详的计入）的干部，年龄按各年 12 月 31 日计算。'];
    const ageTrend = crossTable(
      { key: 'ageTrend', title: '年龄结构变化（近五年末）', chart: 'line', rowHeader: '年末', notes },
      ends.flatMap((end) => serving(end).map((c) => ({ end, band: ageBand(ageOn(c.birth_date, end)) }))),
      (x) => x.end, ends.map((e) => ({ key: e, label: yearLabel(e) })),
      (x) => x.band, bands,
    );
    ageTrend.total = null;
    const partyTrend: Figure = {
      key: 'partyTrend', title: '中共党员比例变化（近五年末）', chart: 'line', rowHeader: '年末',
      columns: [{ key: 'cadres', label: '干部人数' }, { key: 'party', label: '中共党员' }, { key: 'share', label: '党员比例（%）', percent: true }],
      rows: ends.map((end) => {
        const people = serving(end);
        const party = people.filter((c) => c.political_status !== null && PARTY.has(c.political_status)
          && (c.party_join_date === null || onOrBefore(c.party_join_date, end))).length;
        return { key: end, label: yearLabel(end), values: [people.length, party, percent(party, people.length)] };
      }),
      total: null,
      notes: [...notes, `${partyNote}按入党时间判断各年末是否已入党；入党时间不详的党员各年均计为党员。`],
    };
    return [ageTrend, partyTrend];
  }

  // ------------------------------------------------------------------ export
  async export(actor: Actor, section: StatsSection, query: Record<string, unknown> & { figure: string }): Promise<{ filename: string; data: Buffer }> {
    const report = section === 'archive'
      ? await this.archive(actor, false)
      : section === 'use'
        ? await this.use(actor, query as UseStatsQuery, false)
        : await this.cadres(actor, query as CadreStatsQuery, false);
    const figures = query.figure === 'all' ? report.figures : report.figures.filter((f) => f.key === query.figure);
    if (figures.length === 0) throw notFound('STATS_FIGURE_NOT_FOUND', `没有图表「${query.figure}」`);
    const organization = await this.deps.settings.get('system.organizationName');
    const data = await statsWorkbook(STATS_SECTION_LABELS[section], report, figures, organization);
    const title = figures.length === 1 ? figures[0]!.title : '全部图表';
    await this.deps.audit.record(actor.audit, {
      action: 'stats.export', objectType: 'stats', objectId: section, objectLabel: `${STATS_SECTION_LABELS[section]}：${title}`,
      detail: { figure: query.figure, ...filtersOf(report as { from?: string; to?: string; asOf?: string; unitId?: string | null }) },
    });
    return { filename: `${STATS_SECTION_LABELS[section]}-${title}-${beijingDay(report.generatedAt)}.xlsx`, data };
  }
}

/** States of a request that was approved at some point. */
const APPROVED_ONCE = new Set(['approved', 'expired', 'revoked']);

function filtersOf(report: { from?: string; to?: string; asOf?: string; unitId?: string | null }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['from', 'to', 'asOf', 'unitId'] as const) if (report[k] !== undefined) out[k] = report[k];
  return out;
}
