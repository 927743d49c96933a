import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useCallback, useState } from 'react';
import { useErrorHandler } from '../../shared/errors';
import { invalidateProject } from './model';

/**
 * Runs one action of the project pages: a busy key while it runs, a success toast, the server's Chinese
 * reason when it refuses, and every project view refreshed afterwards. Resolves true when it went through.
 */
export function useProjectAction() {
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);

  const run = useCallback(
    async (key: string, request: () => Promise<unknown>, done?: string): Promise<boolean> => {
      setBusy(key);
      try {
        await request();
        if (done) void message.success(done);
        return true;
      } catch (e) {
        handleError(e);
        return false;
      } finally {
        setBusy(null);
        void invalidateProject(queryClient);
      }
    },
    [queryClient, handleError, message],
  );
  return { run, busy };
}
