import { api, type AccessGrant } from '@dangan/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Table, Tabs, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import { call } from '../../api/client';
import { PageHeader } from '../../shared/components';
import { formatDateTime } from '../../shared/format';
import { ReasonModal } from '../../shared/ReasonModal';
import { STATE_COLORS, invalidateRequests, useKeys } from './queries';

type View = 'running' | 'ended';
const PAGE_SIZE = 20;

function printsText(g: AccessGrant): string {
  return g.mode === 'print' || g.mode === 'excerpt' ? `${g.printsUsed} / ${g.printLimit}` : '—';
}

/**
 * 查阅授权 (grant.manage): every running grant of all units, which the security officer may revoke, and
 * the grants that ended (撤销 or 到期), newest first. Grant metadata only: no catalogue, no pages.
 */
export default function GrantsPage() {
  const [view, setView] = useState<View>('running');
  const [page, setPage] = useState(1);
  const [revoking, setRevoking] = useState<AccessGrant | null>(null);
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const { data, isLoading } = useQuery({
    queryKey: useKeys.grants(view, page),
    queryFn: () => call(api.accessRequests.grants, { query: { state: view, page, pageSize: PAGE_SIZE } }),
  });

  return (
    <>
      <PageHeader title="查阅授权" description="全部单位生效中的查阅授权及最近结束的授权（仅授权信息，不含档案内容）。发现不当查阅可立即撤销授权。" />
      <Tabs activeKey={view} onChange={(k) => { setView(k as View); setPage(1); }} data-testid="grants-tabs" items={[
        { key: 'running', label: '生效中' },
        { key: 'ended', label: '已结束' },
      ]} />
      <Table<AccessGrant>
        rowKey="id"
        loading={isLoading}
        dataSource={data?.items ?? []}
        data-testid="grants-table"
        scroll={{ x: 1400 }}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: data?.total ?? 0, onChange: setPage, showTotal: (n) => `共 ${n} 项`, showSizeChanger: false }}
        columns={[
          { title: '申请编号', dataIndex: 'requestNo', width: 130 },
          { title: '申请人', key: 'requester', width: 170, render: (_, g) => `${g.requester.name}（${g.requesterUnitName}）` },
          {
            title: '干部（档案号）', key: 'cadres', width: 220,
            render: (_, g) => g.dossiers.map((d) => `${d.cadreName}（${d.dossierNo}）`).join('、'),
          },
          { title: '目的', dataIndex: 'purposeLabel', width: 110 },
          { title: '方式', dataIndex: 'modeLabel', width: 110 },
          { title: '范围', dataIndex: 'scopeSummary', width: 200, ellipsis: true },
          { title: '授权开始', key: 'from', width: 150, render: (_, g) => formatDateTime(g.grantedFrom) },
          { title: '授权截止', key: 'until', width: 150, render: (_, g) => formatDateTime(g.grantedUntil) },
          { title: '打印（已用 / 上限）', key: 'prints', width: 140, render: (_, g) => printsText(g) },
          {
            title: '状态', key: 'state', width: 100,
            render: (_, g) => {
              const tag = <Tag color={g.running ? STATE_COLORS.approved : STATE_COLORS[g.state === 'approved' ? 'expired' : g.state]} data-testid="grant-state">{g.stateLabel}</Tag>;
              return g.revokeReason ? <Tooltip title={`${g.revokedBy?.name ?? ''}：${g.revokeReason}`}>{tag}</Tooltip> : tag;
            },
          },
          ...(view === 'ended'
            ? [{ title: '结束时间', key: 'ended', width: 150, render: (_: unknown, g: AccessGrant) => formatDateTime(g.endedAt) }]
            : [{
              title: '操作', key: 'actions', width: 110, fixed: 'right' as const,
              render: (_: unknown, g: AccessGrant) => g.running && (
                <Button size="small" type="link" danger onClick={() => setRevoking(g)} data-testid="grant-revoke">撤销授权</Button>
              ),
            }]),
        ]}
      />
      <ReasonModal
        open={!!revoking} title={revoking ? `撤销授权：${revoking.requestNo}` : ''} name="revoke" okText="撤销授权" label="撤销原因"
        warning="撤销后查阅人立即不能再查阅，正在进行的查阅将被关闭。" reasons={['发现违规查阅', '查阅人岗位变动', '工作已完成']}
        placeholder="请填写撤销原因（记入审计日志，申请人可见）" onClose={() => setRevoking(null)}
        onSubmit={async (reason) => {
          const r = await call(api.accessRequests.revoke, { params: { id: revoking!.id }, body: { reason } });
          await invalidateRequests(queryClient);
          void message.success(`已撤销 ${r.requestNo} 的授权`);
        }}
      />
    </>
  );
}
