import { api, type DossierPages } from '@dangan/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useCallback } from 'react';
import { call } from '../../api/client';
import { useErrorHandler } from '../../shared/errors';
import { movedBoard, reorderedBoard, scanKeys, TRAY } from './model';

/**
 * Moves on the linking board: shown at once, then replaced by the server's answer (or undone, with
 * the reason, when the server refuses).
 */
export function useBoardActions(dossierId: string) {
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message } = App.useApp();
  const key = scanKeys.pages(dossierId);

  const run = useCallback(
    async (optimistic: (d: DossierPages) => DossierPages, request: () => Promise<DossierPages>, done?: string) => {
      await queryClient.cancelQueries({ queryKey: key });
      const before = queryClient.getQueryData<DossierPages>(key);
      if (before) queryClient.setQueryData(key, optimistic(before));
      try {
        const next = await request();
        queryClient.setQueryData(key, next);
        if (done) void message.success(done);
        return true;
      } catch (e) {
        if (before) queryClient.setQueryData(key, before);
        handleError(e);
        void queryClient.invalidateQueries({ queryKey: key });
        return false;
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [queryClient, handleError, message, dossierId],
  );

  /** Links a page to a material (`TRAY` unlinks it); `index` is its 0-based place there, end when missing. */
  const link = useCallback(
    (pageId: string, target: string, index?: number, done?: string) =>
      run(
        (d) => movedBoard(d, pageId, target, index),
        () =>
          call(api.pages.link, {
            params: { id: pageId },
            body: { materialId: target === TRAY ? null : target, position: target === TRAY || index === undefined ? undefined : index + 1 },
          }),
        done,
      ),
    [run],
  );

  const reorder = useCallback(
    (materialId: string, pageIds: string[], done?: string) =>
      run((d) => reorderedBoard(d, materialId, pageIds), () => call(api.pages.reorder, { params: { id: materialId }, body: { pageIds } }), done),
    [run],
  );

  return { link, reorder };
}
