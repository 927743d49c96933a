import { DownOutlined, KeyOutlined, LockOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, Dropdown, Flex, Layout, Menu, Space, Spin, Tag, Typography, theme } from 'antd';
import { Suspense, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { ChangePasswordModal } from '../features/account/ChangePasswordModal';
import { RebindTotpModal } from '../features/account/RebindTotpModal';
import { TaskBell } from '../features/dashboard/TaskBell';
import { AlertBell } from '../features/alerts/AlertBell';
import { IdleWatcher } from '../session/IdleWatcher';
import { useMe, useSession } from '../session/SessionProvider';
import { TASK_HOLDERS, allowedPages } from './pages';

const { Header, Sider, Content, Footer } = Layout;

export function AppLayout() {
  const me = useMe();
  const { can, signOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const { token } = theme.useToken();
  const [dialog, setDialog] = useState<'password' | 'totp' | null>(null);
  const pages = allowedPages(can);
  const selected = pages.find((p) => (p.path === '/' ? location.pathname === '/' : location.pathname.startsWith(p.path)))?.path;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Header
        style={{
          display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 24, paddingInline: 24,
          background: 'linear-gradient(90deg, #0f2f5c 0%, #1d4f91 100%)',
        }}
      >
        <Flex align="center" gap={12} style={{ minWidth: 0 }}>
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <Typography.Text strong style={{ color: '#fff', fontSize: 18, whiteSpace: 'nowrap' }}>
            干部人事档案系统
          </Typography.Text>
          <Typography.Text style={{ color: 'rgba(255,255,255,0.75)', whiteSpace: 'nowrap' }} data-testid="organization-name">
            {me.organizationName}
          </Typography.Text>
        </Flex>
        <Flex align="center" gap={4}>
          {can(...TASK_HOLDERS) && <TaskBell />}
          {can('alert.manage') && <AlertBell />}
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                { key: 'password', icon: <LockOutlined />, label: '修改密码' },
                { key: 'totp', icon: <KeyOutlined />, label: '动态口令（重新绑定）' },
                { type: 'divider' },
                { key: 'logout', icon: <LogoutOutlined />, label: '退出登录', danger: true },
              ],
              onClick: ({ key }) => {
                if (key === 'logout') void signOut().then(() => navigate('/login'));
                else setDialog(key as 'password' | 'totp');
              },
            }}
          >
            <Button type="text" style={{ color: '#fff', height: 48 }} data-testid="user-menu" aria-label="用户菜单">
              <Space size={8}>
                <Avatar size="small" icon={<UserOutlined />} style={{ background: 'rgba(255,255,255,0.25)' }} />
                <span>{me.user.displayName}</span>
                <span style={{ opacity: 0.75 }}>{me.user.unitName}</span>
                <span style={{ display: 'inline-flex', gap: 4 }}>
                  {me.roles.map((r) => (
                    <Tag key={r.id} color="gold" style={{ marginInlineEnd: 0 }}>
                      {r.name}
                    </Tag>
                  ))}
                </span>
                <DownOutlined />
              </Space>
            </Button>
          </Dropdown>
        </Flex>
      </Header>
      <Layout>
        <Sider width={208} theme="light" breakpoint="lg" collapsedWidth={64} style={{ borderInlineEnd: `1px solid ${token.colorBorderSecondary}` }}>
          <Menu
            mode="inline"
            data-testid="main-menu"
            aria-label="功能菜单"
            selectedKeys={selected ? [selected] : []}
            style={{ borderInlineEnd: 'none', paddingTop: 8 }}
            items={pages.map((p) => ({ key: p.path, icon: p.icon, label: p.label }))}
            onClick={({ key }) => navigate(key)}
          />
        </Sider>
        <Layout>
          <Content style={{ padding: 24, minWidth: 0 }}>
            <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: '96px auto' }} description="正在加载…" />}>
              <Outlet />
            </Suspense>
          </Content>
          <Footer style={{ textAlign: 'center', color: token.colorTextSecondary, padding: '12px 24px' }}>
            本系统仅限授权人员使用，所有操作均记入审计日志
          </Footer>
        </Layout>
      </Layout>
      <IdleWatcher />
      <ChangePasswordModal open={dialog === 'password'} onClose={() => setDialog(null)} />
      <RebindTotpModal open={dialog === 'totp'} onClose={() => setDialog(null)} />
    </Layout>
  );
}
