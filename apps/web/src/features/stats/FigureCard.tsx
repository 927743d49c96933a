import { FileExcelOutlined } from '@ant-design/icons';
import type { Figure, FigureRow } from '@dangan/contracts';
import { Button, Card, Flex, Segmented, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { EChart } from '../dashboard/EChart';
import { figureChart } from './charts';

const show = (v: number | null) => (v === null ? '—' : String(v));

/**
 * One figure: its chart (or its table, by the toggle), its numbers as text under it, and the
 * 导出 Excel link for exactly this figure's table. data-testid `stats-figure-<key>`; each row's
 * numbers in `stats-row-<rowKey>` as `label：v1 / v2 …`.
 */
export function FigureCard({ figure, exportUrl }: { figure: Figure; exportUrl: string }) {
  const [view, setView] = useState<'chart' | 'table'>(figure.chart === 'table' ? 'table' : 'chart');
  const option = useMemo(() => figureChart(figure), [figure]);
  const rows = [...figure.rows, ...(figure.total ? [figure.total] : [])];
  const columns: TableColumnsType<FigureRow> = [
    { title: figure.rowHeader, dataIndex: 'label', render: (v: string, r) => (r.key === 'total' ? <strong>{v}</strong> : v) },
    ...figure.columns.map((c, i) => ({ title: c.label, align: 'right' as const, render: (_: unknown, r: FigureRow) => show(r.values[i] ?? null) })),
  ];
  const empty = figure.rows.length === 0 || figure.rows.every((r) => r.values.every((v) => !v));
  return (
    <Card size="small" data-testid={`stats-figure-${figure.key}`} title={figure.title} style={{ marginBottom: 16 }}
      extra={
        <Space>
          {figure.chart !== 'table' && (
            <Segmented size="small" value={view} onChange={(v) => setView(v as 'chart' | 'table')}
              options={[{ label: '图', value: 'chart' }, { label: '表', value: 'table' }]} data-testid="stats-toggle" />
          )}
          <Button size="small" icon={<FileExcelOutlined />} href={exportUrl} data-testid="stats-export">导出 Excel</Button>
        </Space>
      }>
      {view === 'chart' && !empty && <EChart option={option} height={280} label={figure.title} />}
      {view === 'chart' && empty && <Typography.Text type="secondary">暂无数据</Typography.Text>}
      {view === 'table' && (
        <Table rowKey="key" size="small" columns={columns} dataSource={rows} pagination={false} data-testid="stats-table" />
      )}
      <Flex wrap gap="4px 16px" style={{ marginTop: 8, fontSize: 12 }} data-testid="stats-values">
        {rows.map((r) => (
          <span key={r.key} data-testid={`stats-row-${r.key}`}>
            {r.label}：{r.values.map(show).join(' / ')}
          </span>
        ))}
      </Flex>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8, marginBottom: 0 }}>
        {figure.columns.map((c) => c.label).join(' / ')}。{figure.notes.join(' ')}
      </Typography.Paragraph>
    </Card>
  );
}
