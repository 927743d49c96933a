import { api, type AccessRequestState } from '@dangan/contracts';
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { call } from '../../api/client';

export const useKeys = {
  relatives: (cadreId: string) => ['relatives', cadreId] as const,
  requests: ['access-requests'] as const,
  mine: (page: number, state?: AccessRequestState) => ['access-requests', 'mine', page, state ?? ''] as const,
  approvals: (view: string, page: number) => ['access-requests', 'approvals', view, page] as const,
  one: (id: string) => ['access-requests', 'one', id] as const,
  grants: (state: string, page: number) => ['access-requests', 'grants', state, page] as const,
};

export function useRelatives(cadreId: string) {
  return useQuery({ queryKey: useKeys.relatives(cadreId), queryFn: () => call(api.relatives.list, { params: { id: cadreId } }) });
}

/** Lists and details of requests show one another's states: after a decision all are stale. */
export function invalidateRequests(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: useKeys.requests });
}

export const STATE_COLORS: Record<AccessRequestState, string> = {
  pending: 'processing', approved: 'success', refused: 'error', withdrawn: 'default', revoked: 'warning', expired: 'default',
};
