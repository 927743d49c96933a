import { AppError } from '../errors.js';

export type StorageErrorCode = 'BLOB_CORRUPT' | 'BLOB_NOT_FOUND' | 'BLOB_BAD_KEY' | 'BLOB_TOO_LARGE' | 'STORAGE_UNAVAILABLE';

/** Why an object was judged corrupt; for logs and the integrity report, never shown to users. */
export type CorruptReason = 'format' | 'hash-mismatch' | 'other-master-key' | 'tag' | 'content-hash';

const STATUS: Record<StorageErrorCode, AppError['status']> = {
  BLOB_CORRUPT: 500,
  BLOB_NOT_FOUND: 404,
  BLOB_BAD_KEY: 400,
  BLOB_TOO_LARGE: 413,
  // AppError has no 503; an unreachable store is a server-side failure either way.
  STORAGE_UNAVAILABLE: 500,
};

const MESSAGES: Record<StorageErrorCode, string> = {
  BLOB_CORRUPT: '存储文件完整性校验失败，已拒绝读取',
  BLOB_NOT_FOUND: '存储文件不存在',
  BLOB_BAD_KEY: '存储文件标识不合法',
  BLOB_TOO_LARGE: '文件过大，超过存储上限',
  STORAGE_UNAVAILABLE: '文件存储暂不可用，请稍后重试或联系系统管理员',
};

/**
 * A storage failure. It is an AppError, so the HTTP error handler already answers with `{code, message}` and the
 * status above (404 / 400 / 413 / 500). The message is Chinese and safe to show: paths, endpoints and the
 * underlying error stay in `key`, `reason` and `cause` for the log. Routes should log BLOB_CORRUPT and
 * STORAGE_UNAVAILABLE (the generic handler does not log AppErrors) and may record a corrupt object in the audit log.
 */
export class StorageError extends AppError {
  declare readonly code: StorageErrorCode;

  constructor(
    code: StorageErrorCode,
    readonly key?: string,
    readonly reason?: CorruptReason,
    options?: { cause?: unknown; message?: string },
  ) {
    super(STATUS[code], code, options?.message ?? MESSAGES[code]);
    this.name = 'StorageError';
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

export const isStorageError = (e: unknown, code?: StorageErrorCode): e is StorageError =>
  e instanceof StorageError && (code === undefined || e.code === code);

/** Wraps an I/O or network failure, keeping it as `cause`. StorageErrors pass through unchanged. */
export function unavailable(key: string | undefined, cause: unknown): StorageError {
  if (cause instanceof StorageError) return cause;
  return new StorageError('STORAGE_UNAVAILABLE', key, undefined, { cause });
}
