import type { ImportReport } from '@dangan/contracts';
import { Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useMemo } from 'react';

type Problem = ImportReport['problems'][number];

/** 文件 (the whole file) first, then the sheets in the template's order, then any other. */
const SHEET_ORDER = ['文件', '干部', '材料'];

function sheetRank(sheet: string): number {
  const i = SHEET_ORDER.indexOf(sheet);
  return i < 0 ? SHEET_ORDER.length : i;
}

export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) => sheetRank(a.sheet) - sheetRank(b.sheet) || a.sheet.localeCompare(b.sheet, 'zh-CN') || a.row - b.row,
  );
}

const columns: TableColumnsType<Problem & { key: number }> = [
  {
    title: '工作表',
    dataIndex: 'sheet',
    width: 100,
    render: (v: string) => <Tag color={v === '文件' ? 'red' : 'blue'}>{v}</Tag>,
  },
  {
    title: '行',
    dataIndex: 'row',
    width: 80,
    align: 'right',
    render: (v: number) => (v > 0 ? `第 ${v} 行` : <Typography.Text type="secondary">—</Typography.Text>),
  },
  {
    title: '列',
    dataIndex: 'column',
    width: 150,
    render: (v: string) => (v ? <Typography.Text strong>{v}</Typography.Text> : <Typography.Text type="secondary">—</Typography.Text>),
  },
  { title: '问题', dataIndex: 'reason', render: (v: string) => <Typography.Text type="danger">{v}</Typography.Text> },
];

/** The import's problems, by sheet and row, as the clerk will look for them in Excel. */
export function ProblemTable({ problems }: { problems: Problem[] }) {
  const rows = useMemo(() => sortProblems(problems).map((p, i) => ({ ...p, key: i })), [problems]);
  return (
    <Table
      size="small"
      data-testid="import-problems"
      columns={columns}
      dataSource={rows}
      pagination={
        rows.length > 20
          ? { pageSize: 20, showSizeChanger: true, pageSizeOptions: [20, 50, 100], showTotal: (total) => `共 ${total} 处问题` }
          : false
      }
    />
  );
}
