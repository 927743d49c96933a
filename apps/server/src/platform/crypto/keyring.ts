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
export class Keyring {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('主密钥须为 32 字节');
    this.encKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'dangan/secret/enc/sm4', 16));
    this.macKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'dangan/secret/mac/hmac-sm3', 32));
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
