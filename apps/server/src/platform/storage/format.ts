import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { HashAlgorithm } from '../crypto/hash.js';
import type { Keyring } from '../crypto/keyring.js';
import { StorageError, type CorruptReason } from './errors.js';

/** 'sm4' = SM4-CTR + HMAC-SM3 (encrypt-then-MAC), the default; 'aes-256-gcm' where 国密 is not required. */
export type BlobCipher = 'sm4' | 'aes-256-gcm';

/**
 * Object format, version 1 (all integers big-endian):
 *
 *   off  len  field
 *     0    4  magic "DGBO"
 *     4    1  format version = 1
 *     5    1  cipher id: 1 = SM4-CTR + HMAC-SM3, 2 = AES-256-GCM
 *     6    1  hash id: 1 = SM3, 2 = SHA-256 (of the original plaintext)
 *     7    1  flags = 0 (reserved)
 *     8    8  master key id (Keyring.keyId: HKDF of the master key, names it without revealing it)
 *    16   32  content digest (raw bytes; the hex of it is the object's name)
 *    48    8  plaintext length
 *    56    2  wrapped-key length W
 *    58    W  wrapped data key (Keyring.wrapKey, bound to bytes 0–55)
 *  58+W    1  iv length N (16 for SM4-CTR, 12 for GCM)
 *  59+W    N  iv / nonce
 *     H    L  ciphertext (H = 59+W+N is the header length, L the plaintext length)
 *   H+L    T  tag: HMAC-SM3 (32) over header ‖ ciphertext, or the GCM tag (16) with the header as AAD
 *
 * The data key is random per object: SM4 uses 16 bytes of cipher key + 32 of MAC key, GCM 32 bytes. The whole
 * header — digest, lengths, key id, wrapped key, iv — is authenticated, so an object moved under another name, or
 * any changed byte, fails the tag. After decrypting, the digest of the plaintext is computed again and compared.
 */
export const MAGIC = Buffer.from('DGBO', 'ascii');
export const FORMAT_VERSION = 1;
const CIPHER_IDS: Record<BlobCipher, number> = { sm4: 1, 'aes-256-gcm': 2 };
const HASH_IDS: Record<HashAlgorithm, number> = { sm3: 1, sha256: 2 };
const DIGEST_LENGTH = 32;
const FIXED = 58; // bytes before the wrapped key
const WRAP_CONTEXT = 56; // bytes the wrapped key is bound to
const CHUNK = 1 << 20;

interface CipherSpec {
  dataKeyLength: number;
  ivLength: number;
  tagLength: number;
}
const SPECS: Record<BlobCipher, CipherSpec> = {
  sm4: { dataKeyLength: 48, ivLength: 16, tagLength: 32 },
  'aes-256-gcm': { dataKeyLength: 32, ivLength: 12, tagLength: 16 },
};

function byId<T extends string>(ids: Record<T, number>, id: number): T | undefined {
  return (Object.keys(ids) as T[]).find((k) => ids[k] === id);
}

/** Encrypts `plain` (whose digest is `digestHex`) into one self-describing object. One output buffer, filled in 1 MiB steps. */
export function sealBlob(
  keyring: Keyring,
  cipherName: BlobCipher,
  algorithm: HashAlgorithm,
  digestHex: string,
  plain: Uint8Array,
): Buffer {
  const spec = SPECS[cipherName];
  const dataKey = randomBytes(spec.dataKeyLength);
  const iv = randomBytes(spec.ivLength);
  const prefix = Buffer.alloc(WRAP_CONTEXT);
  MAGIC.copy(prefix, 0);
  prefix[4] = FORMAT_VERSION;
  prefix[5] = CIPHER_IDS[cipherName];
  prefix[6] = HASH_IDS[algorithm];
  prefix[7] = 0;
  keyring.keyId.copy(prefix, 8);
  const digest = Buffer.from(digestHex, 'hex');
  if (digest.length !== DIGEST_LENGTH) throw new Error('digest must be 32 bytes');
  digest.copy(prefix, 16);
  prefix.writeBigUInt64BE(BigInt(plain.length), 48);
  const wrapped = keyring.wrapKey(dataKey, cipherName, prefix);

  const headerLength = FIXED + wrapped.length + 1 + iv.length;
  const out = Buffer.allocUnsafe(headerLength + plain.length + spec.tagLength);
  prefix.copy(out, 0);
  out.writeUInt16BE(wrapped.length, WRAP_CONTEXT);
  wrapped.copy(out, FIXED);
  out[FIXED + wrapped.length] = iv.length;
  iv.copy(out, FIXED + wrapped.length + 1);
  const header = out.subarray(0, headerLength);

  let offset = headerLength;
  if (cipherName === 'sm4') {
    const cipher = createCipheriv('sm4-ctr', dataKey.subarray(0, 16), iv);
    for (let i = 0; i < plain.length; i += CHUNK) offset += cipher.update(plain.subarray(i, i + CHUNK)).copy(out, offset);
    offset += cipher.final().copy(out, offset);
    const tag = createHmac('sm3', dataKey.subarray(16)).update(out.subarray(0, offset)).digest();
    tag.copy(out, offset);
  } else {
    const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
    cipher.setAAD(header);
    for (let i = 0; i < plain.length; i += CHUNK) offset += cipher.update(plain.subarray(i, i + CHUNK)).copy(out, offset);
    offset += cipher.final().copy(out, offset);
    cipher.getAuthTag().copy(out, offset);
  }
  dataKey.fill(0);
  return out;
}

