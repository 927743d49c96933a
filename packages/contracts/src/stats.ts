import { z } from 'zod';
import { Id, Timestamp } from './common.js';
import { endpoint } from './endpoint.js';

/**
 * Statistics (统计分析): the archive, its use, and the cadre body (队伍结构分析). Every figure is one
 * table — rows by columns — so the page draws it, shows it as a table and exports exactly it.
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CalendarDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式为 YYYY-MM-DD');

export const STATS_SECTIONS = ['archive', 'use', 'cadres'] as const;
export const StatsSection = z.enum(STATS_SECTIONS);
export type StatsSection = z.infer<typeof StatsSection>;
export const STATS_SECTION_LABELS: Record<StatsSection, string> = { archive: '档案统计', use: '利用统计', cadres: '队伍结构分析' };

export const FigureRow = z.object({
  key: z.string().describe('行的代码（单位 id、字典代码、年份等）'),
  label: z.string(),
  values: z.array(z.number().nullable()).describe('与 columns 一一对应'),
});
export type FigureRow = z.infer<typeof FigureRow>;

export const Figure = z.object({
  key: z.string().describe('图表代码，用于导出 figure=<key> 与 data-testid stats-figure-<key>'),
  title: z.string(),
  chart: z.enum(['bar', 'stacked', 'pie', 'line', 'table']).describe('建议的图形'),
  rowHeader: z.string().describe('行标题列的表头'),
  columns: z.array(z.object({ key: z.string(), label: z.string(), percent: z.boolean().optional() })),
  rows: z.array(FigureRow),
  total: FigureRow.nullable().describe('合计行（不适用时为 null）'),
  notes: z.array(z.string()).describe('口径说明'),
});
export type Figure = z.infer<typeof Figure>;

const Report = z.object({
  section: StatsSection,
  generatedAt: Timestamp,
  scope: z.string().describe('统计范围的文字说明（全部单位，或本人数据范围内的单位）'),
  figures: z.array(Figure),
});

export const ArchiveStats = Report;
export type ArchiveStats = z.infer<typeof ArchiveStats>;

export const UseStatsQuery = z.object({
  from: CalendarDay.optional().describe('起始日（北京时间，含）；缺省为今年 1 月 1 日'),
  to: CalendarDay.optional().describe('截止日（北京时间，含）；缺省为今天'),
});
export type UseStatsQuery = z.infer<typeof UseStatsQuery>;
export const UseStats = Report.extend({ from: CalendarDay, to: CalendarDay });
export type UseStats = z.infer<typeof UseStats>;

export const CadreStatsQuery = z.object({
  asOf: CalendarDay.optional().describe('统计时点（年龄按此日计算）；缺省为今天'),
  unitId: Id.optional().describe('只统计此单位（含下级单位）'),
});
export type CadreStatsQuery = z.infer<typeof CadreStatsQuery>;
export const CadreStats = Report.extend({ asOf: CalendarDay, unitId: Id.nullable() });
export type CadreStats = z.infer<typeof CadreStats>;

const figureParam = z.string().regex(/^[A-Za-z]{1,40}$/).default('all').describe('图表代码；all = 全部图表（每个图表一张工作表）');

const exportEndpoint = <Q extends z.ZodType>(section: StatsSection, query: Q) =>
  endpoint({
    method: 'GET', path: `/api/stats/${section}/export`, summary: `导出${STATS_SECTION_LABELS[section]}（Excel）`, tag: '统计分析',
    access: 'stats.read', query, produces: [XLSX],
  });

export const statsApi = {
  stats: {
    archive: endpoint({
      method: 'GET', path: '/api/stats/archive', summary: '档案统计：按单位、分类、状态，数字化覆盖率', tag: '统计分析',
      access: 'stats.read', response: ArchiveStats,
    }),
    use: endpoint({
      method: 'GET', path: '/api/stats/use', summary: '利用统计：查阅申请、审批、最常查阅的档案、打印、借阅', tag: '统计分析',
      access: 'stats.read', query: UseStatsQuery, response: UseStats,
    }),
    cadres: endpoint({
      method: 'GET', path: '/api/stats/cadres', summary: '队伍结构分析：年龄、性别、民族、学历、政治面貌、职级，及近五年变化', tag: '统计分析',
      access: 'stats.read', query: CadreStatsQuery, response: CadreStats,
    }),
    archiveExport: exportEndpoint('archive', z.object({ figure: figureParam })),
    useExport: exportEndpoint('use', UseStatsQuery.extend({ figure: figureParam })),
    cadresExport: exportEndpoint('cadres', CadreStatsQuery.extend({ figure: figureParam })),
  },
} as const;
