import type { Figure } from '@dangan/contracts';
import type { ChartOption } from '../dashboard/EChart';

/** A figure's table drawn as the chart it suggests: bars, stacked bars by group, a pie, or lines over time. */

const GRID = { left: 48, right: 48, top: 40, bottom: 32, containLabel: true };
const LEGEND = { top: 0, type: 'scroll' as const };

/** Columns drawn as series: no total column; percent columns only when nothing else is there. */
function seriesColumns(f: Figure) {
  const counts = f.columns.map((c, i) => ({ ...c, i })).filter((c) => c.key !== 'total' && !c.percent);
  return counts.length > 0 ? counts : f.columns.map((c, i) => ({ ...c, i }));
}

export function figureChart(f: Figure): ChartOption {
  const labels = f.rows.map((r) => r.label);
  if (f.chart === 'pie') {
    return {
      tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
      legend: LEGEND,
      series: [{
        type: 'pie', radius: ['35%', '65%'], top: 24,
        data: f.rows.map((r) => ({ name: r.label, value: r.values[0] ?? 0 })),
        label: { formatter: '{b} {c}' },
      }],
    };
  }
  const columns = seriesColumns(f);
  const percents = f.columns.map((c, i) => ({ ...c, i })).filter((c) => c.percent);
  if (f.chart === 'line') {
    const withShare = percents.length > 0 && columns.every((c) => !c.percent);
    return {
      tooltip: { trigger: 'axis' },
      legend: LEGEND,
      grid: GRID,
      xAxis: { type: 'category', data: labels },
      yAxis: withShare
        ? [{ type: 'value', minInterval: 1 }, { type: 'value', name: '%', max: 100, splitLine: { show: false } }]
        : [{ type: 'value', minInterval: 1 }],
      series: [
        ...columns.map((c) => ({ name: c.label, type: 'line' as const, symbolSize: 7, data: f.rows.map((r) => r.values[c.i] ?? 0) })),
        ...(withShare ? percents.map((c) => ({ name: c.label, type: 'line' as const, yAxisIndex: 1, symbolSize: 7, data: f.rows.map((r) => r.values[c.i]) })) : []),
      ],
    };
  }
  const stacked = f.chart === 'stacked';
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: LEGEND,
    grid: GRID,
    xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, rotate: labels.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', minInterval: columns.some((c) => c.percent) ? 0 : 1 },
    series: columns.map((c) => ({
      name: c.label, type: 'bar' as const, barMaxWidth: 36, ...(stacked ? { stack: 'all' } : {}), data: f.rows.map((r) => r.values[c.i] ?? 0),
    })),
  };
}
