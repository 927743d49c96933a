import { AlertOutlined } from '@ant-design/icons';
import { api } from '@dangan/contracts';
import { call } from '../../api/client';
import { HeaderBell } from '../../shared/HeaderBell';
import { alertKeys } from './labels';

/** The security officer's badge of new alerts. */
export function AlertBell() {
  return (
    <HeaderBell
      queryKey={alertKeys.summary} queryFn={() => call(api.alerts.summary)} to="/alerts" name="安全预警" testId="alert-bell"
      icon={<AlertOutlined style={{ color: '#fff', fontSize: 18 }} />}
      describe={(data) => {
        const count = data?.new ?? 0;
        return { count, title: count === 0 ? '暂无未处理的安全预警' : `未处理的安全预警 ${count} 条` };
      }}
    />
  );
}
