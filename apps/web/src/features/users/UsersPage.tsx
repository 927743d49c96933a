import { PlusOutlined } from '@ant-design/icons';
import { api, type User } from '@dangan/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Input, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { call } from '../../api/client';
import { useMe, useSession } from '../../session/SessionProvider';
import { EmptyState, PageHeader, UnitTreeSelect } from '../../shared/components';
import { useErrorHandler } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import { dictionaryLabel, keys, useDictionary, useUnits } from '../../shared/queries';
import { PasswordIssuedModal, type IssuedPassword } from './PasswordIssuedModal';
import { ResetPasswordModal } from './ResetPasswordModal';
import { scopeText } from './scope';
import { SetRolesModal } from './SetRolesModal';
import { UserFormModal, type UserDialog } from './UserFormModal';
import { UserStatusTags } from './UserStatusTags';

const PAGE_SIZE = 20;

export default function UsersPage() {
  const me = useMe();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message, modal } = App.useApp();
  const [q, setQ] = useState('');
  const [unitId, setUnitId] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(PAGE_SIZE);
  const [dialog, setDialog] = useState<UserDialog | null>(null);
  const [rolesFor, setRolesFor] = useState<User | null>(null);
  const [resetFor, setResetFor] = useState<User | null>(null);
  const [issued, setIssued] = useState<IssuedPassword | null>(null);
  const { data: units } = useUnits();
  const { data: clearances } = useDictionary('clearance');

  const query = { q: q || undefined, unitId, page, pageSize };
  const { data, isFetching } = useQuery({
    queryKey: [...keys.users, query],
    queryFn: () => call(api.users.list, { query }),
    placeholderData: keepPreviousData,
  });

  const act = useMutation({
    mutationFn: (run: () => Promise<User>) => run(),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.users }),
    onError: (error) => handleError(error),
  });

  const confirmAction = (opts: { title: string; content: string; okText: string; danger?: boolean; run: () => Promise<User>; done: string }) =>
    modal.confirm({
      title: opts.title,
      content: opts.content,
      okText: opts.okText,
      cancelText: '取消',
      okButtonProps: { danger: opts.danger },
      onOk: () =>
        act
          .mutateAsync(opts.run)
          .then(() => void message.success(opts.done))
          .catch(() => undefined),
    });

  const columns: TableColumnsType<User> = [
    {
      title: '用户',
      key: 'user',
      width: 150,
      render: (_, u) => (
        <div>
          <Typography.Text strong>{u.displayName}</Typography.Text>
          {u.id === me.user.id && <Tag style={{ marginInlineStart: 6 }}>本人</Tag>}
          <div>
            <Typography.Text type="secondary">{u.username}</Typography.Text>
          </div>
        </div>
      ),
    },
    { title: '所属单位', dataIndex: 'unitName', width: 120, render: (v: string) => v || '—' },
    {
      title: '角色',
      key: 'roles',
      width: 130,
      render: (_, u) =>
        u.roles.length ? (
          <Flex gap={4} wrap>
            {u.roles.map((r) => (
              <Tag key={r.id} color="blue">
                {r.name}
              </Tag>
            ))}
          </Flex>
        ) : (
          <Typography.Text type="secondary">未分配</Typography.Text>
        ),
    },
    { title: '数据范围', key: 'scope', width: 140, render: (_, u) => scopeText(u.scope, units) },
    { title: '涉密等级', dataIndex: 'clearance', width: 90, render: (v: string | null) => dictionaryLabel(clearances, v) },
    { title: '状态', key: 'status', width: 130, render: (_, u) => <UserStatusTags user={u} /> },
    {
      title: '上次登录',
      key: 'lastLogin',
      width: 150,
      render: (_, u) =>
        u.lastLoginAt ? (
          <div>
            <div>{formatDateTime(u.lastLoginAt)}</div>
            <Typography.Text type="secondary">{u.lastLoginIp}</Typography.Text>
          </div>
        ) : (
          <Typography.Text type="secondary">从未登录</Typography.Text>
        ),
    },
    {
      title: '操作',
      key: 'actions',
      width: 220,
      fixed: 'right',
      render: (_, u) => {
        const self = u.id === me.user.id;
        return (
          <Space size={0} wrap separator={null}>
            <Button type="link" size="small" onClick={() => setDialog({ mode: 'edit', user: u })}>
              编辑
            </Button>
            {can('role.assign') && (
              <Button type="link" size="small" disabled={self} onClick={() => setRolesFor(u)}>
                设置角色
              </Button>
            )}
            <Button type="link" size="small" disabled={self} onClick={() => setResetFor(u)}>
              重置密码
            </Button>
            {u.lockedUntil && (
              <Button
                type="link"
                size="small"
                onClick={() =>
                  confirmAction({
                    title: `确认解除「${u.displayName}」的锁定？`,
                    content: `该账号因连续登录失败被锁定至 ${formatDateTime(u.lockedUntil)}。解锁后可立即重新登录。`,
                    okText: '解锁',
                    run: () => call(api.users.unlock, { params: { id: u.id } }),
                    done: `已解除「${u.displayName}」的锁定`,
                  })
                }
              >
                解锁
              </Button>
            )}
            {u.totpEnrolled && (
              <Button
                type="link"
                size="small"
                danger
                disabled={self}
                onClick={() =>
                  confirmAction({
                    title: `确认重置「${u.displayName}」的动态口令？`,
                    content: '重置后原手机应用中的动态口令作废，该用户的在线会话将被结束；如其角色要求动态口令，下次登录时须重新绑定。',
                    okText: '重置动态口令',
                    danger: true,
                    run: () => call(api.users.resetTotp, { params: { id: u.id } }),
                    done: `已重置「${u.displayName}」的动态口令`,
                  })
                }
              >
                重置动态口令
              </Button>
            )}
            <Button
              type="link"
              size="small"
              danger={!u.disabled}
              disabled={self}
              onClick={() =>
                confirmAction({
                  title: u.disabled ? `确认启用「${u.displayName}」？` : `确认停用「${u.displayName}」？`,
                  content: u.disabled ? '启用后该用户可重新登录。' : '停用后该用户不能登录，其在线会话将立即结束。',
                  okText: u.disabled ? '启用' : '停用',
                  danger: !u.disabled,
                  run: () => call(api.users.update, { params: { id: u.id }, body: { disabled: !u.disabled } }),
                  done: u.disabled ? `已启用「${u.displayName}」` : `已停用「${u.displayName}」`,
                })
              }
            >
              {u.disabled ? '启用' : '停用'}
            </Button>
          </Space>
        );
      },
    },
  ];

  return (
    <>
      <PageHeader
        title="用户管理"
        description="管理系统用户的账号、所属单位、数据范围与涉密等级。"
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ mode: 'create' })}>
            新建用户
          </Button>
        }
      />
      <Card>
        <Flex gap={12} wrap style={{ marginBottom: 16 }} data-testid="user-filters">
          <Input.Search
            placeholder="按用户名或姓名查找"
            allowClear
            enterButton="查询"
            aria-label="查找用户"
            style={{ width: 320 }}
            onSearch={(value) => {
              setQ(value.trim());
              setPage(1);
            }}
          />
          <UnitTreeSelect
            placeholder="按单位筛选"
            aria-label="按单位筛选"
            style={{ width: 260 }}
            value={unitId}
            onChange={(value: string | undefined) => {
              setUnitId(value);
              setPage(1);
            }}
          />
        </Flex>
        <Table<User>
          rowKey="id"
          data-testid="users-table"
          columns={columns}
          dataSource={data?.items}
          loading={isFetching}
          scroll={{ x: 1130 }}
          locale={{ emptyText: <EmptyState text={q || unitId ? '没有符合条件的用户' : '暂无用户'} /> }}
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [10, 20, 50, 100],
            showTotal: (total) => `共 ${total} 个用户`,
            onChange: (p, s) => {
              setPage(s === pageSize ? p : 1);
              setPageSize(s);
            },
          }}
        />
      </Card>
      <UserFormModal
        dialog={dialog}
        onClose={() => setDialog(null)}
        onCreated={(user, password) => {
          setDialog(null);
          setIssued({ title: '用户已创建', username: user.username, displayName: user.displayName, password });
        }}
      />
      <SetRolesModal user={rolesFor} onClose={() => setRolesFor(null)} />
      <ResetPasswordModal
        user={resetFor}
        onClose={() => setResetFor(null)}
        onDone={(user, password) => {
          setResetFor(null);
          setIssued({ title: '密码已重置', username: user.username, displayName: user.displayName, password });
        }}
      />
      <PasswordIssuedModal issued={issued} onClose={() => setIssued(null)} />
    </>
  );
}
