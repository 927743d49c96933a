import { BellOutlined } from '@ant-design/icons';
import { api } from '@dangan/contracts';
import { useQuery } from '@tanstack/react-query';
import { Badge, Button, Tooltip } from 'antd';
import { useEffect, useRef } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { call } from '../../api/client';
import { dashboardKeys } from './keys';

/**
 * The header's bell: how many tasks wait, red when some are overdue. It asks again when the user
 * moves to another page (and after any project action), never on a timer: a request every minute
 * would keep an idle session alive past its timeout.
 */
export function TaskBell() {
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const { data, refetch } = useQuery({ queryKey: dashboardKeys.summary, queryFn: () => call(api.tasks.summary), staleTime: 10_000 });

  const shownAt = useRef(pathname);
  useEffect(() => {
    if (pathname === shownAt.current) return;
    shownAt.current = pathname;
    void refetch();
  }, [pathname, refetch]);

  const total = data?.total ?? 0;
  const overdue = data?.overdue ?? 0;
  const title = total === 0 ? '暂无待办' : `待办 ${total} 项${overdue > 0 ? `，其中逾期 ${overdue} 项` : ''}`;
  return (
    <Tooltip title={title}>
      <Button type="text" aria-label={`我的待办：${title}`} onClick={() => navigate('/tasks')} style={{ height: 48, paddingInline: 12 }} data-testid="task-bell">
        <Badge count={total} size="small" color={overdue > 0 ? '#ff4d4f' : '#faad14'} offset={[4, -2]}>
          <BellOutlined style={{ color: '#fff', fontSize: 18 }} />
        </Badge>
      </Button>
    </Tooltip>
  );
}
