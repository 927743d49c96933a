import { ClockCircleOutlined, EnvironmentOutlined, SafetyOutlined } from '@ant-design/icons';
import { PERMISSIONS, type Permission } from '@dangan/domain';
import { Alert, Button, Card, Col, Descriptions, Flex, Row, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { allowedPages } from '../../app/pages';
import { useMe, useSession } from '../../session/SessionProvider';
import { EmptyState } from '../../shared/components';
import { dayjs, formatDateTime } from '../../shared/format';
import { ChangePasswordModal } from '../account/ChangePasswordModal';

function greeting(): string {
  const hour = dayjs().tz('Asia/Shanghai').hour();
  if (hour < 6) return '您好';
  if (hour < 12) return '上午好';
  if (hour < 18) return '下午好';
  return '晚上好';
}

function groupPermissions(permissions: Permission[]): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const p of permissions) {
    const def = PERMISSIONS[p];
    groups.set(def.group, [...(groups.get(def.group) ?? []), def.label]);
  }
  return [...groups.entries()];
}

export default function HomePage() {
  const me = useMe();
  const { can } = useSession();
  const navigate = useNavigate();
  const [changing, setChanging] = useState(false);
  const shortcuts = allowedPages(can).filter((p) => p.path !== '/');
  const groups = groupPermissions(me.permissions);

  return (
    <Flex vertical gap={16} data-testid="home-page">
      {me.passwordExpired && (
        <Alert
          type="warning"
          showIcon
          title="您的密码已超过有效期"
          description="为保障账号安全，请立即修改密码。"
          action={
            <Button size="small" type="primary" onClick={() => setChanging(true)}>
              修改密码
            </Button>
          }
        />
      )}
      <Card>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {greeting()}，{me.user.displayName}
        </Typography.Title>
        <Descriptions
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'unit', label: '所属单位', children: me.user.unitName || '—' },
            { key: 'username', label: '用户名', children: me.user.username },
            {
              key: 'roles',
              label: '角色',
              children: me.roles.length ? me.roles.map((r) => <Tag key={r.id} color="blue">{r.name}</Tag>) : '未分配角色',
            },
            {
              key: 'totp',
              label: '动态口令',
              children: me.user.totpEnrolled ? <Tag color="green">已绑定</Tag> : <Tag>未绑定</Tag>,
            },
          ]}
        />
      </Card>
      <Card title={<><SafetyOutlined /> 上次登录</>} data-testid="last-login">
        {me.user.lastLoginAt ? (
          <Flex gap={32} wrap>
            <Typography.Text>
              <ClockCircleOutlined /> 时间：{formatDateTime(me.user.lastLoginAt)}（北京时间）
            </Typography.Text>
            <Typography.Text>
              <EnvironmentOutlined /> 地址：{me.user.lastLoginIp ?? '—'}
            </Typography.Text>
          </Flex>
        ) : (
          <Typography.Text>这是您的首次登录。</Typography.Text>
        )}
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          如上次登录信息与您的记忆不符，请立即修改密码并报告安全保密管理员。
        </Typography.Paragraph>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title="常用功能" style={{ height: '100%' }}>
            {shortcuts.length ? (
              <Flex gap={12} wrap>
                {shortcuts.map((p) => (
                  <Button key={p.path} icon={p.icon} onClick={() => navigate(p.path)}>
                    {p.label}
                  </Button>
                ))}
              </Flex>
            ) : (
              <EmptyState text="您的角色暂无可用的功能页面" />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title="您可以进行的操作" style={{ height: '100%' }} data-testid="my-permissions">
            {groups.length ? (
              <Descriptions
                column={1}
                items={groups.map(([group, labels]) => ({
                  key: group,
                  label: group,
                  children: (
                    <Flex gap={4} wrap>
                      {labels.map((l) => (
                        <Tag key={l}>{l}</Tag>
                      ))}
                    </Flex>
                  ),
                }))}
              />
            ) : (
              <EmptyState text="尚未授予任何权限，请联系安全保密管理员" />
            )}
          </Card>
        </Col>
      </Row>
      <ChangePasswordModal open={changing} onClose={() => setChanging(false)} />
    </Flex>
  );
}
