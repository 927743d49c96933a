import { IMPORT_TYPES, api, type ImportReport } from '@dangan/contracts';
import { useCallback } from 'react';
import { ApiError, urlOf } from '../../api/client';
import { markActivity } from '../../session/activity';
import { useSession } from '../../session/SessionProvider';

export type ImportKind = 'cadres' | 'materials';

/** The limit the server sets for an import file (20 MB). */
export const MAX_IMPORT_BYTES = api.catalogueIo.import.consumes?.maxBytes ?? 20 * 1024 * 1024;

/** A file chosen for import, read once: the bytes checked are the bytes imported. */
export interface ChosenFile {
  name: string;
  size: number;
  format: 'xlsx' | 'csv';
  bytes: ArrayBuffer;
}

/** The import file's type by its name; the server looks at the content, this only labels the request. */
export function formatOf(name: string): ChosenFile['format'] | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.xlsx')) return 'xlsx';
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'csv';
  return null;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function toApiError(status: number, data: unknown): ApiError {
  if (data && typeof data === 'object' && 'code' in data && 'message' in data) {
    const body = data as { code: unknown; message: unknown; fields?: unknown };
    const fields = body.fields && typeof body.fields === 'object' ? (body.fields as Record<string, string>) : {};
    return new ApiError(status, String(body.code), String(body.message), fields);
  }
  if (status === 413) return new ApiError(status, 'PAYLOAD_TOO_LARGE', '文件过大，一个文件不能超过 20 MB');
  if (status >= 500) return new ApiError(status, 'INTERNAL', '服务器暂时无法处理请求，请稍后重试或联系系统管理员');
  return new ApiError(status, 'UNKNOWN', `请求失败（状态码 ${status}）`);
}

/**
 * Sends an import file as the raw request body, as `POST /api/catalogue/import` wants it. The typed
 * `call()` sends JSON only, so this does the same work by hand: the CSRF header, the activity mark,
 * and a Chinese `ApiError` on failure.
 */
export async function uploadImport(
  file: ChosenFile,
  options: { dryRun: boolean; kind: ImportKind },
  csrfToken: string | null,
): Promise<ImportReport> {
  const url = urlOf(api.catalogueIo.import, {
    query: { dryRun: options.dryRun ? 'true' : 'false', ...(file.format === 'csv' ? { kind: options.kind } : {}) },
  });
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': file.format === 'xlsx' ? IMPORT_TYPES.xlsx : IMPORT_TYPES.csv,
  };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers, credentials: 'same-origin', body: file.bytes });
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
  markActivity();
  const data = await readJson(response);
  if (!response.ok) throw toApiError(response.status, data);
  return data as ImportReport;
}

/**
 * `uploadImport` bound to the session: its CSRF token, and on a lost or unfinished session the same
 * path back to the login page that every other request takes (asking `me` lets the client's hooks act).
 */
export function useImportUpload() {
  const { me, refresh } = useSession();
  const csrfToken = me?.csrfToken ?? null;
  return useCallback(
    async (file: ChosenFile, options: { dryRun: boolean; kind: ImportKind }) => {
      try {
        return await uploadImport(file, options, csrfToken);
      } catch (error) {
        if (error instanceof ApiError && (error.status === 401 || error.code === 'LOGIN_INCOMPLETE')) {
          void refresh().catch(() => undefined);
        }
        throw error;
      }
    },
    [csrfToken, refresh],
  );
}
