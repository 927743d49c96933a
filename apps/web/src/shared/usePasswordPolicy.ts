import { useQuery } from '@tanstack/react-query';
import { api } from '@dangan/contracts';
import type { PasswordPolicy } from '@dangan/domain';
import { call } from '../api/client';
import { useSession } from '../session/SessionProvider';
import { DEFAULT_POLICY } from './password';
import { keys } from './queries';

/** The configured password policy when the user may read the security settings, else the defaults. */
export function usePasswordPolicy(): PasswordPolicy {
  const { can } = useSession();
  const allowed = can('security.settings');
  const { data } = useQuery({ queryKey: keys.settings, queryFn: () => call(api.settings.list), enabled: allowed });
  const read = (key: string, fallback: number) => {
    const value = data?.find((s) => s.key === key)?.value;
    return typeof value === 'number' ? value : fallback;
  };
  return {
    minLength: read('password.minLength', DEFAULT_POLICY.minLength),
    minClasses: read('password.minClasses', DEFAULT_POLICY.minClasses),
  };
}
