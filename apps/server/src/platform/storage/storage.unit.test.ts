import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { digestHex, type HashAlgorithm } from '../crypto/hash.js';
import { Keyring } from '../crypto/keyring.js';
import { BlobStore, blobKey, parseBlobKey } from './blob-store.js';
import { createBlobStore, storageConfigFromEnv } from './config.js';
import { DiskBlobDriver } from './disk-driver.js';
import type { BlobDriver } from './driver.js';
import { StorageError, type CorruptReason } from './errors.js';
import { MAGIC, readHeader, sealBlob, type BlobCipher } from './format.js';
import { S3BlobDriver } from './s3-driver.js';

// The SDK warns once per process that its 2027 releases will need Node 22; not news for a test run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const CIPHERS: BlobCipher[] = ['sm4', 'aes-256-gcm'];
const ALGORITHMS: HashAlgorithm[] = ['sm3', 'sha256'];

/** Expects `promise` to reject with a StorageError of `code`; returns it for further checks. */
async function rejectsWith(promise: Promise<unknown>, code: StorageError['code']): Promise<StorageError> {
  let result: unknown;
  try {
    result = await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(StorageError);
    expect((e as StorageError).code).toBe(code);
    return e as StorageError;
  }
  throw new Error(`expected ${code}, but it resolved with ${String(result)}`);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

interface Harness {
  name: 'disk' | 's3';
  beforeAll(): Promise<void>;
  afterAll(): Promise<void>;
  /** A fresh, empty store for one test. */
  newDriver(): Promise<BlobDriver>;
}

const tempDirs: string[] = [];
function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `dangan-${label}-`));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

const diskHarness: Harness = {
  name: 'disk',
  async beforeAll() {},
  async afterAll() {},
  async newDriver() {
    return new DiskBlobDriver(join(tempDir('blobs'), 'data', 'blobs'));
  },
};

function s3Harness(): Harness {
  let server: S3rver | undefined;
  let port = 0;
  let admin: S3Client | undefined;
  let n = 0;
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  return {
    name: 's3',
    async beforeAll() {
      server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: tempDir('s3rver') });
      port = (await server.run()).port;
      admin = new S3Client({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', forcePathStyle: true, credentials });
    },
    async afterAll() {
      admin?.destroy();
      await server?.close();
      // Nothing may still listen on the port.
      await new Promise<void>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          reject(new Error('s3rver is still listening'));
        });
        socket.once('error', () => resolve());
      });
    },
    async newDriver() {
      // A bucket per test (the test creates it; the driver itself never calls CreateBucket).
      const bucket = `blobs-${process.pid}-${++n}`;
      await admin!.send(new CreateBucketCommand({ Bucket: bucket }));
      return new S3BlobDriver({
        endpoint: `http://127.0.0.1:${port}`,
        region: 'us-east-1',
        bucket,
        ...credentials,
        forcePathStyle: true,
      });
    },
  };
}

