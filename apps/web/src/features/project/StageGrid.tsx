import { CheckCircleFilled, ClockCircleOutlined, MinusCircleOutlined, RollbackOutlined, ScanOutlined, WarningFilled } from '@ant-design/icons';
import { api, type BatchDetail, type BatchDossier, type StageView } from '@dangan/contracts';
import { STAGE_LABELS, type StageCode } from '@dangan/domain';
import { Button, Flex, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router-dom';
import { call } from '../../api/client';
import { useSession } from '../../session/SessionProvider';
import { formatDateTime } from '../../shared/format';
import { STAGES, stageActions, stageTip } from './model';
import { ReworkStageModal } from './ReworkStageModal';
import { useProjectAction } from './useProjectAction';

const STATUS_LOOK = {
  pending: { icon: <MinusCircleOutlined />, color: 'rgba(0,0,0,0.25)', text: '未开始' },
  in_progress: { icon: <ClockCircleOutlined />, color: '#1677ff', text: '进行中' },
  done: { icon: <CheckCircleFilled />, color: '#389e0d', text: '已完成' },
} as const;

function shortTime(iso: string | null): string {
  return iso ? formatDateTime(iso).slice(5, 16) : '';
}

/** 各档案加工环节: one row a dossier, one column a stage, with the moves the user may make. */
export function StageGrid({
  batch, onRegister, onChecks,
}: {
  batch: BatchDetail;
  onRegister: (d: BatchDossier) => void;
  onChecks: (d: BatchDossier) => void;
}) {
  const { can } = useSession();
  const { run, busy } = useProjectAction();
  const [rework, setRework] = useState<BatchDossier | null>(null);
  const reworkable = (d: BatchDossier) => STAGES.filter((s) => stageActions(d, s, can, inProgress).rework);
  const inProgress = batch.state === 'in_progress';
  // Scanning starts once the paper has been handed over.
  const handedOut = ['in_progress', 'accepted', 'closed'].includes(batch.state);
  const params = (d: BatchDossier, stage: StageCode) => ({ id: batch.id, dossierId: d.dossierId, stage });

  const stageCell = (d: BatchDossier, s: StageView) => {
    const look = STATUS_LOOK[s.status];
    const acts = stageActions(d, s.stage, can, inProgress);
    const key = `${d.dossierId}:${s.stage}`;
    const label = STAGE_LABELS[s.stage];
    return (
      <div data-testid="stage-cell" data-dossier={d.dossierNo} data-stage={s.stage} data-status={s.status} className="project-stage-cell">
        <Tooltip title={<span style={{ whiteSpace: 'pre-line' }}>{stageTip(s)}</span>}>
          <Space size={4} style={{ color: look.color, cursor: 'default' }}>
            {look.icon}
            <span>{look.text}</span>
          </Space>
          <div className="project-stage-time">{shortTime(s.finishedAt ?? s.startedAt)}</div>
        </Tooltip>
        {(acts.start || acts.finish) && (
          <Flex gap={2} wrap style={{ marginTop: 4 }}>
            {acts.start && (
              <Button
                size="small"
                type="primary"
                ghost
                aria-label={`开始${label}`}
                loading={busy === `start:${key}`}
                onClick={() => void run(`start:${key}`, () => call(api.batches.startStage, { params: params(d, s.stage) }), `${d.dossierNo}：已开始${label}`)}
              >
                {s.stage === 'check' ? '校验' : '开始'}
              </Button>
            )}
            {acts.finish && (
              <Button
                size="small"
                type="primary"
                aria-label={`完成${label}`}
                loading={busy === `finish:${key}`}
                onClick={() =>
                  void run(`finish:${key}`, () => call(api.batches.finishStage, { params: params(d, s.stage), body: { note: '' } }), `${d.dossierNo}：${label}已完成`)
                }
              >
                完成
              </Button>
            )}
          </Flex>
        )}
      </div>
    );
  };

  const checkCell = (d: BatchDossier) => {
    const c = d.check;
    if (!c.state) return <Typography.Text type="secondary">未校验</Typography.Text>;
    if (c.state === 'queued' || c.state === 'running') {
      return (
        <Tag color="processing" data-testid="check-state">
          {c.state === 'queued' ? '排队中' : '校验中'}
        </Tag>
      );
    }
    if (c.state === 'failed') return <Tag color="error" data-testid="check-state">校验出错</Tag>;
    const failures = c.failures ?? 0;
    const warnings = c.warnings ?? 0;
    const verdict = failures > 0 ? (
      <Typography.Text type="danger">
        <WarningFilled /> {failures} 项不合格
      </Typography.Text>
    ) : (
      <Typography.Text type="success">
        <CheckCircleFilled /> 通过
      </Typography.Text>
    );
    // The findings are for those who act on them: operators, inspectors and the batch's clerk.
    if (!can('batch.manage', 'qc.inspect', 'scan.ingest')) return verdict;
    return (
      <Button
        size="small"
        type="link"
        style={{ padding: 0, height: 'auto', textAlign: 'left' }}
        onClick={() => onChecks(d)}
        data-testid="check-result"
        aria-label={`${d.dossierNo} 自动校验结果`}
      >
        <Flex vertical align="flex-start">
          {verdict}
          {warnings > 0 && <Typography.Text type="warning" style={{ fontSize: 12 }}>{`${warnings} 项提示`}</Typography.Text>}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            查看详情
          </Typography.Text>
        </Flex>
      </Button>
    );
  };

  const columns: TableColumnsType<BatchDossier> = [
    {
      title: '档案',
      key: 'dossier',
      fixed: 'left',
      width: 150,
      render: (_, d) => (
        <div>
          <Space size={4}>
            {can('dossier.read') ? <Link to={`/dossiers/${d.dossierId}/catalogue`}>{d.dossierNo}</Link> : <span>{d.dossierNo}</span>}
            <span>{d.cadreName}</span>
          </Space>
          <Space size={4} wrap style={{ marginTop: 2 }}>
            <Tag color={d.state === 'in_store' ? 'green' : d.state === 'out_for_digitization' ? 'blue' : 'default'} style={{ marginInlineEnd: 0 }} data-testid="dossier-state">
              {d.stateLabel}
            </Tag>
            {d.sample && (
              <Tag color={d.sample.reason === 'check_failed' ? 'red' : 'purple'} style={{ marginInlineEnd: 0 }}>
                {d.sample.reason === 'check_failed' ? '全检' : '抽检'}
              </Tag>
            )}
            {d.openRework > 0 && (
              <Tag color="orange" style={{ marginInlineEnd: 0 }}>
                整改中
              </Tag>
            )}
          </Space>
        </div>
      ),
    },
    {
      title: '目录 / 已扫描',
      key: 'counts',
      width: 112,
      render: (_, d) => (
        <div>
          <div>{`${d.materialCount} 份 ${d.pageCount} 页`}</div>
          <Typography.Text type={d.scannedPages === d.pageCount ? 'secondary' : 'warning'} style={{ fontSize: 12 }} data-testid="scanned-pages">
            {`已扫描 ${d.scannedPages} 页`}
          </Typography.Text>
        </div>
      ),
    },
    ...STAGES.map((stage) => ({
      title: STAGE_LABELS[stage],
      key: stage,
      width: 96,
      render: (_: unknown, d: BatchDossier) => {
        const s = d.stages.find((x) => x.stage === stage);
        return s ? stageCell(d, s) : null;
      },
    })),
    { title: '校验结果', key: 'check', width: 136, render: (_, d) => checkCell(d) },
    {
      title: '操作',
      key: 'actions',
      fixed: 'right',
      width: 128,
      render: (_, d) => (
        <Flex vertical gap={2} align="flex-start">
          {handedOut && (
            <Button size="small" type="link" style={{ padding: 0 }} onClick={() => onRegister(d)} data-testid="open-register" aria-label={`${d.dossierNo} 扫描登记`}>
              扫描登记
            </Button>
          )}
          {handedOut && can('scan.ingest', 'scan.link') && (
            <Link to={`/dossiers/${d.dossierId}/scan`} data-testid="open-scan" aria-label={`${d.dossierNo} 扫描与挂接`}>
              <ScanOutlined /> 扫描与挂接
            </Link>
          )}
          {reworkable(d).length > 0 && (
            <Button size="small" type="link" danger icon={<RollbackOutlined />} style={{ padding: 0 }} onClick={() => setRework(d)} aria-label={`${d.dossierNo} 返工`}>
              返工…
            </Button>
          )}
          {batch.state === 'draft' && can('batch.manage') && (
            <Button
              size="small"
              type="link"
              danger
              style={{ padding: 0 }}
              loading={busy === `remove:${d.dossierId}`}
              onClick={() =>
                void run(`remove:${d.dossierId}`, () => call(api.batches.removeDossier, { params: { id: batch.id, dossierId: d.dossierId } }), `已移出 ${d.dossierNo}`)
              }
            >
              移出批次
            </Button>
          )}
        </Flex>
      ),
    },
  ];

  return (
    <>
      <Table<BatchDossier>
        rowKey="dossierId"
        size="small"
        bordered
        columns={columns}
        dataSource={batch.dossiers}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="stage-grid"
        onRow={(d) => ({ 'data-dossier': d.dossierNo }) as HTMLAttributes<HTMLElement>}
        locale={{ emptyText: '批次中尚无档案' }}
      />
      {batch.hiddenDossiers > 0 && (
        <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
          {`另有 ${batch.hiddenDossiers} 卷档案不在您的数据范围内，未列出`}
        </Typography.Text>
      )}
      <ReworkStageModal batchId={batch.id} dossier={rework} stages={rework ? reworkable(rework) : []} onClose={() => setRework(null)} />
    </>
  );
}
