import type { Permission } from '@dangan/domain';
import { Button, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { useSession } from '../session/SessionProvider';

export function FullPageSpin() {
  return <Spin size="large" fullscreen description="正在加载…" />;
}

/** Pages behind it need a fully signed-in session; otherwise the login page continues the steps. */
export function RequireSignedIn({ children }: { children: ReactNode }) {
  const { me, loading } = useSession();
  const location = useLocation();
  if (loading) return <FullPageSpin />;
  if (!me || me.stage !== 'active') return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

export function RequirePermission({ any, children }: { any: Permission[]; children: ReactNode }) {
  const { can } = useSession();
  if (any.length === 0 || can(...any)) return <>{children}</>;
  return <Forbidden />;
}

export function Forbidden() {
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title="没有访问权限"
      subTitle="您的角色不包含此功能的权限。如需使用，请联系安全保密管理员。"
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          返回工作台
        </Button>
      }
    />
  );
}

export function NotFound() {
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title="页面不存在"
      subTitle="您访问的页面不存在或已被移除。"
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          返回工作台
        </Button>
      }
    />
  );
}

export function LoginGate({ children }: { children: ReactNode }) {
  const { loading } = useSession();
  return loading ? <FullPageSpin /> : <>{children}</>;
}
