import { PlusOutlined } from '@ant-design/icons';
import { api, type BatchSummary, type QueryOf } from '@dangan/contracts';
import type { BatchState } from '@dangan/domain';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Input, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { call } from '../../api/client';
import { useSession } from '../../session/SessionProvider';
import { EmptyState, PageHeader } from '../../shared/components';
import { formatDateTime } from '../../shared/format';
import { BatchProgress } from './BatchProgress';
import { CreateBatchModal } from './CreateBatchModal';
import { BATCH_STATE_COLORS, BATCH_STATE_OPTIONS, projectKeys } from './model';

const PAGE_SIZE = 20;
const STATES = new Set(BATCH_STATE_OPTIONS.map((o) => o.value as string));

/** 数字化加工: the batches, filtered by state or number/name, newest first. */
export default function BatchesPage() {
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const state = STATES.has(params.get('state') ?? '') ? (params.get('state') as BatchState) : undefined;
  const q = params.get('q') ?? '';
  const pageNo = Math.max(1, Number(params.get('page')) || 1);
  const update = (patch: { state?: string; q?: string; page?: number }) => {
    const next = { state, q, page: 1, ...patch };
    const out = new URLSearchParams();
    if (next.state) out.set('state', next.state);
    if (next.q) out.set('q', next.q);
    if (next.page !== 1) out.set('page', String(next.page));
    setParams(out, { replace: true });
  };

  const query: QueryOf<typeof api.batches.list> = { state, q: q || undefined, page: pageNo, pageSize: PAGE_SIZE };
  const { data, isFetching } = useQuery({
    queryKey: projectKeys.batches(query),
    queryFn: () => call(api.batches.list, { query }),
    placeholderData: keepPreviousData,
  });

  const columns: TableColumnsType<BatchSummary> = [
    {
      title: '批次号',
      dataIndex: 'code',
      width: 136,
      render: (code: string, b) => (
        <Link to={`/batches/${b.id}`} data-testid="batch-link">
          <Typography.Text strong style={{ color: 'inherit', fontFamily: 'monospace' }}>
            {code}
          </Typography.Text>
        </Link>
      ),
    },
    {
      title: '批次名称',
      dataIndex: 'name',
      ellipsis: { showTitle: true },
      render: (name: string, b) => (
        <div>
          <div>{name}</div>
          {b.notes && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
              {b.notes}
            </Typography.Text>
          )}
        </div>
      ),
    },
    {
      title: '状态',
      dataIndex: 'state',
      width: 104,
      render: (s: BatchState, b) => (
        <Tag color={BATCH_STATE_COLORS[s]} data-testid="batch-state">
          {b.stateLabel}
        </Tag>
      ),
    },
    { title: '档案', dataIndex: 'dossierCount', width: 72, align: 'right', render: (n: number) => `${n} 卷` },
    { title: '材料/页数', key: 'counts', width: 120, align: 'right', render: (_, b) => `${b.materialCount} 份 / ${b.pageCount} 页` },
    { title: '加工进度', key: 'progress', width: 260, render: (_, b) => <BatchProgress progress={b.progress} total={b.dossierCount} /> },
    {
      title: '创建',
      key: 'created',
      width: 168,
      render: (_, b) => (
        <div>
          <div>{b.createdBy.name}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {formatDateTime(b.createdAt)}
          </Typography.Text>
        </div>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="数字化加工"
        description="加工批次：出库审批与交接、各环节进度、自动校验、抽检质检、整改、验收与入库交接"
        extra={
          can('batch.manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-batch">
              新建批次
            </Button>
          )
        }
      />
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Select
            allowClear
            placeholder="全部状态"
            aria-label="批次状态"
            style={{ width: 160 }}
            value={state}
            options={BATCH_STATE_OPTIONS}
            onChange={(v?: string) => update({ state: v })}
            data-testid="batch-state-filter"
          />
          <Input.Search
            allowClear
            placeholder="批次号或名称"
            defaultValue={q}
            style={{ width: 240 }}
            onSearch={(v) => update({ q: v.trim() })}
            aria-label="查找批次"
          />
        </Space>
        <Table<BatchSummary>
          rowKey="id"
          size="middle"
          loading={isFetching}
          columns={columns}
          dataSource={data?.items}
          data-testid="batch-table"
          locale={{ emptyText: <EmptyState text={state || q ? '没有符合条件的批次' : '尚无加工批次'} /> }}
          pagination={{
            current: pageNo,
            pageSize: PAGE_SIZE,
            total: data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (n) => `共 ${n} 个批次`,
            onChange: (p) => update({ page: p }),
          }}
        />
      </Card>
      <CreateBatchModal open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
