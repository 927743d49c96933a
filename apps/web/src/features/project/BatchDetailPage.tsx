import { EmptyState } from '../../shared/components';

export default function BatchDetailPage() {
  return <EmptyState text="建设中" />;
}
