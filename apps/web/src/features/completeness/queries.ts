import { api, type CompletenessReport } from '@dangan/contracts';
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { call } from '../../api/client';

export type CompletenessResult = CompletenessReport['results'][number];
export type MissingEntry = CompletenessReport['register'][number];

export const completenessKeys = {
  all: ['completeness'] as const,
  report: (dossierId: string) => ['completeness', 'report', dossierId] as const,
  rules: ['completeness', 'rules'] as const,
};

/** A dossier's completeness report. Every read is audited on the server, so it is not refetched idly. */
export function useCompletenessReport(dossierId: string) {
  return useQuery({
    queryKey: completenessKeys.report(dossierId),
    queryFn: () => call(api.completeness.report, { params: { id: dossierId } }),
    enabled: !!dossierId,
    staleTime: 60_000,
  });
}

/** The register answers of `note` and `advance` replace the register inside the cached report. */
export function putRegister(queryClient: QueryClient, dossierId: string, register: MissingEntry[]): void {
  queryClient.setQueryData<CompletenessReport>(completenessKeys.report(dossierId), (old) => (old ? { ...old, register } : old));
}

export function useCompletenessRules() {
  return useQuery({ queryKey: completenessKeys.rules, queryFn: () => call(api.completeness.rules) });
}
