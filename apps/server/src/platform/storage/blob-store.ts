import { digestHex, type HashAlgorithm } from '../crypto/hash.js';
import type { Keyring } from '../crypto/keyring.js';
import type { BlobDriver } from './driver.js';
import { StorageError, isStorageError } from './errors.js';
import { openBlob, sealBlob, type BlobCipher } from './format.js';

export interface BlobStoreOptions {
  /** Cipher for new objects (default 'sm4'). Objects name their own cipher, so changing it keeps old ones readable. */
  cipher?: BlobCipher;
  /** Largest plaintext accepted (default 128 MiB). */
  maxBytes?: number;
}

export interface PutResult {
  /** Lowercase hex digest of the plaintext. */
  hash: string;
  algorithm: HashAlgorithm;
  /** Plaintext bytes. */
  size: number;
  /** True when an intact object with these bytes was already stored (nothing was written). */
  existed: boolean;
  /** True when an object was there under this name but failed verification and was replaced by these bytes. */
  repaired: boolean;
}

export type VerifyResult = 'ok' | 'corrupt' | 'missing';

export const HASH_ALGORITHMS: readonly HashAlgorithm[] = ['sm3', 'sha256'];
const HEX64 = /^[0-9a-f]{64}$/;
export const DEFAULT_MAX_BYTES = 128 * 1024 * 1024;

/** `sm3/ab/cd/abcd…` — algorithm first so both coexist, two directory levels of 256 to keep directories small. */
export function blobKey(hash: string, algorithm: HashAlgorithm): string {
  if (!HASH_ALGORITHMS.includes(algorithm) || typeof hash !== 'string' || !HEX64.test(hash)) {
    throw new StorageError('BLOB_BAD_KEY', undefined);
  }
  return `${algorithm}/${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`;
}

/** The inverse of `blobKey`; null for keys that are not objects of this store. */
export function parseBlobKey(key: string): { hash: string; algorithm: HashAlgorithm } | null {
  const m = /^(sm3|sha256)\/([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{64})$/.exec(key);
  if (!m || !m[4]!.startsWith(m[2]! + m[3]!)) return null;
  return { hash: m[4]!, algorithm: m[1] as HashAlgorithm };
}

/**
 * Content-addressed, encrypted objects over a driver. An object is named by the digest of its plaintext and stored
 * encrypted (see format.ts); reading checks the tag and the digest and refuses anything else with BLOB_CORRUPT.
 *
 * Where a method takes an optional `algorithm`, leaving it out looks under SM3 and then SHA-256 (the same hex under
 * both would be a cross-algorithm collision); callers that recorded the algorithm should pass it.
 */
export class BlobStore {
  /** Cipher for new objects; follows the `storage.cipher` setting. */
  cipher: BlobCipher;
  readonly maxBytes: number;
  private readonly inFlight = new Map<string, Promise<PutResult>>();

  constructor(
    readonly driver: BlobDriver,
    private readonly keyring: Keyring,
    options: BlobStoreOptions = {},
  ) {
    this.cipher = options.cipher ?? 'sm4';
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  /**
   * Stores `bytes` under their digest. Same bytes again: nothing is written and `existed` is true — unless the stored
   * object no longer verifies, in which case it is replaced (`repaired`). Concurrent puts of the same bytes in this
   * process write once; the later ones report `existed`.
   */
  async put(bytes: Uint8Array, options: { hashAlgorithm: HashAlgorithm }): Promise<PutResult> {
    const algorithm = options.hashAlgorithm;
    if (!HASH_ALGORITHMS.includes(algorithm)) throw new StorageError('BLOB_BAD_KEY', undefined);
    if (bytes.length > this.maxBytes) throw new StorageError('BLOB_TOO_LARGE', undefined);
    const hash = digestHex(algorithm, bytes);
    const key = blobKey(hash, algorithm);
    const pending = this.inFlight.get(key);
    if (pending) {
      const first = await pending;
      return { ...first, existed: true, repaired: false };
    }
    const work = this.write(bytes, algorithm, hash, key);
    this.inFlight.set(key, work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async write(bytes: Uint8Array, algorithm: HashAlgorithm, hash: string, key: string): Promise<PutResult> {
    const base = { hash, algorithm, size: bytes.length };
    let repaired = false;
    const stored = await this.driver.get(key);
    if (stored) {
      try {
        openBlob(this.keyring, stored, { algorithm, digestHex: hash, key }, true);
        return { ...base, existed: true, repaired: false };
      } catch (e) {
        if (!isStorageError(e, 'BLOB_CORRUPT')) throw e;
        repaired = true;
      }
    }
    const sealed = sealBlob(this.keyring, this.cipher, algorithm, hash, bytes);
    await this.driver.put(key, sealed);
    return { ...base, existed: false, repaired };
  }

  /** The verified plaintext. BLOB_NOT_FOUND when absent, BLOB_CORRUPT when it fails any check (nothing is returned). */
  async get(hash: string, algorithm?: HashAlgorithm): Promise<Buffer> {
    const found = await this.fetch(hash, algorithm);
    return openBlob(this.keyring, found.data, { algorithm: found.algorithm, digestHex: hash, key: found.key });
  }

  async has(hash: string, algorithm?: HashAlgorithm): Promise<boolean> {
    for (const a of this.candidates(hash, algorithm)) {
      if (await this.driver.has(blobKey(hash, a))) return true;
    }
    return false;
  }

  /** Reads and fully checks the object without keeping its plaintext. Storage outages throw, they are not a verdict. */
  async verify(hash: string, algorithm?: HashAlgorithm): Promise<VerifyResult> {
    try {
      const found = await this.fetch(hash, algorithm);
      openBlob(this.keyring, found.data, { algorithm: found.algorithm, digestHex: hash, key: found.key }, true);
      return 'ok';
    } catch (e) {
      if (isStorageError(e, 'BLOB_CORRUPT')) return 'corrupt';
      if (isStorageError(e, 'BLOB_NOT_FOUND')) return 'missing';
      throw e;
    }
  }

  /** True when an object was removed. */
  async delete(hash: string, algorithm?: HashAlgorithm): Promise<boolean> {
    let removed = false;
    for (const a of this.candidates(hash, algorithm)) {
      if (await this.driver.delete(blobKey(hash, a))) removed = true;
    }
    return removed;
  }

  /** Every stored object (by name; not verified), optionally of one algorithm. Keys that are not ours are skipped. */
  async *list(algorithm?: HashAlgorithm): AsyncIterable<{ hash: string; algorithm: HashAlgorithm }> {
    for (const a of algorithm ? [algorithm] : HASH_ALGORITHMS) {
      for await (const key of this.driver.list(`${a}/`)) {
        const parsed = parseBlobKey(key);
        if (parsed) yield parsed;
      }
    }
  }

  check(): Promise<void> {
    return this.driver.check();
  }

  close(): Promise<void> {
    return this.driver.close();
  }

  private candidates(hash: string, algorithm: HashAlgorithm | undefined): readonly HashAlgorithm[] {
    const list = algorithm ? [algorithm] : HASH_ALGORITHMS;
    for (const a of list) blobKey(hash, a); // validates
    return list;
  }

  private async fetch(hash: string, algorithm?: HashAlgorithm) {
    for (const a of this.candidates(hash, algorithm)) {
      const key = blobKey(hash, a);
      const data = await this.driver.get(key);
      if (data) return { data, algorithm: a, key };
    }
    throw new StorageError('BLOB_NOT_FOUND', undefined);
  }
}
