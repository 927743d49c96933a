import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { api, type BatchDetail, type BatchDossier, type StageEvent } from '@dangan/contracts';
import type { BatchState } from '@dangan/domain';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Result, Skeleton, Space, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { call, isApiError } from '../../api/client';
import { useMe } from '../../session/SessionProvider';
import { PageHeader } from '../../shared/components';
import { formatDateTime } from '../../shared/format';
import { BatchActions } from './BatchActions';
import { BatchProgress } from './BatchProgress';
import { ChecksDrawer } from './ChecksDrawer';
import { HandoverList } from './Handovers';
import { BATCH_STATE_COLORS, myHandoverPart, projectKeys } from './model';
import { QualityPanel } from './QualityPanel';
import { ScanRegisterDrawer } from './ScanRegisterDrawer';
import { StageGrid } from './StageGrid';
import './project.css';

const EVENT_LABELS = { start: '开始', finish: '完成', rework: '返工' } as const;
const EVENT_COLORS = { start: 'blue', finish: 'green', rework: 'orange' } as const;

/** Checks still running, or hand-overs waiting for the other side: worth looking again soon. */
function busy(b: BatchDetail | undefined): boolean {
  return !!b && b.dossiers.some((d) => d.check.state === 'queued' || d.check.state === 'running');
}

function decision(d: { by: { name: string }; at: string; reason: string | null } | null): string {
  if (!d) return '—';
  return `${d.by.name} ${formatDateTime(d.at)}${d.reason ? `：${d.reason}` : ''}`;
}

function EventTable({ batch }: { batch: BatchDetail }) {
  const names = new Map(batch.dossiers.map((d) => [d.dossierId, `${d.dossierNo} ${d.cadreName}`]));
  const columns: TableColumnsType<StageEvent> = [
    { title: '时间', dataIndex: 'at', width: 170, render: formatDateTime },
    { title: '档案', key: 'dossier', width: 180, render: (_, e) => names.get(e.dossierId) ?? '—' },
    { title: '环节', dataIndex: 'stageLabel', width: 100 },
    { title: '事项', key: 'event', width: 80, render: (_, e) => <Tag color={EVENT_COLORS[e.event]}>{EVENT_LABELS[e.event]}</Tag> },
    { title: '经办人', key: 'by', width: 100, render: (_, e) => e.by?.name ?? '系统' },
    { title: '说明', dataIndex: 'note', render: (n: string | null) => n ?? '' },
  ];
  return (
    <Table<StageEvent>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={[...batch.events].sort((a, b) => (a.at < b.at ? 1 : -1))}
      pagination={{ pageSize: 20, showSizeChanger: false, showTotal: (n) => `共 ${n} 条` }}
      data-testid="stage-events"
    />
  );
}

/** 加工批次: its state and the moves it allows, the dossiers' stages, hand-overs, quality and the record. */
export default function BatchDetailPage() {
  const { id = '' } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const [register, setRegister] = useState<BatchDossier | null>(null);
  const [checks, setChecks] = useState<BatchDossier | null>(null);
  const tab = params.get('tab') ?? 'dossiers';

  const { data: batch, error, isLoading, refetch, isFetching } = useQuery({
    queryKey: projectKeys.batch(id),
    queryFn: () => call(api.batches.get, { params: { id } }),
    refetchInterval: (q) => (busy(q.state.data) ? 2000 : false),
  });

  if (error) {
    const missing = isApiError(error) && error.status === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? '批次不存在' : '无法加载加工批次'}
        subTitle={isApiError(error) ? error.message : '请稍后重试'}
        extra={
          <Button type="primary" onClick={() => navigate('/batches')}>
            返回批次列表
          </Button>
        }
      />
    );
  }
  if (isLoading || !batch) return <Skeleton active paragraph={{ rows: 12 }} />;

  const pendingMine = batch.handovers.filter((h) => myHandoverPart(h, me.user.id).pending);
  const { checkout, acceptance } = batch;

  return (
    <div data-testid="batch-detail" data-state={batch.state}>
      <PageHeader
        title={`${batch.code} ${batch.name}`}
        description={
          <Space size={12} wrap>
            <Tag color={BATCH_STATE_COLORS[batch.state as BatchState]} data-testid="batch-state">
              {batch.stateLabel}
            </Tag>
            <span>{`${batch.dossierCount} 卷 ${batch.materialCount} 份 ${batch.pageCount} 页`}</span>
            <span>{`${batch.createdBy.name} 创建于 ${formatDateTime(batch.createdAt)}`}</span>
          </Space>
        }
        extra={
          <>
            <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/batches')}>
              批次列表
            </Button>
            <Button icon={<ReloadOutlined />} loading={isFetching} onClick={() => void refetch()} aria-label="刷新" />
            <BatchActions batch={batch} />
          </>
        }
      />
      {pendingMine.map((h) => (
        <Alert
          key={h.id}
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={`${h.direction === 'out' ? '出库交接' : '入库交接'}待您作为${myHandoverPart(h, me.user.id).side}确认：${h.totals.dossiers} 卷 ${h.totals.materials} 份 ${h.totals.pages} 页，请核对后在「交接登记」中确认。`}
          action={
            <Button size="small" onClick={() => setParams({ tab: 'handovers' }, { replace: true })}>
              去确认
            </Button>
          }
        />
      ))}
      {checkout.refused && batch.state === 'draft' && (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} title={`出库申请被退回：${decision(checkout.refused)}`} />
      )}
      {acceptance.refused && batch.state === 'in_progress' && (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} title={`验收未通过：${decision(acceptance.refused)}`} />
      )}
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={3} data-testid="batch-info">
          <Descriptions.Item label="加工进度" span={3}>
            <div style={{ width: 480 }}>
              <BatchProgress progress={batch.progress} total={batch.dossiers.length} />
            </div>
          </Descriptions.Item>
          <Descriptions.Item label="出库申请">{decision(checkout.requested)}</Descriptions.Item>
          <Descriptions.Item label="出库审批">{decision(checkout.approved)}</Descriptions.Item>
          <Descriptions.Item label="验收">{decision(acceptance.accepted)}</Descriptions.Item>
          {batch.notes && (
            <Descriptions.Item label="备注" span={3}>
              {batch.notes}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams({ tab: key }, { replace: true })}
          items={[
            {
              key: 'dossiers',
              label: `档案与环节（${batch.dossiers.length}）`,
              children: <StageGrid batch={batch} onRegister={setRegister} onChecks={setChecks} />,
            },
            { key: 'handovers', label: `交接登记（${batch.handovers.length}）`, children: <HandoverList batch={batch} /> },
            {
              key: 'quality',
              label: (
                <span data-testid="tab-quality">
                  {'抽检与质检'}
                  {batch.rework.some((r) => r.state !== 'closed') && <Typography.Text type="warning">{` · 整改 ${batch.rework.filter((r) => r.state !== 'closed').length}`}</Typography.Text>}
                </span>
              ),
              children: <QualityPanel batch={batch} />,
            },
            { key: 'events', label: '环节记录', children: <EventTable batch={batch} /> },
          ]}
        />
      </Card>
      <ScanRegisterDrawer batchId={batch.id} dossier={register} onClose={() => setRegister(null)} />
      <ChecksDrawer dossier={checks} onClose={() => setChecks(null)} />
    </div>
  );
}
