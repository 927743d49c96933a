import { EmptyState } from '../../shared/components';

export default function BatchesPage() {
  return <EmptyState text="建设中" />;
}
