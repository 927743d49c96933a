import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { BlobDriver } from './driver.js';
import { validateKey, validatePrefix } from './driver.js';
import { StorageError, unavailable } from './errors.js';

export interface S3DriverOptions {
  /** e.g. `https://oss.example.gov.cn` or `http://127.0.0.1:9000`; omit for AWS itself. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `https://host/bucket/key` instead of `https://bucket.host/key`; most self-hosted stores need it. */
  forcePathStyle?: boolean;
  /** Attempts per request, retries included (default 3). */
  maxAttempts?: number;
}

function status(e: unknown): number | undefined {
  return (e as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

function isNotFound(e: unknown): boolean {
  const name = (e as { name?: string } | undefined)?.name;
  if (name === 'NoSuchBucket') return false;
  return name === 'NoSuchKey' || name === 'NotFound' || status(e) === 404;
}

/**
 * Objects in an S3-compatible bucket. Only PutObject, GetObject, HeadObject, DeleteObject and ListObjectsV2 are
 * used, with plain Content-MD5 for transfer integrity and the SDK's newer (CRC) checksums switched off, since
 * many S3-compatible stores do not support them. A PutObject is atomic by S3's own semantics.
 */
export class S3BlobDriver implements BlobDriver {
  readonly kind = 's3';
  readonly bucket: string;
  private readonly client: S3Client;

  constructor(options: S3DriverOptions) {
    this.bucket = options.bucket;
    this.client = new S3Client({
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      region: options.region,
      forcePathStyle: options.forcePathStyle ?? false,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      maxAttempts: options.maxAttempts ?? 3,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    validateKey(key);
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: data,
          ContentLength: data.length,
          ContentMD5: createHash('md5').update(data).digest('base64'),
          ContentType: 'application/octet-stream',
        }),
      );
    } catch (e) {
      throw unavailable(key, e);
    }
  }

  async get(key: string): Promise<Buffer | null> {
    validateKey(key);
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const body = res.Body as AsyncIterable<Uint8Array> | undefined;
      if (!body) return Buffer.alloc(0);
      // Collect into one buffer of the announced size: one copy in memory, not chunks plus their concatenation.
      const length = res.ContentLength;
      if (length === undefined) {
        const chunks: Buffer[] = [];
        for await (const chunk of body) chunks.push(Buffer.from(chunk));
        return Buffer.concat(chunks);
      }
      const out = Buffer.allocUnsafe(length);
      let offset = 0;
      for await (const chunk of body) {
        if (offset + chunk.length > length) throw new Error('S3 response longer than its Content-Length');
        out.set(chunk, offset);
        offset += chunk.length;
      }
      if (offset !== length) throw new Error('S3 response shorter than its Content-Length');
      return out;
    } catch (e) {
      if (isNotFound(e)) return null;
      throw unavailable(key, e);
    }
  }

  async stat(key: string): Promise<{ size: number } | null> {
    validateKey(key);
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: res.ContentLength ?? 0 };
    } catch (e) {
      if (isNotFound(e)) return null;
      throw unavailable(key, e);
    }
  }

  async has(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  async delete(key: string): Promise<boolean> {
    // DeleteObject answers the same whether or not the object was there; HeadObject tells.
    const existed = await this.has(key);
    if (!existed) return false;
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (e) {
      throw unavailable(key, e);
    }
    return true;
  }

  async *list(prefix = ''): AsyncIterable<string> {
    validatePrefix(prefix);
    let token: string | undefined;
    do {
      let res;
      try {
        res = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix || undefined, ContinuationToken: token }),
        );
      } catch (e) {
        throw unavailable(undefined, e);
      }
      for (const item of res.Contents ?? []) if (item.Key) yield item.Key;
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, MaxKeys: 1 }));
    } catch (e) {
      throw new StorageError('STORAGE_UNAVAILABLE', undefined, undefined, { cause: e });
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
