import { EmptyState } from '../../shared/components';

export default function InspectionPage() {
  return <EmptyState text="建设中" />;
}