describe.each([diskHarness, s3Harness()])('blob storage on $name', (harness) => {
  let driver: BlobDriver;
  let keyring: Keyring;
  const stores: BlobStore[] = [];
  const storeWith = (options: { cipher?: BlobCipher; maxBytes?: number; keyring?: Keyring } = {}) => {
    const store = new BlobStore(driver, options.keyring ?? keyring, options);
    stores.push(store);
    return store;
  };

  beforeAll(() => harness.beforeAll(), 30_000);
  afterAll(() => harness.afterAll(), 30_000);
  beforeEach(async () => {
    driver = await harness.newDriver();
    keyring = new Keyring(randomBytes(32));
  });
  afterEach(async () => {
    await driver.close();
    stores.length = 0;
  });

  describe.each(CIPHERS)('cipher %s', (cipher) => {
    it.each(ALGORITHMS)('round-trips with %s and stores ciphertext in the versioned format', async (algorithm) => {
      const store = storeWith({ cipher });
      const bytes = Buffer.concat([Buffer.from('第一页 page one '), randomBytes(5000)]);
      const put = await store.put(bytes, { hashAlgorithm: algorithm });
      expect(put).toEqual({ hash: digestHex(algorithm, bytes), algorithm, size: bytes.length, existed: false, repaired: false });
      expect(put.hash).toMatch(/^[0-9a-f]{64}$/);

      const key = `${algorithm}/${put.hash.slice(0, 2)}/${put.hash.slice(2, 4)}/${put.hash}`;
      expect(blobKey(put.hash, algorithm)).toBe(key);
      expect(await collect(driver.list())).toEqual([key]);
      const raw = (await driver.get(key))!;
      expect(raw.subarray(0, 4)).toEqual(MAGIC);
      const header = readHeader(raw);
      expect(header).toMatchObject({ version: 1, cipher, algorithm, digestHex: put.hash, size: bytes.length });
      expect(header.keyId).toEqual(keyring.keyId);

      expect(await store.get(put.hash, algorithm)).toEqual(bytes);
      expect(await store.get(put.hash)).toEqual(bytes); // algorithm found by looking
      expect(await store.has(put.hash, algorithm)).toBe(true);
      expect(await store.verify(put.hash, algorithm)).toBe('ok');
      expect(await store.has(put.hash, algorithm === 'sm3' ? 'sha256' : 'sm3')).toBe(false);
    });

    it('does not contain the plaintext, and two puts of the same bytes under different stores encrypt differently', async () => {
      const marker = Buffer.from('干部人事档案-PLAINTEXT-MARKER-0123456789');
      const bytes = Buffer.concat(Array.from({ length: 200 }, () => marker));
      const put = await storeWith({ cipher }).put(bytes, { hashAlgorithm: 'sm3' });
      const raw = (await driver.get(blobKey(put.hash, 'sm3')))!;
      expect(raw.includes(marker)).toBe(false);
      expect(raw.includes(bytes.subarray(0, 16))).toBe(false);
      // Repetitive plaintext must not give repetitive ciphertext (no ECB-like leak).
      const h = readHeader(raw);
      const body = raw.subarray(h.headerLength, h.headerLength + h.size);
      expect(body.subarray(0, marker.length).equals(body.subarray(marker.length, 2 * marker.length))).toBe(false);

      await driver.delete(blobKey(put.hash, 'sm3'));
      await storeWith({ cipher }).put(bytes, { hashAlgorithm: 'sm3' });
      const again = (await driver.get(blobKey(put.hash, 'sm3')))!;
      expect(again.equals(raw)).toBe(false); // fresh data key and iv every time
    });

    it('rejects one changed byte anywhere in the object as corrupt and returns nothing', async () => {
      const store = storeWith({ cipher });
      const bytes = randomBytes(3000);
      const { hash } = await store.put(bytes, { hashAlgorithm: 'sm3' });
      const key = blobKey(hash, 'sm3');
      const original = (await driver.get(key))!;
      const h = readHeader(original);
      // Where each byte is, and which check must catch it.
      const positions: [string, number, CorruptReason][] = [
        ['magic', 0, 'format'],
        ['version', 4, 'format'],
        ['cipher id', 5, 'format'],
        ['hash id', 6, 'format'],
        ['flags', 7, 'format'],
        ['key id', 9, 'other-master-key'],
        ['digest', 20, 'hash-mismatch'],
        ['length', 55, 'format'],
        ['wrapped key length', 57, 'format'],
        ['wrapped key', 70, 'tag'],
        ['iv length', h.headerLength - h.iv.length - 1, 'format'],
        ['iv', h.headerLength - 2, 'tag'],
        ['first ciphertext byte', h.headerLength, 'tag'],
        ['ciphertext', h.headerLength + 1500, 'tag'],
        ['last ciphertext byte', h.headerLength + bytes.length - 1, 'tag'],
        ['first tag byte', h.headerLength + bytes.length, 'tag'],
        ['last tag byte', original.length - 1, 'tag'],
      ];
      for (const [where, at, reason] of positions) {
        const tampered = Buffer.from(original);
        tampered[at] = tampered[at]! ^ 0x01;
        await driver.put(key, tampered);
        const error = await rejectsWith(store.get(hash, 'sm3'), 'BLOB_CORRUPT');
        expect(error.message, where).toBe('存储文件完整性校验失败，已拒绝读取');
        expect(error.reason, where).toBe(reason);
        expect(await store.verify(hash, 'sm3'), where).toBe('corrupt');
      }
      for (const damaged of [original.subarray(0, original.length - 1), Buffer.concat([original, Buffer.from([0])]), Buffer.alloc(0)]) {
        await driver.put(key, damaged);
        await rejectsWith(store.get(hash, 'sm3'), 'BLOB_CORRUPT');
      }
      // Putting the bytes again heals the damaged object.
      expect(await store.put(bytes, { hashAlgorithm: 'sm3' })).toMatchObject({ existed: false, repaired: true });
      expect(await store.get(hash, 'sm3')).toEqual(bytes);
    });

    it('detects an object moved under another name', async () => {
      const store = storeWith({ cipher });
      const a = await store.put(Buffer.from('object A'), { hashAlgorithm: 'sm3' });
      const b = await store.put(Buffer.from('object B'), { hashAlgorithm: 'sm3' });
      await driver.put(blobKey(b.hash, 'sm3'), (await driver.get(blobKey(a.hash, 'sm3')))!);
      expect((await rejectsWith(store.get(b.hash, 'sm3'), 'BLOB_CORRUPT')).reason).toBe('hash-mismatch');
      expect(await store.verify(b.hash, 'sm3')).toBe('corrupt');
      expect(await store.get(a.hash, 'sm3')).toEqual(Buffer.from('object A'));

      // Even with the digest in the header rewritten to B's, the authenticated header gives it away.
      const forged = Buffer.from((await driver.get(blobKey(a.hash, 'sm3')))!);
      Buffer.from(b.hash, 'hex').copy(forged, 16);
      await driver.put(blobKey(b.hash, 'sm3'), forged);
      expect((await rejectsWith(store.get(b.hash, 'sm3'), 'BLOB_CORRUPT')).reason).toBe('tag');

      // The same plaintext stored under the other algorithm's name is not accepted either.
      const sha = await store.put(Buffer.from('object A'), { hashAlgorithm: 'sha256' });
      await driver.put(blobKey(sha.hash, 'sha256'), (await driver.get(blobKey(a.hash, 'sm3')))!);
      expect(await store.verify(sha.hash, 'sha256')).toBe('corrupt');
    });

    it('checks the digest of the decrypted bytes even when the tag holds', async () => {
      // An object sealed with valid keys but for the wrong content (a bug, or someone holding the master key).
      const store = storeWith({ cipher });
      const claimed = digestHex('sm3', 'what the name promises');
      await driver.put(blobKey(claimed, 'sm3'), sealBlob(keyring, cipher, 'sm3', claimed, Buffer.from('something else')));
      expect((await rejectsWith(store.get(claimed, 'sm3'), 'BLOB_CORRUPT')).reason).toBe('content-hash');
      expect(await store.verify(claimed, 'sm3')).toBe('corrupt');
      expect(await store.put(Buffer.from('what the name promises'), { hashAlgorithm: 'sm3' })).toMatchObject({ repaired: true });
      expect((await store.get(claimed, 'sm3')).toString()).toBe('what the name promises');
    });

    it('cannot be read with another master key', async () => {
      const bytes = randomBytes(1000);
      const { hash } = await storeWith({ cipher }).put(bytes, { hashAlgorithm: 'sm3' });
      const otherKeyring = new Keyring(randomBytes(32));
      const other = storeWith({ cipher, keyring: otherKeyring });
      expect((await rejectsWith(other.get(hash, 'sm3'), 'BLOB_CORRUPT')).reason).toBe('other-master-key');
      expect(await other.verify(hash, 'sm3')).toBe('corrupt');
      // Relabelling the object with the other key's id does not help: the wrapped key does not open.
      const relabelled = Buffer.from((await driver.get(blobKey(hash, 'sm3')))!);
      otherKeyring.keyId.copy(relabelled, 8);
      await driver.put(blobKey(hash, 'sm3'), relabelled);
      expect((await rejectsWith(other.get(hash, 'sm3'), 'BLOB_CORRUPT')).reason).toBe('tag');
      // The same master key (e.g. restored from backup into a new Keyring) reads it.
      await driver.delete(blobKey(hash, 'sm3'));
      const master = randomBytes(32);
      const { hash: h2 } = await storeWith({ cipher, keyring: new Keyring(master) }).put(bytes, { hashAlgorithm: 'sha256' });
      expect(await storeWith({ keyring: new Keyring(Buffer.from(master)) }).get(h2, 'sha256')).toEqual(bytes);
    });
  });

  it('keeps objects readable when the cipher setting changes', async () => {
    const a = await storeWith({ cipher: 'sm4' }).put(Buffer.from('written under SM4'), { hashAlgorithm: 'sm3' });
    const b = await storeWith({ cipher: 'aes-256-gcm' }).put(Buffer.from('written under AES'), { hashAlgorithm: 'sha256' });
    for (const store of [storeWith({ cipher: 'sm4' }), storeWith({ cipher: 'aes-256-gcm' })]) {
      expect((await store.get(a.hash)).toString()).toBe('written under SM4');
      expect((await store.get(b.hash)).toString()).toBe('written under AES');
    }
    expect(readHeader((await driver.get(blobKey(a.hash, 'sm3')))!).cipher).toBe('sm4');
    expect(readHeader((await driver.get(blobKey(b.hash, 'sha256')))!).cipher).toBe('aes-256-gcm');
  });

  it('stores the same bytes once and reports that they existed', async () => {
    const store = storeWith();
    const bytes = randomBytes(2048);
    const first = await store.put(bytes, { hashAlgorithm: 'sm3' });
    const stored = (await driver.get(blobKey(first.hash, 'sm3')))!;
    const second = await store.put(Buffer.from(bytes), { hashAlgorithm: 'sm3' });
    expect(second).toEqual({ ...first, existed: true });
    expect(await collect(driver.list())).toEqual([blobKey(first.hash, 'sm3')]);
    // Not rewritten: a rewrite would have a fresh data key and iv.
    expect((await driver.get(blobKey(first.hash, 'sm3')))!.equals(stored)).toBe(true);

    // Under the other algorithm it is another object; both coexist.
    const sha = await store.put(bytes, { hashAlgorithm: 'sha256' });
    expect(sha).toMatchObject({ existed: false, algorithm: 'sha256', hash: digestHex('sha256', bytes) });
    expect((await collect(driver.list())).sort()).toEqual([blobKey(first.hash, 'sm3'), blobKey(sha.hash, 'sha256')].sort());
  });

  it('writes once when the same bytes are put concurrently', async () => {
    const store = storeWith();
    const bytes = randomBytes(100_000);
    const results = await Promise.all(Array.from({ length: 5 }, () => store.put(bytes, { hashAlgorithm: 'sm3' })));
    expect(results.filter((r) => !r.existed)).toHaveLength(1);
    expect(await collect(driver.list())).toHaveLength(1);
    expect(await store.get(results[0]!.hash, 'sm3')).toEqual(bytes);
  });

  it('gives different bytes different names', async () => {
    const store = storeWith();
    const a = await store.put(Buffer.from('page 1'), { hashAlgorithm: 'sm3' });
    const b = await store.put(Buffer.from('page 2'), { hashAlgorithm: 'sm3' });
    const empty = await store.put(Buffer.alloc(0), { hashAlgorithm: 'sm3' });
    expect(new Set([a.hash, b.hash, empty.hash]).size).toBe(3);
    expect(empty).toMatchObject({ size: 0, hash: digestHex('sm3', '') });
    expect((await store.get(a.hash)).toString()).toBe('page 1');
    expect((await store.get(b.hash)).toString()).toBe('page 2');
    expect(await store.get(empty.hash)).toEqual(Buffer.alloc(0));
  });

  it('reports missing objects as BLOB_NOT_FOUND', async () => {
    const store = storeWith();
    const hash = digestHex('sm3', 'never stored');
    const error = await rejectsWith(store.get(hash), 'BLOB_NOT_FOUND');
    expect(error.status).toBe(404);
    expect(error.message).toBe('存储文件不存在');
    await rejectsWith(store.get(hash, 'sha256'), 'BLOB_NOT_FOUND');
    expect(await store.verify(hash)).toBe('missing');
    expect(await store.has(hash)).toBe(false);
    expect(await store.delete(hash)).toBe(false);
    expect(await driver.get('sm3/00/00/nothing')).toBeNull();
    expect(await driver.stat('sm3/00/00/nothing')).toBeNull();
  });

  it('rejects keys and hashes that could leave the store', async () => {
    const badKeys = [
      '',
      '..',
      '../escape',
      'sm3/../../escape',
      'sm3/./x',
      '/etc/passwd',
      'sm3//x',
      'sm3/x/',
      'a\\..\\b',
      'a\u0000b',
      'C:/x',
      '.tmp/x',
      'sm3/.hidden',
      'sm3/x y',
      'é',
      'x'.repeat(513),
    ];
    for (const key of badKeys) {
      await rejectsWith(driver.put(key, Buffer.from('x')), 'BLOB_BAD_KEY');
      await rejectsWith(driver.get(key), 'BLOB_BAD_KEY');
      await rejectsWith(driver.has(key), 'BLOB_BAD_KEY');
      await rejectsWith(driver.stat(key), 'BLOB_BAD_KEY');
      await rejectsWith(driver.delete(key), 'BLOB_BAD_KEY');
    }
    for (const prefix of ['../', '/etc', 'a/../', 'a\\b', '.tmp', 'a/.t', 'a\u0000']) {
      await rejectsWith(collect(driver.list(prefix)), 'BLOB_BAD_KEY');
    }
    const store = storeWith();
    const good = digestHex('sm3', 'x');
    for (const hash of ['', good.toUpperCase(), good.slice(1), `${good}0`, `../${good.slice(3)}`, `${good.slice(2)}/.`]) {
      await rejectsWith(store.get(hash), 'BLOB_BAD_KEY');
      await rejectsWith(store.has(hash), 'BLOB_BAD_KEY');
      await rejectsWith(store.verify(hash), 'BLOB_BAD_KEY');
      await rejectsWith(store.delete(hash), 'BLOB_BAD_KEY');
    }
    await rejectsWith(store.get(good, 'md5' as HashAlgorithm), 'BLOB_BAD_KEY');
    await rejectsWith(store.put(Buffer.from('x'), { hashAlgorithm: 'md5' as HashAlgorithm }), 'BLOB_BAD_KEY');
    expect(await collect(driver.list())).toEqual([]);
    // Odd but valid keys work.
    await driver.put('a.b/c-d_e/F9', Buffer.from('ok'));
    expect((await driver.get('a.b/c-d_e/F9'))!.toString()).toBe('ok');
  });

  it('rejects objects over the size limit', async () => {
    const store = storeWith({ maxBytes: 1000 });
    const error = await rejectsWith(store.put(Buffer.alloc(1001), { hashAlgorithm: 'sm3' }), 'BLOB_TOO_LARGE');
    expect(error.status).toBe(413);
    expect((await store.put(Buffer.alloc(1000), { hashAlgorithm: 'sm3' })).size).toBe(1000);
  });

  it('lists objects, by algorithm and by key prefix', async () => {
    const store = storeWith();
    const sm3 = await Promise.all(Array.from({ length: 6 }, (_, i) => store.put(Buffer.from(`sm3 page ${i}`), { hashAlgorithm: 'sm3' })));
    const sha = await Promise.all(Array.from({ length: 4 }, (_, i) => store.put(Buffer.from(`sha page ${i}`), { hashAlgorithm: 'sha256' })));
    const names = (list: { hash: string; algorithm: string }[]) => list.map((x) => `${x.algorithm}:${x.hash}`).sort();
    expect(names(await collect(store.list()))).toEqual(names([...sm3, ...sha]));
    expect(names(await collect(store.list('sm3')))).toEqual(names(sm3));
    expect(names(await collect(store.list('sha256')))).toEqual(names(sha));

    const first = sm3[0]!.hash;
    for (const prefix of [`sm3/${first.slice(0, 2)}`, `sm3/${first.slice(0, 1)}`, `sm3/${first.slice(0, 2)}/${first.slice(2, 4)}/`]) {
      const expected = sm3.map((x) => blobKey(x.hash, 'sm3')).filter((k) => k.startsWith(prefix)).sort();
      expect(expected.length).toBeGreaterThan(0);
      expect((await collect(driver.list(prefix))).sort()).toEqual(expected);
    }
    expect(await collect(driver.list('sha1/'))).toEqual([]);
    // A prefix of keys is not itself an object, on disk (a directory) as on S3.
    const dirKey = `sm3/${first.slice(0, 2)}`;
    expect(await driver.get(dirKey)).toBeNull();
    expect(await driver.has(dirKey)).toBe(false);
    expect(await driver.stat(dirKey)).toBeNull();
    expect(await driver.get(`${blobKey(first, 'sm3')}/below`)).toBeNull();
    // Keys that are not objects of the store are not reported by the store.
    await driver.put('sm3/zz/other', Buffer.from('x'));
    expect(await collect(store.list('sm3'))).toHaveLength(6);
    expect(parseBlobKey('sm3/zz/other')).toBeNull();
  });

  it('deletes', async () => {
    const store = storeWith();
    const a = await store.put(Buffer.from('keep'), { hashAlgorithm: 'sm3' });
    const b = await store.put(Buffer.from('remove'), { hashAlgorithm: 'sm3' });
    expect(await store.delete(b.hash)).toBe(true);
    expect(await store.has(b.hash)).toBe(false);
    await rejectsWith(store.get(b.hash), 'BLOB_NOT_FOUND');
    expect(await store.delete(b.hash, 'sm3')).toBe(false);
    expect((await store.get(a.hash)).toString()).toBe('keep');
    expect(await collect(driver.list())).toEqual([blobKey(a.hash, 'sm3')]);
    // Stored again after deletion: a new object, not "existed".
    expect(await store.put(Buffer.from('remove'), { hashAlgorithm: 'sm3' })).toMatchObject({ existed: false });
  });

  it('holds 1000 small objects', async () => {
    const store = storeWith();
    const pages = Array.from({ length: 1000 }, (_, i) => Buffer.from(`档案第 ${i} 页 ${randomBytes(8).toString('hex')}`));
    const results: { hash: string }[] = [];
    for (let i = 0; i < pages.length; i += 50) {
      results.push(...(await Promise.all(pages.slice(i, i + 50).map((p) => store.put(p, { hashAlgorithm: 'sm3' })))));
    }
    expect(results.every((r) => 'existed' in r && r.existed === false)).toBe(true);
    const listed = await collect(store.list());
    expect(listed.map((x) => x.hash).sort()).toEqual(results.map((r) => r.hash).sort());
    for (let i = 0; i < pages.length; i += 50) {
      const got = await Promise.all(results.slice(i, i + 50).map((r) => store.get(r.hash, 'sm3')));
      got.forEach((g, j) => expect(g.equals(pages[i + j]!)).toBe(true));
    }
  }, 120_000);

  it.each(CIPHERS)('round-trips a 20 MB object with %s', async (cipher) => {
    const store = storeWith({ cipher });
    const bytes = randomBytes(20 * 1024 * 1024);
    const put = await store.put(bytes, { hashAlgorithm: 'sm3' });
    expect(put).toMatchObject({ size: bytes.length, existed: false });
    const stat = await driver.stat(blobKey(put.hash, 'sm3'));
    expect(stat!.size).toBeGreaterThan(bytes.length);
    expect(stat!.size).toBeLessThan(bytes.length + 300);
    const got = await store.get(put.hash, 'sm3');
    expect(got.length).toBe(bytes.length);
    expect(got.equals(bytes)).toBe(true);
    expect(await store.verify(put.hash, 'sm3')).toBe('ok');
    expect(await store.put(bytes, { hashAlgorithm: 'sm3' })).toMatchObject({ existed: true });
  }, 60_000);
});

