import { StorageError } from './errors.js';

/**
 * Where the bytes live. Keys are relative, '/'-separated names (see `validateKey`); values are opaque bytes
 * (BlobStore has already encrypted them). A driver does no crypto and no hashing.
 */
export interface BlobDriver {
  /** 'disk' or 's3', for logs and health reports. */
  readonly kind: string;
  /** Stores `data` under `key`, replacing any object there. Atomic: readers see the old object, the whole new one, or none. */
  put(key: string, data: Uint8Array): Promise<void>;
  /** The object's bytes, or null when there is none. */
  get(key: string): Promise<Buffer | null>;
  has(key: string): Promise<boolean>;
  /** Size in bytes, or null when there is no object. */
  stat(key: string): Promise<{ size: number } | null>;
  /** True when an object was there. */
  delete(key: string): Promise<boolean>;
  /** Every key that starts with `prefix` (any string of key characters, '' for all). Order is not specified. */
  list(prefix?: string): AsyncIterable<string>;
  /** Throws STORAGE_UNAVAILABLE when the store cannot be used (root not writable, bucket missing, bad credentials…). */
  check(): Promise<void>;
  /** Releases sockets and the like. */
  close(): Promise<void>;
}

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const PREFIX = /^[A-Za-z0-9._/-]*$/;
export const MAX_KEY_LENGTH = 512;

/**
 * Keys are 1–512 characters of `A–Z a–z 0–9 . _ - /`, split by single '/' into segments that do not start with
 * '.' — so no '..', no '.', no hidden or temporary names, no absolute paths, no NUL, no backslash, no drive
 * letters, no empty segments. Anything else is BLOB_BAD_KEY.
 */
export function validateKey(key: string): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) throw new StorageError('BLOB_BAD_KEY', undefined);
  for (const segment of key.split('/')) {
    if (!SEGMENT.test(segment)) throw new StorageError('BLOB_BAD_KEY', undefined);
  }
  return key;
}

/** A list prefix: '' or key characters, and each complete segment (before a '/') must be a valid segment. */
export function validatePrefix(prefix: string): string {
  if (typeof prefix !== 'string' || prefix.length > MAX_KEY_LENGTH || !PREFIX.test(prefix)) {
    throw new StorageError('BLOB_BAD_KEY', undefined);
  }
  const segments = prefix.split('/');
  const last = segments.pop()!;
  for (const segment of segments) {
    if (!SEGMENT.test(segment)) throw new StorageError('BLOB_BAD_KEY', undefined);
  }
  if (last.startsWith('.')) throw new StorageError('BLOB_BAD_KEY', undefined);
  return prefix;
}
