import { ExperimentOutlined } from '@ant-design/icons';
import { api, type BatchDetail, type InspectionSummary, type ReworkSummary } from '@dangan/contracts';
import { VERDICT_LABELS } from '@dangan/domain';
import { App, Button, Card, Col, Descriptions, Empty, Flex, Row, Statistic, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { HTMLAttributes } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { call } from '../../api/client';
import { useMe, useSession } from '../../session/SessionProvider';
import { formatDateTime } from '../../shared/format';
import { REWORK_STATE_COLORS, percentText } from './model';
import { useProjectAction } from './useProjectAction';

export function VerdictTag({ verdict }: { verdict: 'pass' | 'fail' | null }) {
  if (!verdict) return <Tag color="processing">质检中</Tag>;
  return <Tag color={verdict === 'pass' ? 'green' : 'red'}>{VERDICT_LABELS[verdict]}</Tag>;
}

/** 抽检与质检: the sample with its seed, the pass rate against the standard, inspection rounds and rework. */
export function QualityPanel({ batch }: { batch: BatchDetail }) {
  const { can } = useSession();
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { run, busy } = useProjectAction();
  const s = batch.sampling;
  const inProgress = batch.state === 'in_progress';
  const mayInspect = can('qc.inspect');
  // The inspection page shows the page images, which inspectors and the clerks who link pages may load.
  const mayOpenInspection = can('qc.inspect', 'batch.manage');

  const open = async (dossierId: string) => {
    let id = '';
    const ok = await run(`inspect:${dossierId}`, async () => {
      id = (await call(api.inspections.open, { body: { batchId: batch.id, dossierId } })).id;
    });
    if (ok && id) {
      void message.success('已开始质检');
      navigate(`/inspections/${id}`);
    }
  };

  /** What the inspector can do next for a sampled dossier. */
  const nextStep = (dossierId: string) => {
    const rounds = batch.inspections.filter((i) => i.dossierId === dossierId);
    const running = rounds.find((i) => i.verdict === null);
    if (running) return { kind: 'continue' as const, inspection: running };
    const last = rounds.at(-1);
    if (last?.verdict === 'pass') return { kind: 'passed' as const };
    const rework = batch.rework.filter((r) => r.dossierId === dossierId).at(-1);
    if (last?.verdict === 'fail' && rework?.state === 'open') return { kind: 'waiting' as const };
    return { kind: last ? ('reinspect' as const) : ('start' as const) };
  };

  const inspectionColumns: TableColumnsType<InspectionSummary> = [
    { title: '档案', key: 'dossier', render: (_, i) => `${i.dossierNo} ${i.cadreName}` },
    { title: '轮次', dataIndex: 'round', width: 64, render: (n: number) => (n > 1 ? `复检 ${n - 1}` : '初检') },
    { title: '质检员', key: 'inspector', width: 96, render: (_, i) => i.inspector.name },
    { title: '开始', dataIndex: 'openedAt', width: 160, render: formatDateTime },
    { title: '缺陷', dataIndex: 'defectCount', width: 64, align: 'right' },
    { title: '结论', key: 'verdict', width: 88, render: (_, i) => <VerdictTag verdict={i.verdict} /> },
    { title: '结论时间', dataIndex: 'verdictAt', width: 160, render: formatDateTime },
    {
      title: '',
      key: 'open',
      width: 88,
      render: (_, i) =>
        mayOpenInspection && (
          <Link to={`/inspections/${i.id}`} data-testid="inspection-link">
            {i.verdict === null && i.inspector.id === me.user.id ? '继续质检' : '查看记录'}
          </Link>
        ),
    },
  ];

  const reworkColumns: TableColumnsType<ReworkSummary> = [
    { title: '档案', key: 'dossier', render: (_, r) => `${r.dossierNo} ${r.cadreName}` },
    { title: '质检轮次', dataIndex: 'round', width: 80, render: (n: number) => (n > 1 ? `复检 ${n - 1}` : '初检') },
    { title: '整改人', key: 'assignee', width: 96, render: (_, r) => r.assignee.name },
    { title: '状态', key: 'state', width: 104, render: (_, r) => <Tag color={REWORK_STATE_COLORS[r.state]}>{r.stateLabel}</Tag> },
    { title: '已整改', key: 'fixed', width: 80, align: 'right', render: (_, r) => `${r.fixedCount}/${r.defectCount}` },
    { title: '派发', dataIndex: 'createdAt', width: 160, render: formatDateTime },
    { title: '提交复检', dataIndex: 'submittedAt', width: 160, render: formatDateTime },
    {
      title: '',
      key: 'open',
      width: 72,
      render: (_, r) => (
        <Link to={`/rework/${r.id}`} data-testid="rework-link">
          {r.state === 'open' && r.assignee.id === me.user.id ? '去整改' : '查看'}
        </Link>
      ),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Row gutter={16}>
        <Col span={14}>
          <Card
            size="small"
            title="质检抽样"
            style={{ height: '100%' }}
            data-testid="sampling"
            extra={
              !s && inProgress && can('qc.inspect', 'batch.manage') && (
                <Button type="primary" icon={<ExperimentOutlined />} loading={busy === 'sample'} onClick={() => void run('sample', () => call(api.batches.drawSample, { params: { id: batch.id } }), '已抽取质检样本')} data-testid="draw-sample">
                  抽取样本
                </Button>
              )
            }
          >
            {!s ? (
              <Typography.Text type="secondary">
                尚未抽样。各档案自动校验完成后抽取：自动校验不合格的档案全部检查，其余按比例随机抽取，随机种子留存以便复核。
              </Typography.Text>
            ) : (
              <>
                <Descriptions size="small" column={2} style={{ marginBottom: 8 }}>
                  <Descriptions.Item label="随机种子">
                    <Typography.Text copyable code data-testid="sample-seed">
                      {String(s.seed)}
                    </Typography.Text>
                  </Descriptions.Item>
                  <Descriptions.Item label="抽样比例">{`${s.percent}%（随机 ${s.randomCount} 卷）`}</Descriptions.Item>
                  <Descriptions.Item label="抽样人">{s.drawnBy.name}</Descriptions.Item>
                  <Descriptions.Item label="抽样时间">{formatDateTime(s.drawnAt)}</Descriptions.Item>
                </Descriptions>
                <Table
                  rowKey="dossierId"
                  size="small"
                  pagination={false}
                  dataSource={s.selected}
                  data-testid="sample-table"
                  onRow={(r) => ({ 'data-dossier': r.dossierNo }) as HTMLAttributes<HTMLElement>}
                  columns={[
                    { title: '档案号', dataIndex: 'dossierNo', width: 120 },
                    { title: '姓名', key: 'name', width: 90, render: (_, r) => batch.dossiers.find((d) => d.dossierId === r.dossierId)?.cadreName ?? '—' },
                    { title: '抽检原因', key: 'reason', render: (_, r) => <Tag color={r.reason === 'check_failed' ? 'red' : 'purple'}>{r.label}</Tag> },
                    {
                      title: '质检',
                      key: 'inspect',
                      width: 140,
                      render: (_, r) => {
                        const step = nextStep(r.dossierId);
                        if (step.kind === 'passed') return <Tag color="green">合格</Tag>;
                        if (step.kind === 'continue') {
                          const text = `质检中（${step.inspection.inspector.name}）`;
                          return mayOpenInspection ? <Link to={`/inspections/${step.inspection.id}`}>{text}</Link> : text;
                        }
                        if (step.kind === 'waiting') return <Tag color="orange">待整改</Tag>;
                        if (!mayInspect || !inProgress) return <Typography.Text type="secondary">待质检</Typography.Text>;
                        return (
                          <Button size="small" type="primary" loading={busy === `inspect:${r.dossierId}`} onClick={() => void open(r.dossierId)} data-testid="open-inspection">
                            {step.kind === 'reinspect' ? '复检' : '开始质检'}
                          </Button>
                        );
                      },
                    },
                  ]}
                />
              </>
            )}
          </Card>
        </Col>
        <Col span={10}>
          <Card size="small" title="抽检合格率" style={{ height: '100%' }} data-testid="pass-rate">
            <Flex gap={32} wrap>
              <Statistic title="已质检" value={batch.passRate.inspected} suffix="卷" />
              <Statistic title="合格" value={batch.passRate.passed} suffix="卷" />
              <Statistic
                title="合格率"
                value={percentText(batch.passRate.rate)}
                styles={{ content: { color: batch.passRate.rate === null ? undefined : batch.passRate.rate * 100 >= batch.passPercent ? '#389e0d' : '#cf1322' } }}
              />
              <Statistic title="一次合格率" value={percentText(batch.passRate.firstRate)} />
            </Flex>
            <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
              {`验收标准：抽检合格率不低于 ${batch.passPercent}%，整改全部复检合格。`}
            </Typography.Text>
          </Card>
        </Col>
      </Row>
      <Card size="small" title="质检记录">
        <Table<InspectionSummary>
          rowKey="id"
          size="small"
          columns={inspectionColumns}
          dataSource={batch.inspections}
          pagination={false}
          data-testid="inspections"
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚无质检记录" /> }}
        />
      </Card>
      <Card size="small" title="整改任务">
        <Table<ReworkSummary>
          rowKey="id"
          size="small"
          columns={reworkColumns}
          dataSource={batch.rework}
          pagination={false}
          data-testid="rework-list"
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚无整改任务" /> }}
        />
      </Card>
    </Flex>
  );
}
