import { api, type AccessRequest } from '@dangan/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, DatePicker, Drawer, Form, Input, Space, Table, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { call } from '../../api/client';
import { PageHeader } from '../../shared/components';
import { useErrorHandler } from '../../shared/errors';
import { beijingToIso, dayjs, formatDateTime } from '../../shared/format';
import { ReasonModal } from '../../shared/ReasonModal';
import { invalidateRequests, useKeys } from './queries';
import { RequestDetail, StateTag, cadresText, periodText } from './RequestDetail';

type View = 'pending' | 'approved';

/** 查阅审批: requests awaiting my decision (批准, possibly shorter; 不批准 with a reason) and grants I may revoke. */
export default function ApprovalsPage() {
  const [view, setView] = useState<View>('pending');
  const [page, setPage] = useState(1);
  const [shown, setShown] = useState<AccessRequest | null>(null);
  const [refusing, setRefusing] = useState<AccessRequest | null>(null);
  const [revoking, setRevoking] = useState<AccessRequest | null>(null);
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const { data, isLoading } = useQuery({
    queryKey: useKeys.approvals(view, page),
    queryFn: () => call(api.accessRequests.approvals, { query: { view, page, pageSize: 20 } }),
  });
  const done = async (text: string) => {
    await invalidateRequests(queryClient);
    setShown(null);
    void message.success(text);
  };

  return (
    <>
      <PageHeader title="查阅审批" description="按干部管理权限审批查阅申请；本人及亲属的档案须回避。批准时可缩短期限，不能延长。" />
      <Tabs activeKey={view} onChange={(k) => { setView(k as View); setPage(1); }} items={[
        { key: 'pending', label: '待我审批' },
        { key: 'approved', label: '已批准' },
      ]} />
      <Table<AccessRequest>
        rowKey="id"
        loading={isLoading}
        dataSource={data?.items ?? []}
        data-testid="approval-table"
        scroll={{ x: 1400 }}
        pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage, showTotal: (n) => `共 ${n} 项` }}
        columns={[
          { title: '申请编号', dataIndex: 'requestNo', width: 130, render: (v: string, r) => <Typography.Link onClick={() => setShown(r)}>{v}</Typography.Link> },
          { title: '申请人', key: 'requester', width: 160, render: (_, r) => `${r.requester.name}（${r.requesterUnitName}）` },
          { title: '干部', key: 'cadres', width: 200, render: (_, r) => cadresText(r) },
          { title: '目的', dataIndex: 'purposeLabel', width: 110 },
          { title: '方式', dataIndex: 'modeLabel', width: 100 },
          { title: '范围', dataIndex: 'scopeSummary', width: 220, ellipsis: true },
          { title: '期限', key: 'period', width: 320, render: (_, r) => periodText(r) },
          { title: '审批', key: 'levels', width: 80, render: (_, r) => `${r.levelsDone + (r.state === 'pending' ? 1 : 0)} / ${r.levelsRequired}` },
          { title: '状态', key: 'state', width: 90, render: (_, r) => <StateTag request={r} /> },
          {
            title: '操作', key: 'actions', width: 120,
            render: (_, r) => view === 'pending'
              ? <Button size="small" type="link" onClick={() => setShown(r)} data-testid="approval-open">审批</Button>
              : <Button size="small" type="link" danger onClick={() => setRevoking(r)} data-testid="grant-revoke">撤销授权</Button>,
          },
        ]}
      />
      <DecisionDrawer request={shown} onClose={() => setShown(null)} onRefuse={setRefusing} onDone={done} />
      <ReasonModal
        open={!!refusing} title={refusing ? `不批准：${refusing.requestNo}` : ''} name="refuse" okText="不批准" label="不批准理由"
        warning="不批准后该申请即结束，申请人可另行申请。" reasons={['查阅目的不明确', '超出工作需要', '范围过大，请按类别申请']}
        placeholder="请填写不批准的理由（申请人可见）" onClose={() => setRefusing(null)}
        onSubmit={async (reason) => {
          const r = await call(api.accessRequests.refuse, { params: { id: refusing!.id }, body: { reason } });
          await done(`已不批准 ${r.requestNo}`);
        }}
      />
      <ReasonModal
        open={!!revoking} title={revoking ? `撤销授权：${revoking.requestNo}` : ''} name="revoke" okText="撤销授权" label="撤销原因"
        warning="撤销后查阅人立即不能再查阅，正在进行的查阅将被关闭。" reasons={['工作已完成', '查阅人岗位变动', '发现违规查阅']}
        placeholder="请填写撤销原因" onClose={() => setRevoking(null)}
        onSubmit={async (reason) => {
          const r = await call(api.accessRequests.revoke, { params: { id: revoking!.id }, body: { reason } });
          await invalidateRequests(queryClient);
          void message.success(`已撤销 ${r.requestNo} 的授权`);
        }}
      />
    </>
  );
}

function DecisionDrawer({ request, onClose, onRefuse, onDone }: {
  request: AccessRequest | null;
  onClose: () => void;
  onRefuse: (r: AccessRequest) => void;
  onDone: (text: string) => Promise<void>;
}) {
  const [form] = Form.useForm<{ comment: string; until?: dayjs.Dayjs }>();
  const handleError = useErrorHandler();
  const approve = useMutation({
    mutationFn: (v: { comment: string; until?: dayjs.Dayjs }) => call(api.accessRequests.approve, {
      params: { id: request!.id },
      body: { comment: v.comment?.trim() ?? '', ...(v.until ? { until: beijingToIso(v.until) } : {}) },
    }),
    onSuccess: async (r) => {
      form.resetFields();
      await onDone(r.state === 'approved' ? `已批准 ${r.requestNo}，授权至 ${formatDateTime(r.grantedUntil)}` : `已批准第 ${r.levelsDone} 级，等待上级审批`);
    },
    onError: (e) => handleError(e, form),
  });
  const end = request ? dayjs(request.grantedUntil ?? request.periodTo) : null;

  return (
    <Drawer open={!!request} onClose={onClose} size={640} title={request ? `审批查阅申请 ${request.requestNo}` : ''} destroyOnHidden
      extra={request?.state === 'pending' && (
        <Space>
          <Button danger onClick={() => onRefuse(request)} data-testid="approval-refuse">不批准</Button>
          <Button type="primary" loading={approve.isPending} onClick={() => form.submit()} data-testid="approval-approve">批准</Button>
        </Space>
      )}>
      {request && (
        <>
          <RequestDetail request={request} />
          {request.state === 'pending' && (
            <Form form={form} name="approve" layout="vertical" style={{ marginTop: 16 }} onFinish={(v) => approve.mutate(v)} data-testid="approval-form">
              <Form.Item label="审批意见" name="comment">
                <Input.TextArea rows={2} maxLength={500} placeholder="如：同意" />
              </Form.Item>
              <Form.Item label="授权截止（可缩短）" name="until" extra={end ? `不填则至 ${formatDateTime(end.toISOString())}；不能晚于此时间` : undefined}>
                <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" disabledDate={(d) => !!end && d.isAfter(end, 'day')} data-testid="approval-until" />
              </Form.Item>
            </Form>
          )}
        </>
      )}
    </Drawer>
  );
}
