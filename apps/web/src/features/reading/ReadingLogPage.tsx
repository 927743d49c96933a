import { api, type PrintLogRow, type ReadingLogRow } from '@dangan/contracts';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, DatePicker, Space, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { call } from '../../api/client';
import { PageHeader } from '../../shared/components';
import { dayjs, formatDateTime } from '../../shared/format';
import { readingKeys } from './readerApi';

interface Filter {
  userId?: string;
  dossierId?: string;
  requestId?: string;
  label: string;
}

function duration(ms: number): string {
  if (ms < 1000) return ms > 0 ? '不足 1 秒' : '—';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} 秒` : `${Math.floor(s / 60)} 分 ${s % 60} 秒`;
}

/** 查阅记录: every page a reader looked at and for how long, and the print log, in the viewer's data scope. */
export default function ReadingLogPage() {
  return (
    <>
      <PageHeader title="查阅记录" description="查阅人逐页查看的时间和时长、打印记录；仅含您数据范围内干部的档案。点击查阅人、档案号或申请编号可按其筛选。" />
      <Card>
        <Tabs items={[
          { key: 'reading', label: '查阅记录', children: <ReadingLog /> },
          { key: 'prints', label: '打印记录', children: <PrintLog /> },
        ]} />
      </Card>
    </>
  );
}

function FilterBar({ filters, onRemove }: { filters: Filter[]; onRemove(i: number): void }) {
  if (filters.length === 0) return null;
  return (
    <Space wrap style={{ marginBottom: 8 }}>
      {filters.map((f, i) => <Tag key={f.label} closable onClose={() => onRemove(i)}>{f.label}</Tag>)}
    </Space>
  );
}

function merged(filters: Filter[]) {
  return Object.assign({}, ...filters.map(({ label: _label, ...f }) => f)) as Omit<Filter, 'label'>;
}

function ReadingLog() {
  const [page, setPage] = useState({ page: 1, pageSize: 50 });
  const [filters, setFilters] = useState<Filter[]>([]);
  const [range, setRange] = useState<[dayjs.Dayjs | null, dayjs.Dayjs | null] | null>(null);
  const query = {
    ...page, ...merged(filters),
    ...(range?.[0] ? { from: range[0].format('YYYY-MM-DD') } : {}),
    ...(range?.[1] ? { to: range[1].format('YYYY-MM-DD') } : {}),
  };
  const { data, isFetching } = useQuery({ queryKey: readingKeys.log(query), queryFn: () => call(api.useLogs.readingLog, { query }) });
  const add = (f: Filter) => {
    setFilters((fs) => [...fs.filter((x) => x.label !== f.label && Object.keys(f).every((k) => k === 'label' || !(k in x))), f]);
    setPage((p) => ({ ...p, page: 1 }));
  };

  const columns: TableColumnsType<ReadingLogRow> = [
    { title: '查看时间', dataIndex: 'viewedAt', width: 170, render: (v: string) => formatDateTime(v) },
    { title: '查阅人', key: 'reader', width: 110, render: (_, r) => <Button type="link" size="small" onClick={() => add({ userId: r.reader.id, label: `查阅人：${r.reader.name}` })}>{r.reader.name}</Button> },
    { title: '申请编号', dataIndex: 'requestNo', width: 130, render: (v: string, r) => <Button type="link" size="small" onClick={() => add({ requestId: r.requestId, label: `申请：${v}` })}>{v}</Button> },
    { title: '档案号', dataIndex: 'dossierNo', width: 110, render: (v: string, r) => <Button type="link" size="small" onClick={() => add({ dossierId: r.dossierId, label: `档案：${v}` })}>{v}</Button> },
    { title: '干部', dataIndex: 'cadreName', width: 90 },
    { title: '材料', key: 'material', render: (_, r) => `第 ${r.classCode} 类 ${r.materialName}` },
    { title: '页', dataIndex: 'pageNo', width: 60, render: (v: number | null) => v ?? '—' },
    { title: '时长', dataIndex: 'durationMs', width: 100, render: (v: number) => duration(v) },
    { title: '地址', dataIndex: 'clientIp', width: 130, render: (v: string | null) => v ?? '—' },
  ];

  return (
    <>
      <Space wrap style={{ marginBottom: 8 }}>
        <DatePicker.RangePicker value={range} allowEmpty={[true, true]} placeholder={['开始日期', '结束日期']}
          onChange={(v) => { setRange(v as typeof range); setPage((p) => ({ ...p, page: 1 })); }} />
      </Space>
      <FilterBar filters={filters} onRemove={(i) => setFilters((fs) => fs.filter((_, k) => k !== i))} />
      <Table<ReadingLogRow>
        data-testid="reading-log-table"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={isFetching}
        pagination={{ current: page.page, pageSize: page.pageSize, total: data?.total ?? 0, showTotal: (n) => `共 ${n} 条`, onChange: (p, s) => setPage({ page: p, pageSize: s }) }}
      />
    </>
  );
}

function PrintLog() {
  const [page, setPage] = useState({ page: 1, pageSize: 50 });
  const [filters, setFilters] = useState<Filter[]>([]);
  const query = { ...page, ...merged(filters) };
  const { data, isFetching } = useQuery({ queryKey: readingKeys.prints(query), queryFn: () => call(api.useLogs.prints, { query }) });
  const add = (f: Filter) => setFilters((fs) => [...fs.filter((x) => x.label !== f.label), f]);

  const columns: TableColumnsType<PrintLogRow> = [
    { title: '打印流水号', dataIndex: 'serialNo', width: 140 },
    { title: '打印时间', dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v) },
    { title: '查阅人', key: 'reader', width: 110, render: (_, r) => <Button type="link" size="small" onClick={() => add({ userId: r.reader.id, label: `查阅人：${r.reader.name}` })}>{r.reader.name}</Button> },
    { title: '申请编号', dataIndex: 'requestNo', width: 130, render: (v: string, r) => <Button type="link" size="small" onClick={() => add({ requestId: r.requestId, label: `申请：${v}` })}>{v}</Button> },
    { title: '档案', key: 'dossier', width: 150, render: (_, r) => `${r.dossierNo}（${r.cadreName}）` },
    { title: '材料', dataIndex: 'materials', render: (v: string[]) => v.join('、') },
    { title: '页数', dataIndex: 'pageCount', width: 70 },
    { title: 'SHA-256', dataIndex: 'sha256', width: 120, render: (v: string) => <Typography.Text copyable={{ text: v }} code>{v.slice(0, 10)}…</Typography.Text> },
  ];

  return (
    <>
      <FilterBar filters={filters} onRemove={(i) => setFilters((fs) => fs.filter((_, k) => k !== i))} />
      <Table<PrintLogRow>
        data-testid="print-log-table"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={isFetching}
        pagination={{ current: page.page, pageSize: page.pageSize, total: data?.total ?? 0, showTotal: (n) => `共 ${n} 条`, onChange: (p, s) => setPage({ page: p, pageSize: s }) }}
      />
    </>
  );
}
