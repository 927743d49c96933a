import { AlertOutlined } from '@ant-design/icons';
import { api } from '@dangan/contracts';
import { useQuery } from '@tanstack/react-query';
import { Badge, Button, Tooltip } from 'antd';
import { useEffect, useRef } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { call } from '../../api/client';
import { alertKeys } from './labels';

/**
 * The security officer's badge of new alerts. Asked again when he moves to another page, never on a
 * timer: a request every few seconds would keep an idle session alive past its timeout.
 */
export function AlertBell() {
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const { data, refetch } = useQuery({ queryKey: alertKeys.summary, queryFn: () => call(api.alerts.summary), staleTime: 10_000 });

  const shownAt = useRef(pathname);
  useEffect(() => {
    if (pathname === shownAt.current) return;
    shownAt.current = pathname;
    void refetch();
  }, [pathname, refetch]);

  const count = data?.new ?? 0;
  const title = count === 0 ? '暂无未处理的安全预警' : `未处理的安全预警 ${count} 条`;
  return (
    <Tooltip title={title}>
      <Button type="text" aria-label={`安全预警：${title}`} onClick={() => navigate('/alerts')} style={{ height: 48, paddingInline: 12 }} data-testid="alert-bell">
        <Badge count={count} size="small" offset={[4, -2]}>
          <AlertOutlined style={{ color: '#fff', fontSize: 18 }} />
        </Badge>
      </Button>
    </Tooltip>
  );
}
