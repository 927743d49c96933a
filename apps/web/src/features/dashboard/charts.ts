import type { BatchProgressRow, DefectWeek, OperatorDay, StageProgress } from '@dangan/contracts';
import { DEFECT_TYPES, DEFECT_TYPE_LABELS, STAGES, STAGE_LABELS } from '@dangan/domain';
import type { ChartOption } from './EChart';

/** The chart options of the dashboard, built from its figures. */

const GRID = { left: 48, right: 24, top: 40, bottom: 32, containLabel: true };
const LEGEND = { top: 0, type: 'scroll' as const };
const shortDate = (d: string) => `${Number(d.slice(5, 7))}/${Number(d.slice(8, 10))}`;

export function stagesChart(stages: StageProgress[]): ChartOption {
  const series = (name: string, color: string, pick: (s: StageProgress) => number) => ({
    name, type: 'bar' as const, stack: 'status', color, barMaxWidth: 36, data: stages.map(pick),
  });
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: LEGEND,
    grid: GRID,
    xAxis: { type: 'category', data: stages.map((s) => s.label) },
    yAxis: { type: 'value', name: '卷', minInterval: 1 },
    series: [series('已完成', '#52c41a', (s) => s.done), series('进行中', '#1677ff', (s) => s.inProgress), series('未开始', '#d9d9d9', (s) => s.pending)],
  };
}

/** Each batch's dossiers by the stage they are at, the newest batches first, at most `limit`. */
export function batchesChart(batches: BatchProgressRow[], limit = 12): ChartOption {
  const shown = batches.slice(0, limit).reverse();
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: LEGEND,
    grid: GRID,
    xAxis: { type: 'value', name: '卷', minInterval: 1 },
    yAxis: { type: 'category', data: shown.map((b) => b.code) },
    series: [
      ...STAGES.map((s) => ({ name: STAGE_LABELS[s], type: 'bar' as const, stack: 'stage', data: shown.map((b) => b.current[s] ?? 0) })),
      { name: '全部完成', type: 'bar' as const, stack: 'stage', color: '#389e0d', data: shown.map((b) => b.done) },
    ],
  };
}

/** Scanned pages per day, one stacked bar per operator. */
export function operatorsChart(dates: string[], rows: OperatorDay[]): ChartOption {
  const operators = [...new Map(rows.map((r) => [r.operator.id ?? `~${r.operator.name}`, r.operator.name])).entries()];
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: LEGEND,
    grid: GRID,
    xAxis: { type: 'category', data: dates.map(shortDate) },
    yAxis: { type: 'value', name: '扫描页数', minInterval: 1 },
    series: operators.map(([key, name]) => ({
      name, type: 'bar' as const, stack: 'pages', barMaxWidth: 28,
      data: dates.map((d) => rows.filter((r) => r.date === d && (r.operator.id ?? `~${r.operator.name}`) === key).reduce((s, r) => s + r.scannedPages, 0)),
    })),
  };
}

/** Defects per inspected dossier (left axis) and per thousand pages (right) by week. */
export function defectTrendChart(weeks: DefectWeek[]): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: LEGEND,
    grid: { ...GRID, right: 48 },
    xAxis: { type: 'category', data: weeks.map((w) => shortDate(w.week)) },
    yAxis: [
      { type: 'value', name: '每卷缺陷' },
      { type: 'value', name: '每千页缺陷', splitLine: { show: false } },
    ],
    series: [
      { name: '每卷缺陷', type: 'line', data: weeks.map((w) => w.perDossier), connectNulls: false, symbolSize: 7 },
      { name: '每千页缺陷', type: 'line', yAxisIndex: 1, data: weeks.map((w) => w.per1000Pages), connectNulls: false, symbolSize: 7 },
    ],
  };
}

/** Defects by type per week, stacked; types never found are left out. */
export function defectTypesChart(weeks: DefectWeek[]): ChartOption {
  const types = DEFECT_TYPES.filter((t) => weeks.some((w) => (w.byType[t] ?? 0) > 0));
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: LEGEND,
    grid: GRID,
    xAxis: { type: 'category', data: weeks.map((w) => shortDate(w.week)) },
    yAxis: { type: 'value', name: '缺陷数', minInterval: 1 },
    series: types.map((t) => ({ name: DEFECT_TYPE_LABELS[t], type: 'bar' as const, stack: 'type', barMaxWidth: 28, data: weeks.map((w) => w.byType[t] ?? 0) })),
  };
}
