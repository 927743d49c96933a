import { useQuery, type QueryKey } from '@tanstack/react-query';
import { Badge, Button, Tooltip } from 'antd';
import { useEffect, useRef, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';

/**
 * A count in the header that leads to its page (tasks, alerts). Asked again when the user moves to
 * another page, never on a timer: a request every few seconds would keep an idle session alive past
 * its timeout.
 */
export function HeaderBell<T>({ queryKey, queryFn, icon, to, name, testId, describe }: {
  queryKey: QueryKey;
  queryFn: () => Promise<T>;
  icon: ReactNode;
  to: string;
  /** What the bell counts, for its accessible name: 我的待办, 安全预警. */
  name: string;
  testId: string;
  /** The count, the badge colour and the tooltip for the latest answer (undefined while loading). */
  describe: (data: T | undefined) => { count: number; color?: string; title: string };
}) {
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const { data, refetch } = useQuery({ queryKey, queryFn, staleTime: 10_000 });

  const shownAt = useRef(pathname);
  useEffect(() => {
    if (pathname === shownAt.current) return;
    shownAt.current = pathname;
    void refetch();
  }, [pathname, refetch]);

  const { count, color, title } = describe(data);
  return (
    <Tooltip title={title}>
      <Button type="text" aria-label={`${name}：${title}`} onClick={() => navigate(to)} style={{ height: 48, paddingInline: 12 }} data-testid={testId}>
        <Badge count={count} size="small" color={color} offset={[4, -2]}>
          {icon}
        </Badge>
      </Button>
    </Tooltip>
  );
}