describe('disk driver only', () => {
  const modeOf = (path: string) => statSync(path).mode & 0o777;

  it('creates directories 0700 and files 0600 in the ab/cd layout under the root', async () => {
    const root = join(tempDir('modes'), 'blobs');
    const store = new BlobStore(new DiskBlobDriver(root), new Keyring(randomBytes(32)));
    const { hash } = await store.put(Buffer.from('page'), { hashAlgorithm: 'sm3' });
    const file = join(root, 'sm3', hash.slice(0, 2), hash.slice(2, 4), hash);
    expect(existsSync(file)).toBe(true);
    expect(modeOf(file)).toBe(0o600);
    for (const dir of [root, join(root, '.tmp'), join(root, 'sm3'), dirname(dirname(file)), dirname(file)]) {
      expect(modeOf(dir), dir).toBe(0o700);
    }
    expect(readdirSync(join(root, '.tmp'))).toEqual([]);
  });

  it('never shows a half-written object under its final name', async () => {
    const root = join(tempDir('crash'), 'blobs');
    const seen: { tempSize: number; finalExists: boolean; tempDir: string }[] = [];
    const crashing = new DiskBlobDriver(root, {
      beforeRename: (temp, final) => {
        seen.push({ tempSize: statSync(temp).size, finalExists: existsSync(final), tempDir: dirname(temp) });
        throw new Error('simulated crash before rename');
      },
    });
    const keyring = new Keyring(randomBytes(32));
    const bytes = randomBytes(50_000);
    const store = new BlobStore(crashing, keyring);
    await rejectsWith(store.put(bytes, { hashAlgorithm: 'sm3' }), 'STORAGE_UNAVAILABLE');
    // The whole object was in the temporary file, and nothing under the final name.
    expect(seen).toHaveLength(1);
    expect(seen[0]!.tempSize).toBeGreaterThan(bytes.length);
    expect(seen[0]!.finalExists).toBe(false);
    expect(seen[0]!.tempDir).toBe(join(root, '.tmp'));
    const hash = digestHex('sm3', bytes);
    expect(existsSync(join(root, 'sm3', hash.slice(0, 2), hash.slice(2, 4), hash))).toBe(false);
    expect(readdirSync(join(root, '.tmp'))).toEqual([]); // the failed put cleaned up after itself
    expect(await store.has(hash)).toBe(false);
    expect(await store.verify(hash)).toBe('missing');

    // A working driver on the same root then stores it normally.
    const ok = new BlobStore(new DiskBlobDriver(root), keyring);
    expect(await ok.put(bytes, { hashAlgorithm: 'sm3' })).toMatchObject({ existed: false });
    expect(await ok.get(hash)).toEqual(bytes);
  });

  it('ignores temporary files left by a crash and sweeps stale ones at start', async () => {
    const root = join(tempDir('leftover'), 'blobs');
    mkdirSync(join(root, '.tmp'), { recursive: true, mode: 0o700 });
    const stale = join(root, '.tmp', 'deadbeef.tmp');
    const fresh = join(root, '.tmp', 'cafebabe.tmp'); // maybe another process writing right now
    writeFileSync(stale, 'half an object');
    writeFileSync(fresh, 'half an object');
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(stale, old, old);

    const driver = new DiskBlobDriver(root);
    const store = new BlobStore(driver, new Keyring(randomBytes(32)));
    const put = await store.put(Buffer.from('page'), { hashAlgorithm: 'sm3' });
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(await collect(driver.list())).toEqual([blobKey(put.hash, 'sm3')]);
    expect(await driver.sweepTemp(0)).toBe(1);
    expect(readdirSync(join(root, '.tmp'))).toEqual([]);
  });

  it('keeps every path inside the root', async () => {
    const base = tempDir('escape');
    const root = join(base, 'blobs');
    const driver = new DiskBlobDriver(root);
    expect(driver.pathFor('sm3/ab/cd/x')).toBe(join(root, 'sm3', 'ab', 'cd', 'x'));
    for (const key of ['../outside', 'a/../../outside', '/tmp/outside']) {
      expect(() => driver.pathFor(key)).toThrow(StorageError);
      await rejectsWith(driver.put(key, Buffer.from('x')), 'BLOB_BAD_KEY');
    }
    expect(readdirSync(base)).toEqual([]); // nothing written anywhere, not even the root
  });

  it('stores nothing readable as plaintext on disk', async () => {
    const root = join(tempDir('plain'), 'blobs');
    const store = new BlobStore(new DiskBlobDriver(root), new Keyring(randomBytes(32)));
    const text = Buffer.from('姓名：张三；出生年月：1970.01；籍贯：北京'.repeat(20));
    const { hash } = await store.put(text, { hashAlgorithm: 'sha256' });
    const onDisk = readFileSync(join(root, 'sha256', hash.slice(0, 2), hash.slice(2, 4), hash));
    expect(onDisk.includes(Buffer.from('张三'))).toBe(false);
    expect(onDisk.includes(Buffer.from('籍贯'))).toBe(false);
  });

  it('reports an unusable root as STORAGE_UNAVAILABLE', async () => {
    const base = tempDir('unusable');
    writeFileSync(join(base, 'file'), 'not a directory');
    const driver = new DiskBlobDriver(join(base, 'file', 'blobs'));
    await rejectsWith(driver.check(), 'STORAGE_UNAVAILABLE');
    const store = new BlobStore(driver, new Keyring(randomBytes(32)));
    const error = await rejectsWith(store.put(Buffer.from('x'), { hashAlgorithm: 'sm3' }), 'STORAGE_UNAVAILABLE');
    expect(error.message).not.toContain(base); // no paths in the user-facing message
  });
});