export interface BlobHeader {
  version: number;
  cipher: BlobCipher;
  algorithm: HashAlgorithm;
  keyId: Buffer;
  digestHex: string;
  size: number;
  headerLength: number;
}

function corrupt(key: string | undefined, reason: CorruptReason): StorageError {
  return new StorageError('BLOB_CORRUPT', key, reason);
}

/** Parses and checks the header's structure (not its authenticity). */
export function readHeader(data: Buffer, key?: string): BlobHeader & { wrapped: Buffer; iv: Buffer; tagLength: number } {
  if (data.length < FIXED + 1 || !data.subarray(0, 4).equals(MAGIC)) throw corrupt(key, 'format');
  const version = data[4]!;
  const cipher = byId(CIPHER_IDS, data[5]!);
  const algorithm = byId(HASH_IDS, data[6]!);
  if (version !== FORMAT_VERSION || !cipher || !algorithm || data[7] !== 0) throw corrupt(key, 'format');
  const spec = SPECS[cipher];
  const size = data.readBigUInt64BE(48);
  const wrappedLength = data.readUInt16BE(WRAP_CONTEXT);
  if (data.length < FIXED + wrappedLength + 1) throw corrupt(key, 'format');
  const ivLength = data[FIXED + wrappedLength]!;
  const headerLength = FIXED + wrappedLength + 1 + ivLength;
  if (ivLength !== spec.ivLength || BigInt(data.length) !== BigInt(headerLength + spec.tagLength) + size) {
    throw corrupt(key, 'format');
  }
  return {
    version,
    cipher,
    algorithm,
    keyId: data.subarray(8, 16),
    digestHex: data.subarray(16, 16 + DIGEST_LENGTH).toString('hex'),
    size: Number(size),
    headerLength,
    wrapped: data.subarray(FIXED, FIXED + wrappedLength),
    iv: data.subarray(FIXED + wrappedLength + 1, headerLength),
    tagLength: spec.tagLength,
  };
}

/**
 * Checks and decrypts an object stored under the name (`algorithm`, `digestHex`). Throws BLOB_CORRUPT for anything
 * that is not exactly what was sealed there. With `verifyOnly` the plaintext is hashed chunk by chunk and not kept
 * (returns an empty buffer), so verifying costs one copy of the object in memory, not two.
 */
export function openBlob(
  keyring: Keyring,
  data: Buffer,
  expected: { algorithm: HashAlgorithm; digestHex: string; key?: string },
  verifyOnly = false,
): Buffer {
  const key = expected.key;
  const h = readHeader(data, key);
  if (h.algorithm !== expected.algorithm || h.digestHex !== expected.digestHex) throw corrupt(key, 'hash-mismatch');
  if (!timingSafeEqual(h.keyId, keyring.keyId)) throw corrupt(key, 'other-master-key');
  const dataKey = keyring.unwrapKey(h.wrapped, h.cipher, data.subarray(0, WRAP_CONTEXT));
  if (!dataKey || dataKey.length !== SPECS[h.cipher].dataKeyLength) throw corrupt(key, 'tag');

  const header = data.subarray(0, h.headerLength);
  const body = data.subarray(h.headerLength, h.headerLength + h.size);
  const tag = data.subarray(h.headerLength + h.size);
  const hash = createHash(h.algorithm);
  const out = verifyOnly ? Buffer.alloc(0) : Buffer.allocUnsafe(h.size);
  let offset = 0;
  const take = (chunk: Buffer) => {
    if (verifyOnly) hash.update(chunk);
    else offset += chunk.copy(out, offset);
  };
  try {
    if (h.cipher === 'sm4') {
      // Encrypt-then-MAC: nothing is decrypted before the tag holds.
      const expectedTag = createHmac('sm3', dataKey.subarray(16)).update(data.subarray(0, h.headerLength + h.size)).digest();
      if (!timingSafeEqual(tag, expectedTag)) throw corrupt(key, 'tag');
      const decipher = createDecipheriv('sm4-ctr', dataKey.subarray(0, 16), h.iv);
      for (let i = 0; i < body.length; i += CHUNK) take(decipher.update(body.subarray(i, i + CHUNK)));
      take(decipher.final());
    } else {
      const decipher = createDecipheriv('aes-256-gcm', dataKey, h.iv);
      decipher.setAAD(header);
      decipher.setAuthTag(tag);
      for (let i = 0; i < body.length; i += CHUNK) take(decipher.update(body.subarray(i, i + CHUNK)));
      try {
        take(decipher.final());
      } catch {
        throw corrupt(key, 'tag');
      }
    }
  } catch (e) {
    out.fill(0);
    throw e;
  } finally {
    dataKey.fill(0);
  }
  if (!verifyOnly) hash.update(out);
  if (hash.digest('hex') !== expected.digestHex) {
    out.fill(0);
    throw corrupt(key, 'content-hash');
  }
  return out;
}
