import { PlusOutlined } from '@ant-design/icons';
import { api, type AccessRequest } from '@dangan/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Popconfirm, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { call } from '../../api/client';
import { PageHeader } from '../../shared/components';
import { useErrorHandler } from '../../shared/errors';
import { invalidateRequests, useKeys } from './queries';
import { RequestDetail, StateTag, cadresText, periodText } from './RequestDetail';
import { RequestDrawer } from './RequestDrawer';

/** 查阅申请: the requester's own requests, a new one, withdrawing one still pending. */
export default function RequestsPage() {
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<AccessRequest | null>(null);
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message } = App.useApp();
  const { data, isLoading } = useQuery({
    queryKey: useKeys.mine(page),
    queryFn: () => call(api.accessRequests.mine, { query: { page, pageSize: 20 } }),
  });
  const withdraw = useMutation({
    mutationFn: (r: AccessRequest) => call(api.accessRequests.withdraw, { params: { id: r.id } }),
    onSuccess: async (r) => {
      await invalidateRequests(queryClient);
      void message.success(`已撤回 ${r.requestNo}`);
    },
    onError: (e) => handleError(e),
  });

  return (
    <>
      <PageHeader
        title="查阅申请"
        description="按干部管理权限审批；批准后在授权期限内查阅，到期自动失效。不得申请本人及亲属的档案（回避）。"
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="request-new">新建查阅申请</Button>}
      />
      <Table<AccessRequest>
        rowKey="id"
        loading={isLoading}
        dataSource={data?.items ?? []}
        data-testid="request-table"
        pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage, showTotal: (n) => `共 ${n} 项` }}
        columns={[
          { title: '申请编号', dataIndex: 'requestNo', width: 130, render: (v: string, r) => <Typography.Link onClick={() => setShown(r)}>{v}</Typography.Link> },
          { title: '干部', key: 'cadres', render: (_, r) => cadresText(r) },
          { title: '目的', dataIndex: 'purposeLabel', width: 120 },
          { title: '方式', dataIndex: 'modeLabel', width: 110 },
          { title: '范围', dataIndex: 'scopeSummary', ellipsis: true },
          { title: '期限', key: 'period', width: 330, render: (_, r) => periodText(r) },
          { title: '状态', key: 'state', width: 90, render: (_, r) => <StateTag request={r} /> },
          {
            title: '操作', key: 'actions', width: 130,
            render: (_, r) => (
              <Space size={4}>
                <Button size="small" type="link" onClick={() => setShown(r)}>详情</Button>
                {r.state === 'pending' && (
                  <Popconfirm title={`撤回申请 ${r.requestNo}？`} okText="撤回" cancelText="取消" onConfirm={() => withdraw.mutateAsync(r)}>
                    <Button size="small" type="link" danger data-testid="request-withdraw">撤回</Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <RequestDrawer open={creating} onClose={() => setCreating(false)} />
      <Drawer open={!!shown} onClose={() => setShown(null)} size={640} title={shown ? `查阅申请 ${shown.requestNo}` : ''}>
        {shown && <RequestDetail request={shown} />}
      </Drawer>
    </>
  );
}