describe('createBlobStore and storageConfigFromEnv', () => {
  it('defaults to disk under the data directory', () => {
    expect(storageConfigFromEnv({}, '/srv/dangan/data')).toEqual({ kind: 'disk', root: '/srv/dangan/data/blobs' });
    expect(storageConfigFromEnv({ DANGAN_STORAGE: 'disk', DANGAN_STORAGE_DIR: '/mnt/nas/dangan' }, '/srv/data')).toEqual({
      kind: 'disk',
      root: '/mnt/nas/dangan',
    });
  });

  it('reads the S3 settings and names what is missing', () => {
    const env = {
      DANGAN_STORAGE: 's3',
      DANGAN_S3_ENDPOINT: 'http://10.0.0.5:9000',
      DANGAN_S3_BUCKET: 'dangan',
      DANGAN_S3_ACCESS_KEY: 'ak',
      DANGAN_S3_SECRET_KEY: 'sk',
    };
    expect(storageConfigFromEnv(env, '/data')).toEqual({
      kind: 's3',
      endpoint: 'http://10.0.0.5:9000',
      region: 'us-east-1',
      bucket: 'dangan',
      accessKeyId: 'ak',
      secretAccessKey: 'sk',
      forcePathStyle: true,
    });
    expect(storageConfigFromEnv({ ...env, DANGAN_S3_REGION: 'cn-north-1', DANGAN_S3_FORCE_PATH_STYLE: 'false' }, '/d')).toMatchObject({
      region: 'cn-north-1',
      forcePathStyle: false,
    });
    expect(() => storageConfigFromEnv({ ...env, DANGAN_S3_BUCKET: '' }, '/d')).toThrow('DANGAN_S3_BUCKET');
    expect(() => storageConfigFromEnv({ ...env, DANGAN_S3_SECRET_KEY: undefined }, '/d')).toThrow('DANGAN_S3_SECRET_KEY');
    expect(() => storageConfigFromEnv({ ...env, DANGAN_S3_ENDPOINT: 'ftp://x' }, '/d')).toThrow('DANGAN_S3_ENDPOINT');
    expect(() => storageConfigFromEnv({ DANGAN_STORAGE: 'nfs' }, '/d')).toThrow('DANGAN_STORAGE');
  });

  it('builds a working store from the config', async () => {
    const dataDir = tempDir('factory');
    const keyring = new Keyring(randomBytes(32));
    const store = createBlobStore({ dataDir, keyring, driver: storageConfigFromEnv({}, dataDir) });
    expect(store.cipher).toBe('sm4');
    const { hash } = await store.put(Buffer.from('page'), { hashAlgorithm: 'sm3' });
    expect(existsSync(join(dataDir, 'blobs', 'sm3', hash.slice(0, 2), hash.slice(2, 4), hash))).toBe(true);
    const gcm = createBlobStore({ dataDir, keyring, cipher: 'aes-256-gcm', driver: { kind: 'disk' } });
    expect((await gcm.get(hash)).toString()).toBe('page');
  });
});

