import { FileExcelOutlined } from '@ant-design/icons';
import {
  api, type BatchProgressRow, type Dashboard, type DashboardQuery, type DefectWeek, type Endpoint, type OperatorDay, type StageProgress,
  type StuckDossier,
} from '@dangan/contracts';
import { STAGES, STAGE_LABELS, type BatchState } from '@dangan/domain';
import { Button, Card, Col, Row, Statistic, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useMemo, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { urlOf } from '../../api/client';
import { EmptyState } from '../../shared/components';
import { formatDateTime } from '../../shared/format';
import { batchesChart, defectTrendChart, defectTypesChart, operatorsChart, stagesChart } from './charts';
import { EChart } from './EChart';

const STATE_COLORS: Record<BatchState, string> = {
  draft: 'default', checkout_requested: 'gold', approved: 'cyan', in_progress: 'blue', accepted: 'green', closed: 'default', cancelled: 'red',
};

/** A plain link that downloads one table as .xlsx; the session cookie goes with it. */
function ExportButton({ endpoint, query }: { endpoint: Endpoint; query: DashboardQuery }) {
  return (
    <Button size="small" icon={<FileExcelOutlined />} href={urlOf(endpoint, { query })} data-testid="export-xlsx">
      导出 Excel
    </Button>
  );
}

function Section({ title, help, extra, children }: { title: string; help?: string; extra?: ReactNode; children: ReactNode }) {
  return (
    <Card
      size="small"
      title={
        <span>
          {title}
          {help && (
            <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 12, marginInlineStart: 8 }}>
              {help}
            </Typography.Text>
          )}
        </span>
      }
      extra={extra}
      style={{ marginBottom: 16 }}
    >
      {children}
    </Card>
  );
}

const rate = (v: number | null, digits = 2) => (v === null ? '—' : v.toFixed(digits));
const percent = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

