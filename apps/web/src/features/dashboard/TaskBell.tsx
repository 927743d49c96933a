import { BellOutlined } from '@ant-design/icons';
import { api } from '@dangan/contracts';
import { call } from '../../api/client';
import { HeaderBell } from '../../shared/HeaderBell';
import { dashboardKeys } from './keys';

/** The header's bell: how many tasks wait, red when some are overdue (also asked again after any project action). */
export function TaskBell() {
  return (
    <HeaderBell
      queryKey={dashboardKeys.summary} queryFn={() => call(api.tasks.summary)} to="/tasks" name="我的待办" testId="task-bell"
      icon={<BellOutlined style={{ color: '#fff', fontSize: 18 }} />}
      describe={(data) => {
        const total = data?.total ?? 0;
        const overdue = data?.overdue ?? 0;
        return {
          count: total,
          color: overdue > 0 ? '#ff4d4f' : '#faad14',
          title: total === 0 ? '暂无待办' : `待办 ${total} 项${overdue > 0 ? `，其中逾期 ${overdue} 项` : ''}`,
        };
      }}
    />
  );
}
