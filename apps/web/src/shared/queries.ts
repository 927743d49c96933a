import { useQuery } from '@tanstack/react-query';
import { api } from '@dangan/contracts';
import { call } from '../api/client';

export const keys = {
  units: ['units'] as const,
  users: ['users'] as const,
  roles: ['roles'] as const,
  permissions: ['permissions'] as const,
  sessions: ['sessions'] as const,
  dictionaryTypes: ['dictionary'] as const,
  dictionary: (type: string) => ['dictionary', type] as const,
  settings: ['settings'] as const,
  audit: ['audit'] as const,
  auditActions: ['audit-actions'] as const,
};

export function useUnits() {
  return useQuery({ queryKey: keys.units, queryFn: () => call(api.units.list) });
}

export function useDictionary(type: string, enabled = true) {
  return useQuery({
    queryKey: keys.dictionary(type),
    queryFn: () => call(api.dictionary.entries, { params: { type } }),
    enabled,
  });
}

export function useRoles(enabled = true) {
  return useQuery({ queryKey: keys.roles, queryFn: () => call(api.roles.list), enabled });
}

export function usePermissionCatalogue(enabled = true) {
  return useQuery({ queryKey: keys.permissions, queryFn: () => call(api.roles.permissions), enabled });
}

/** The enabled entries of a code table as select options; a disabled current value stays readable. */
export function dictionaryOptions(
  entries: { code: string; label: string; enabled: boolean }[] | undefined,
  keep?: string | null,
) {
  return (entries ?? [])
    .filter((e) => e.enabled || e.code === keep)
    .map((e) => ({ value: e.code, label: e.enabled ? e.label : `${e.label}（已停用）` }));
}

export function dictionaryLabel(entries: { code: string; label: string }[] | undefined, code: string | null): string {
  if (!code) return '—';
  return entries?.find((e) => e.code === code)?.label ?? code;
}
