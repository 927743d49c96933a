import { EmptyState } from '../../shared/components';

export default function TasksPage() {
  return <EmptyState text="建设中" />;
}
