import { ReloadOutlined } from '@ant-design/icons';
import { api, type LoginStage } from '@dangan/contracts';
import type { ResponseOf } from '@dangan/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { call } from '../../api/client';
import { EmptyState, PageHeader } from '../../shared/components';
import { useErrorHandler } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import { keys } from '../../shared/queries';
import { describeUserAgent } from './userAgent';

type SessionRow = ResponseOf<typeof api.sessions.list>[number];

const STAGE_LABELS: Record<LoginStage, { text: string; color: string }> = {
  active: { text: '已登录', color: 'green' },
  totp: { text: '待输入动态口令', color: 'orange' },
  change_password: { text: '待修改密码', color: 'orange' },
  enrol_totp: { text: '待绑定动态口令', color: 'orange' },
};

export default function SessionsPage() {
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message, modal } = App.useApp();
  const { data, isFetching, refetch } = useQuery({ queryKey: keys.sessions, queryFn: () => call(api.sessions.list) });

  const revoke = useMutation({
    mutationFn: (id: string) => call(api.sessions.revoke, { params: { id } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: keys.sessions });
      void message.success('已强制下线');
    },
    onError: (error) => handleError(error),
  });

  const confirmRevoke = (s: SessionRow) =>
    modal.confirm({
      title: `确认将「${s.displayName}（${s.username}）」强制下线？`,
      content: `来自 ${s.clientIp} 的会话将立即结束，该用户须重新登录。此操作将记入审计日志。`,
      okText: '强制下线',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: () => revoke.mutateAsync(s.id).catch(() => undefined),
    });

  const columns: TableColumnsType<SessionRow> = [
    {
      title: '用户',
      key: 'user',
      render: (_, s) => (
        <div>
          <Typography.Text strong>{s.displayName}</Typography.Text>
          {s.current && (
            <Tag color="blue" style={{ marginInlineStart: 6 }}>
              本会话
            </Tag>
          )}
          <div>
            <Typography.Text type="secondary">{s.username}</Typography.Text>
          </div>
        </div>
      ),
    },
    { title: '地址', dataIndex: 'clientIp', width: 150 },
    {
      title: '浏览器',
      dataIndex: 'userAgent',
      width: 200,
      render: (ua: string) => (
        <Tooltip title={ua || undefined}>
          <span>{describeUserAgent(ua)}</span>
        </Tooltip>
      ),
    },
    {
      title: '状态',
      dataIndex: 'stage',
      width: 140,
      render: (stage: LoginStage) => <Tag color={STAGE_LABELS[stage].color}>{STAGE_LABELS[stage].text}</Tag>,
    },
    { title: '登录时间', dataIndex: 'createdAt', width: 180, render: formatDateTime },
    { title: '最近活动', dataIndex: 'lastSeenAt', width: 180, render: formatDateTime },
    {
      title: '操作',
      key: 'actions',
      width: 110,
      render: (_, s) =>
        s.current ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <Button type="link" danger size="small" onClick={() => confirmRevoke(s)}>
            强制下线
          </Button>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title="在线会话"
        description="当前未结束且未超时的登录会话。时间均为北京时间。"
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void refetch()} loading={isFetching}>
            刷新
          </Button>
        }
      />
      <Card>
        <Table<SessionRow>
          rowKey="id"
          data-testid="sessions-table"
          columns={columns}
          dataSource={data}
          loading={isFetching}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (t) => `共 ${t} 个会话` }}
          scroll={{ x: 1000 }}
          locale={{ emptyText: <EmptyState text="当前没有在线会话" /> }}
        />
      </Card>
    </>
  );
}
