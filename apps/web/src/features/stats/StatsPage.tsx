import { FileExcelOutlined } from '@ant-design/icons';
import { api, STATS_SECTION_LABELS, type Figure, type StatsSection } from '@dangan/contracts';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Col, DatePicker, Form, Row, Space, Spin, Tabs, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { call, errorText, urlOf } from '../../api/client';
import { PageHeader, UnitTreeSelect } from '../../shared/components';
import { FigureCard } from './FigureCard';

const EXPORTS = { archive: api.stats.archiveExport, use: api.stats.useExport, cadres: api.stats.cadresExport } as const;
/** A section is read (and audited) once per load: no refetch on focus or remount. */
const ONCE = { staleTime: Number.POSITIVE_INFINITY, refetchOnWindowFocus: false, refetchOnMount: false } as const;

function Figures({ section, figures, filters }: { section: StatsSection; figures: Figure[]; filters: Record<string, string | undefined> }) {
  const url = (figure: string) => urlOf(EXPORTS[section], { query: { ...filters, figure } });
  return (
    <Row gutter={16}>
      {figures.map((f) => (
        <Col key={f.key} xs={24} xl={f.key.endsWith('ByUnit') || f.key === 'byUnit' || f.key === 'ageTrend' ? 24 : 12}>
          <FigureCard figure={f} exportUrl={url(f.key)} />
        </Col>
      ))}
    </Row>
  );
}

function SectionBody({ section, filters, data, isLoading, error, toolbar }: {
  section: StatsSection; filters: Record<string, string | undefined>; data?: { scope: string; figures: Figure[] }; isLoading: boolean; error: unknown;
  toolbar?: ReactNode;
}) {
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        {toolbar}
        <Button icon={<FileExcelOutlined />} href={urlOf(EXPORTS[section], { query: { ...filters, figure: 'all' } })} data-testid="stats-export-all">
          导出全部图表
        </Button>
      </Space>
      {error ? <Alert type="error" showIcon message={errorText(error)} /> : null}
      {data && <Typography.Paragraph type="secondary" data-testid="stats-scope">统计范围：{data.scope}</Typography.Paragraph>}
      <Spin spinning={isLoading}>{data ? <Figures section={section} figures={data.figures} filters={filters} /> : <div style={{ minHeight: 200 }} />}</Spin>
    </>
  );
}

function ArchiveTab() {
  const { data, isLoading, error } = useQuery({ queryKey: ['stats', 'archive'], queryFn: () => call(api.stats.archive), ...ONCE });
  return <SectionBody section="archive" filters={{}} data={data} isLoading={isLoading} error={error} />;
}

function UseTab() {
  const today = dayjs();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([today.startOf('year'), today]);
  const filters = { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') };
  const { data, isLoading, error } = useQuery({ queryKey: ['stats', 'use', filters], queryFn: () => call(api.stats.use, { query: filters }), ...ONCE });
  return (
    <SectionBody section="use" filters={filters} data={data} isLoading={isLoading} error={error}
      toolbar={
        <Form layout="inline">
          <Form.Item label="统计区间">
            <DatePicker.RangePicker value={range} allowClear={false} data-testid="stats-use-range"
              onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
          </Form.Item>
        </Form>
      } />
  );
}

function CadresTab() {
  const [asOf, setAsOf] = useState<Dayjs>(dayjs());
  const [unitId, setUnitId] = useState<string | undefined>();
  const filters = { asOf: asOf.format('YYYY-MM-DD'), unitId };
  const { data, isLoading, error } = useQuery({ queryKey: ['stats', 'cadres', filters], queryFn: () => call(api.stats.cadres, { query: filters }), ...ONCE });
  return (
    <SectionBody section="cadres" filters={filters} data={data} isLoading={isLoading} error={error}
      toolbar={
        <Form layout="inline">
          <Form.Item label="统计时点">
            <DatePicker value={asOf} allowClear={false} onChange={(v) => v && setAsOf(v)} data-testid="stats-asof" />
          </Form.Item>
          <Form.Item label="单位">
            <UnitTreeSelect value={unitId} onChange={(v: string | undefined) => setUnitId(v ?? undefined)} placeholder="全部（本人数据范围）"
              style={{ width: 240 }} data-testid="stats-unit" />
          </Form.Item>
        </Form>
      } />
  );
}

const TABS: { key: StatsSection; body: () => ReactNode }[] = [
  { key: 'archive', body: () => <ArchiveTab /> },
  { key: 'use', body: () => <UseTab /> },
  { key: 'cadres', body: () => <CadresTab /> },
];

/** 统计分析: the archive, its use and the cadre body, each figure within the viewer's data scope. */
export default function StatsPage() {
  const [params, setParams] = useSearchParams();
  const tab = (TABS.some((t) => t.key === params.get('tab')) ? params.get('tab') : 'archive') as StatsSection;
  return (
    <>
      <PageHeader title="统计分析" description="每个数字只计本人数据范围内的档案与干部；每个图表可查看数据表并导出 Excel。" />
      <Tabs activeKey={tab} onChange={(k) => setParams({ tab: k })} destroyOnHidden
        items={TABS.map((t) => ({ key: t.key, label: STATS_SECTION_LABELS[t.key], children: t.body() }))} />
    </>
  );
}
