import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The master key and what is sealed with it. The key is 32 random bytes: from `DANGAN_MASTER_KEY`
 * (base64 or hex), or from a key file under the data directory created on first use with mode 0600.
 *
 * Small secrets (TOTP seeds) are sealed with SM4-CTR and an HMAC-SM3 tag (encrypt-then-MAC), with
 * keys derived from the master key by HKDF; the format is versioned so the scheme can change.
 */
export type KeyWrapScheme = 'sm4' | 'aes-256-gcm';

export class Keyring {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;
  /** Key-encryption keys for per-object data keys (blob storage), derived by HKDF with their own labels. */
  private readonly kekSm4: Buffer;
  private readonly kekSm4Mac: Buffer;
  private readonly kekAes: Buffer;
  /**
   * 8 bytes that name this master key in stored objects, so "encrypted under another master key" can be told
   * apart from damage. A one-way HKDF output: it reveals nothing about the key.
   */
  readonly keyId: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('主密钥须为 32 字节');
    this.encKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'dangan/secret/enc/sm4', 16));
    this.macKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'dangan/secret/mac/hmac-sm3', 32));
    this.kekSm4 = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'dangan/kek/enc/sm4', 16));
    this.kekSm4Mac = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'dangan/kek/mac/hmac-sm3', 32));
    this.kekAes = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'dangan/kek/aes-256-gcm', 32));
    this.keyId = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'dangan/kek/key-id', 8));
  }

  /**
   * Wraps a data key (e.g. a random per-file key) under a KEK derived from the master key. Authenticated, and
   * bound to `context` (the caller's header bytes), so a wrapped key only opens in the place it was made for.
   *  - 'sm4':         iv(16) ‖ SM4-CTR(key) ‖ HMAC-SM3 tag(32) over label ‖ len(context) ‖ context ‖ iv ‖ ct
   *  - 'aes-256-gcm': nonce(12) ‖ AES-256-GCM(key) ‖ tag(16), AAD = label ‖ len(context) ‖ context
   */
  wrapKey(key: Uint8Array, scheme: KeyWrapScheme, context: Uint8Array): Buffer {
    if (scheme === 'sm4') {
      const iv = randomBytes(16);
      const cipher = createCipheriv('sm4-ctr', this.kekSm4, iv);
      const body = Buffer.concat([cipher.update(key), cipher.final()]);
      return Buffer.concat([iv, body, this.wrapTag(context, iv, body)]);
    }
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.kekAes, nonce);
    cipher.setAAD(wrapAad('aes-256-gcm', context));
    const body = Buffer.concat([cipher.update(key), cipher.final()]);
    return Buffer.concat([nonce, body, cipher.getAuthTag()]);
  }

  /** The inverse of `wrapKey`; null when the wrapped key is damaged, bound elsewhere or made under another master key. */
  unwrapKey(wrapped: Uint8Array, scheme: KeyWrapScheme, context: Uint8Array): Buffer | null {
    const w = Buffer.from(wrapped.buffer, wrapped.byteOffset, wrapped.byteLength);
    if (scheme === 'sm4') {
      if (w.length < 16 + 32 + 1) return null;
      const iv = w.subarray(0, 16);
      const body = w.subarray(16, w.length - 32);
      const tag = w.subarray(w.length - 32);
      if (!timingSafeEqual(tag, this.wrapTag(context, iv, body))) return null;
      const decipher = createDecipheriv('sm4-ctr', this.kekSm4, iv);
      return Buffer.concat([decipher.update(body), decipher.final()]);
    }
    if (w.length < 12 + 16 + 1) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.kekAes, w.subarray(0, 12));
      decipher.setAAD(wrapAad('aes-256-gcm', context));
      decipher.setAuthTag(w.subarray(w.length - 16));
      return Buffer.concat([decipher.update(w.subarray(12, w.length - 16)), decipher.final()]);
    } catch {
      return null;
    }
  }

  private wrapTag(context: Uint8Array, iv: Buffer, body: Buffer): Buffer {
    return createHmac('sm3', this.kekSm4Mac).update(wrapAad('sm4', context)).update(iv).update(body).digest();
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(16);
    const cipher = createCipheriv('sm4-ctr', this.encKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = this.tag(context, iv, body);
    return `v1.${iv.toString('base64url')}.${body.toString('base64url')}.${tag.toString('base64url')}`;
  }

  open(sealed: string, context: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== 'v1') throw new Error('密文格式不正确');
    const [, ivText, bodyText, tagText] = parts as [string, string, string, string];
    const iv = Buffer.from(ivText, 'base64url');
    const body = Buffer.from(bodyText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    const expected = this.tag(context, iv, body);
    if (tag.length !== expected.length || !timingSafeEqual(tag, expected)) {
      throw new Error('密文完整性校验失败');
    }
    const decipher = createDecipheriv('sm4-ctr', this.encKey, iv);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  }

  private tag(context: string, iv: Buffer, body: Buffer): Buffer {
    return createHmac('sm3', this.macKey).update(`v1|${context}|`).update(iv).update(body).digest();
  }
}

function wrapAad(scheme: KeyWrapScheme, context: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(context.length);
  return Buffer.concat([Buffer.from(`dangan/wrap/v1|${scheme}|`), length, context]);
}

function parseKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new Error('主密钥须为 32 字节（64 位十六进制或 base64）');
  return key;
}

export function loadMasterKey(options: { fromEnv: string | undefined; keyFile: string }): Buffer {
  if (options.fromEnv) return parseKey(options.fromEnv);
  if (existsSync(options.keyFile)) return parseKey(readFileSync(options.keyFile, 'utf8'));
  mkdirSync(dirname(options.keyFile), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(options.keyFile, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(options.keyFile, 0o600);
  return key;
}
