import { api } from '@dangan/contracts';
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { call } from '../../api/client';
import { useDictionary } from '../../shared/queries';

export const cadreKeys = {
  all: ['cadres'] as const,
  list: (query: object) => ['cadres', 'list', query] as const,
  detail: (id: string) => ['cadres', 'detail', id] as const,
};

export const catalogueKey = (dossierId: string) => ['catalogue', dossierId] as const;

export function useCadre(id: string | undefined) {
  return useQuery({
    queryKey: cadreKeys.detail(id ?? ''),
    queryFn: () => call(api.cadres.get, { params: { id: id! } }),
    enabled: !!id,
  });
}

/** Lists, details and catalogues show counts and states of one another: after a change all are stale. */
export function invalidateArchive(queryClient: QueryClient): Promise<void> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: cadreKeys.all }),
    queryClient.invalidateQueries({ queryKey: ['catalogue'] }),
  ]).then(() => undefined);
}

/** The code tables of a cadre's coded fields. */
export function useCadreDictionaries(enabled = true) {
  return {
    gender: useDictionary('gender', enabled).data,
    ethnicity: useDictionary('ethnicity', enabled).data,
    politicalStatus: useDictionary('political_status', enabled).data,
    education: useDictionary('education', enabled).data,
    degree: useDictionary('degree', enabled).data,
    rank: useDictionary('rank', enabled).data,
    personnelStatus: useDictionary('personnel_status', enabled).data,
    secrecyLevel: useDictionary('secrecy_level', enabled).data,
  };
}

export type CadreDictionaries = ReturnType<typeof useCadreDictionaries>;
