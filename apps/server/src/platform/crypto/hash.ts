import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** SM3 (GB/T 32905) is the default; SHA-256 where 国密 is not required. Both come with Node's OpenSSL. */
export type HashAlgorithm = 'sm3' | 'sha256';

export function digestHex(algorithm: HashAlgorithm, data: string | Uint8Array): string {
  return createHash(algorithm).update(data).digest('hex');
}

/** A random token for cookies and CSRF, base64url. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