describe('Keyring.wrapKey', () => {
  it.each(['sm4', 'aes-256-gcm'] as const)('%s: opens only with the same master key and context', (scheme) => {
    const master = randomBytes(32);
    const keyring = new Keyring(master);
    const dataKey = randomBytes(48);
    const context = Buffer.from('header bytes');
    const wrapped = keyring.wrapKey(dataKey, scheme, context);
    expect(wrapped.includes(dataKey.subarray(0, 16))).toBe(false);
    expect(keyring.unwrapKey(wrapped, scheme, context)).toEqual(dataKey);
    expect(new Keyring(Buffer.from(master)).unwrapKey(wrapped, scheme, context)).toEqual(dataKey);
    expect(new Keyring(randomBytes(32)).unwrapKey(wrapped, scheme, context)).toBeNull();
    expect(keyring.unwrapKey(wrapped, scheme, Buffer.from('other header'))).toBeNull();
    expect(keyring.unwrapKey(wrapped, scheme === 'sm4' ? 'aes-256-gcm' : 'sm4', context)).toBeNull();
    for (let i = 0; i < wrapped.length; i++) {
      const t = Buffer.from(wrapped);
      t[i] = t[i]! ^ 0x80;
      expect(keyring.unwrapKey(t, scheme, context)).toBeNull();
    }
    expect(keyring.unwrapKey(wrapped.subarray(0, 10), scheme, context)).toBeNull();
    // Sealing small secrets is unchanged.
    expect(keyring.open(keyring.seal('secret', 'ctx'), 'ctx')).toBe('secret');
  });
});
