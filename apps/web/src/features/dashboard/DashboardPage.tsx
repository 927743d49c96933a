import { EmptyState } from '../../shared/components';

export default function DashboardPage() {
  return <EmptyState text="建设中" />;
}
