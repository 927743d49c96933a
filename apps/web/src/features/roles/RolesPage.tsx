import { PlusOutlined } from '@ant-design/icons';
import type { Role } from '@dangan/contracts';
import { PERMISSIONS } from '@dangan/domain';
import { Button, Card, Flex, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useSession } from '../../session/SessionProvider';
import { EmptyState, PageHeader } from '../../shared/components';
import { useRoles } from '../../shared/queries';
import { RoleFormModal, type RoleDialog } from './RoleFormModal';

export default function RolesPage() {
  const { can } = useSession();
  const canManage = can('role.manage');
  const { data: roles, isLoading } = useRoles();
  const [dialog, setDialog] = useState<RoleDialog | null>(null);

  const columns: TableColumnsType<Role> = [
    {
      title: '角色',
      key: 'name',
      width: 220,
      render: (_, r) => (
        <div>
          <Typography.Text strong>{r.name}</Typography.Text>
          <div>
            <Typography.Text type="secondary">{r.code}</Typography.Text>
          </div>
          <Flex gap={4} wrap style={{ marginTop: 4 }}>
            {r.builtIn && <Tag color="default">内置</Tag>}
            {r.sensitive && <Tag color="red">敏感角色（须动态口令）</Tag>}
          </Flex>
        </div>
      ),
    },
    { title: '说明', dataIndex: 'description', width: 240, render: (v: string) => v || '—' },
    {
      title: '权限',
      key: 'permissions',
      render: (_, r) => (
        <Flex gap={4} wrap>
          {r.permissions.map((p) => (
            <Tag key={p}>{PERMISSIONS[p].label}</Tag>
          ))}
        </Flex>
      ),
    },
    { title: '用户数', dataIndex: 'userCount', width: 90, align: 'right' },
    {
      title: '操作',
      key: 'actions',
      width: 100,
      fixed: 'right',
      render: (_, r) =>
        canManage && !r.builtIn ? (
          <Button type="link" size="small" onClick={() => setDialog({ mode: 'edit', role: r })}>
            编辑
          </Button>
        ) : (
          <Button type="link" size="small" onClick={() => setDialog({ mode: 'view', role: r })}>
            查看
          </Button>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title="角色与权限"
        description="角色是权限的集合；内置角色体现“三员分立”，不能修改。"
        extra={
          canManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ mode: 'create' })}>
              新建角色
            </Button>
          )
        }
      />
      <Card>
        <Table<Role>
          rowKey="id"
          data-testid="roles-table"
          columns={columns}
          dataSource={roles}
          loading={isLoading}
          pagination={false}
          scroll={{ x: 1000 }}
          locale={{ emptyText: <EmptyState text="暂无角色" /> }}
        />
      </Card>
      <RoleFormModal dialog={dialog} onClose={() => setDialog(null)} />
    </>
  );
}