export function Totals({ d }: { d: Dashboard }) {
  const t = d.progress.totals;
  const items: [string, number, string?][] = [
    ['批次', t.batches], ['档案（卷）', t.dossiers], ['环节进行中', t.inProgress], ['等待开始', t.waiting], ['全部完成', t.done],
    ['滞留', t.stuck, t.stuck > 0 ? '#cf1322' : undefined],
  ];
  return (
    <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
      {items.map(([title, value, color]) => (
        <Col key={title} xs={12} sm={8} lg={4}>
          <Card size="small">
            <Statistic title={title} value={value} styles={{ content: color ? { color } : {} }} />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

export function StagesSection({ d, query }: { d: Dashboard; query: DashboardQuery }) {
  const option = useMemo(() => stagesChart(d.progress.stages), [d]);
  const columns: TableColumnsType<StageProgress> = [
    { title: '环节', dataIndex: 'label' },
    { title: '已完成', dataIndex: 'done', align: 'right' },
    { title: '进行中', dataIndex: 'inProgress', align: 'right' },
    { title: '未开始', dataIndex: 'pending', align: 'right' },
    { title: '当前停在此环节', dataIndex: 'current', align: 'right' },
  ];
  return (
    <Section title="各环节进度" help="整理 → 扫描 → 图像处理 → 著录/挂接 → 自动校验 → 质检 → 验收 → 入库" extra={<ExportButton endpoint={api.dashboard.stagesXlsx} query={query} />}>
      {d.progress.totals.dossiers === 0 ? (
        <EmptyState text="尚无加工中的档案" />
      ) : (
        <Row gutter={16}>
          <Col xs={24} xl={14}>
            <EChart option={option} label="各环节进度图" />
          </Col>
          <Col xs={24} xl={10}>
            <Table rowKey="stage" size="small" columns={columns} dataSource={d.progress.stages} pagination={false} data-testid="stages-table" />
          </Col>
        </Row>
      )}
    </Section>
  );
}

export function BatchesSection({ d, query }: { d: Dashboard; query: DashboardQuery }) {
  const option = useMemo(() => batchesChart(d.progress.batches), [d]);
  const columns: TableColumnsType<BatchProgressRow> = [
    {
      title: '批次号', dataIndex: 'code', width: 130, fixed: 'left',
      render: (code: string, b) => <Link to={`/batches/${b.batchId}`} style={{ fontFamily: 'monospace' }}>{code}</Link>,
    },
    { title: '名称', dataIndex: 'name', ellipsis: true, width: 160 },
    { title: '状态', dataIndex: 'state', width: 100, render: (s: BatchState, b) => <Tag color={STATE_COLORS[s]}>{b.stateLabel}</Tag> },
    { title: '档案', dataIndex: 'dossiers', align: 'right', width: 64 },
    ...STAGES.map((s) => ({
      title: STAGE_LABELS[s], key: s, align: 'right' as const, width: 76,
      render: (_: unknown, b: BatchProgressRow) => b.current[s] || <Typography.Text type="secondary">0</Typography.Text>,
    })),
    { title: '全部完成', dataIndex: 'done', align: 'right', width: 80 },
    {
      title: '滞留', dataIndex: 'stuck', align: 'right', width: 64,
      render: (n: number) => (n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : 0),
    },
  ];
  return (
    <Section title="各批次进度" help="各环节列为当前停在该环节的档案数" extra={<ExportButton endpoint={api.dashboard.batchesXlsx} query={query} />}>
      {d.progress.batches.length === 0 ? (
        <EmptyState text="尚无加工批次" />
      ) : (
        <>
          {d.progress.batches.length > 1 && <EChart option={option} height={Math.max(200, 48 + 32 * Math.min(12, d.progress.batches.length))} label="各批次进度图" />}
          <Table
            rowKey="batchId" size="small" columns={columns} dataSource={d.progress.batches} scroll={{ x: 1200 }}
            pagination={d.progress.batches.length > 10 ? { pageSize: 10, showSizeChanger: false } : false} data-testid="batches-table"
          />
        </>
      )}
    </Section>
  );
}

export function OperatorsSection({ d, query }: { d: Dashboard; query: DashboardQuery }) {
  const option = useMemo(() => operatorsChart(d.operators.dates, d.operators.rows), [d]);
  const columns: TableColumnsType<OperatorDay> = [
    { title: '日期', dataIndex: 'date', width: 110 },
    { title: '操作员', key: 'operator', render: (_, r) => r.operator.name },
    { title: '扫描页数', dataIndex: 'scannedPages', align: 'right' },
    { title: '图像处理（卷次/页）', key: 'processed', align: 'right', render: (_, r) => `${r.processedDossiers} / ${r.processedPages}` },
    { title: '挂接（卷次/页）', key: 'linked', align: 'right', render: (_, r) => `${r.linkedDossiers} / ${r.linkedPages}` },
  ];
  return (
    <Section
      title="操作员日产量"
      help={`${d.operators.from} 至 ${d.operators.to}；扫描页数按上传人，图像处理、挂接按环节完成人`}
      extra={<ExportButton endpoint={api.dashboard.operatorsXlsx} query={query} />}
    >
      {d.operators.rows.length === 0 ? (
        <EmptyState text="此期间没有扫描或加工记录" />
      ) : (
        <>
          <EChart option={option} label="操作员每日扫描页数图" />
          <Table
            rowKey={(r) => `${r.date}|${r.operator.id ?? r.operator.name}`} size="small" columns={columns} dataSource={d.operators.rows}
            pagination={d.operators.rows.length > 10 ? { pageSize: 10, showSizeChanger: false } : false} data-testid="operators-table"
          />
        </>
      )}
    </Section>
  );
}

export function DefectsSection({ d, query }: { d: Dashboard; query: DashboardQuery }) {
  const trend = useMemo(() => defectTrendChart(d.defects.weeks), [d]);
  const types = useMemo(() => defectTypesChart(d.defects.weeks), [d]);
  const t = d.defects.totals;
  const columns: TableColumnsType<DefectWeek> = [
    { title: '周', dataIndex: 'label', width: 150 },
    { title: '质检卷次', dataIndex: 'inspections', align: 'right' },
    { title: '不合格', dataIndex: 'failed', align: 'right' },
    { title: '不合格率', dataIndex: 'failRate', align: 'right', render: percent },
    { title: '缺陷数', dataIndex: 'defects', align: 'right' },
    { title: '受检页数', dataIndex: 'pages', align: 'right' },
    { title: '每卷缺陷', dataIndex: 'perDossier', align: 'right', render: (v: number | null) => rate(v) },
    { title: '每千页缺陷', dataIndex: 'per1000Pages', align: 'right', render: (v: number | null) => rate(v) },
  ];
  const weeks = [...d.defects.weeks].reverse().filter((w) => w.inspections > 0);
  return (
    <Section
      title="缺陷率趋势"
      help="按质检结论时间归周；每卷缺陷 = 缺陷数 ÷ 质检卷次，每千页缺陷 = 缺陷数 × 1000 ÷ 受检页数"
      extra={<ExportButton endpoint={api.dashboard.defectsXlsx} query={query} />}
    >
      {t.inspections === 0 ? (
        <EmptyState text="此期间没有作出结论的质检" />
      ) : (
        <>
          <Row gutter={[16, 16]} style={{ marginBottom: 8 }}>
            {([['质检卷次', t.inspections], ['不合格率', percent(t.failRate)], ['每卷缺陷', rate(t.perDossier)], ['每千页缺陷', rate(t.per1000Pages)]] as const).map(([k, v]) => (
              <Col key={k} xs={12} md={6}>
                <Statistic title={k} value={v} />
              </Col>
            ))}
          </Row>
          <Row gutter={16}>
            <Col xs={24} xl={12}>
              <EChart option={trend} label="缺陷率趋势图" />
            </Col>
            <Col xs={24} xl={12}>
              {t.defects > 0 ? <EChart option={types} label="缺陷类型分布图" /> : <EmptyState text="抽检未发现缺陷" />}
            </Col>
          </Row>
          <Table rowKey="week" size="small" columns={columns} dataSource={weeks} pagination={false} data-testid="defects-table" />
        </>
      )}
    </Section>
  );
}

export function StuckSection({ d, query }: { d: Dashboard; query: DashboardQuery }) {
  const columns: TableColumnsType<StuckDossier> = [
    { title: '批次号', dataIndex: 'batchCode', width: 130, render: (code: string, s) => <Link to={`/batches/${s.batchId}`} style={{ fontFamily: 'monospace' }}>{code}</Link> },
    { title: '档案号', dataIndex: 'dossierNo', width: 140 },
    { title: '姓名', dataIndex: 'cadreName', width: 90 },
    { title: '环节', dataIndex: 'stageLabel', width: 100 },
    { title: '状态', dataIndex: 'status', width: 90, render: (s: StuckDossier['status']) => (s === 'in_progress' ? <Tag color="blue">进行中</Tag> : <Tag>等待开始</Tag>) },
    { title: '停留自', dataIndex: 'since', width: 170, render: formatDateTime },
    {
      title: '停留天数', dataIndex: 'days', align: 'right', width: 90,
      render: (n: number) => <Typography.Text type="danger">{n} 天</Typography.Text>,
    },
    { title: '开始人', key: 'by', render: (_, s) => s.startedBy?.name ?? '—' },
  ];
  return (
    <Section
      title="滞留档案"
      help={`加工中的批次里，环节超过 ${d.stuck.stuckDays} 天没有变动的档案`}
      extra={
        <Tooltip title="滞留天数可在「系统设置 → 环节滞留预警」中修改">
          <span>
            <ExportButton endpoint={api.dashboard.stuckXlsx} query={query} />
          </span>
        </Tooltip>
      }
    >
      {d.stuck.items.length === 0 ? (
        <EmptyState text="没有滞留的档案" />
      ) : (
        <Table
          rowKey={(s) => `${s.batchId}|${s.dossierId}`} size="small" columns={columns} dataSource={d.stuck.items}
          pagination={d.stuck.items.length > 10 ? { pageSize: 10, showSizeChanger: false } : false} data-testid="stuck-table"
        />
      )}
    </Section>
  );
}
