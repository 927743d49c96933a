import { join, resolve } from 'node:path';
import type { Keyring } from '../crypto/keyring.js';
import { BlobStore } from './blob-store.js';
import { DiskBlobDriver } from './disk-driver.js';
import type { BlobDriver } from './driver.js';
import type { BlobCipher } from './format.js';
import { S3BlobDriver, type S3DriverOptions } from './s3-driver.js';

export type StorageDriverConfig = { kind: 'disk'; root?: string } | ({ kind: 's3' } & S3DriverOptions);

export interface StorageConfig {
  dataDir: string;
  keyring: Keyring;
  /** Default 'sm4'. */
  cipher?: BlobCipher;
  driver: StorageDriverConfig;
  maxBytes?: number;
}

export function createBlobDriver(dataDir: string, driver: StorageDriverConfig): BlobDriver {
  if (driver.kind === 'disk') return new DiskBlobDriver(resolve(dataDir, driver.root ?? 'blobs'));
  const { kind: _kind, ...s3 } = driver;
  return new S3BlobDriver(s3);
}

export function createBlobStore(config: StorageConfig): BlobStore {
  return new BlobStore(createBlobDriver(config.dataDir, config.driver), config.keyring, {
    cipher: config.cipher,
    maxBytes: config.maxBytes,
  });
}

/**
 * The driver from the environment:
 *   DANGAN_STORAGE=disk (default) | s3
 *   DANGAN_STORAGE_DIR        disk root, relative to the data directory (default `blobs`); a NAS mount works
 *   DANGAN_S3_ENDPOINT        e.g. http://10.0.0.5:9000 (optional for AWS itself)
 *   DANGAN_S3_REGION          default us-east-1
 *   DANGAN_S3_BUCKET, DANGAN_S3_ACCESS_KEY, DANGAN_S3_SECRET_KEY   required for s3
 *   DANGAN_S3_FORCE_PATH_STYLE  true (default when an endpoint is set) | false
 * Throws a Chinese message naming the variable for anything missing or malformed.
 */
export function storageConfigFromEnv(env: NodeJS.ProcessEnv, dataDir: string): StorageDriverConfig {
  const kind = (env.DANGAN_STORAGE || 'disk').trim().toLowerCase();
  if (kind === 'disk') {
    const root = env.DANGAN_STORAGE_DIR?.trim();
    return { kind: 'disk', root: root ? resolve(dataDir, root) : join(resolve(dataDir), 'blobs') };
  }
  if (kind !== 's3') throw new Error(`环境变量 DANGAN_STORAGE 须为 disk 或 s3，当前为「${env.DANGAN_STORAGE}」`);
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) throw new Error(`使用 S3 存储（DANGAN_STORAGE=s3）时须设置环境变量 ${name}`);
    return value;
  };
  const endpoint = env.DANGAN_S3_ENDPOINT?.trim() || undefined;
  if (endpoint) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new Error(`环境变量 DANGAN_S3_ENDPOINT 不是有效的地址：「${endpoint}」`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`环境变量 DANGAN_S3_ENDPOINT 须以 http:// 或 https:// 开头：「${endpoint}」`);
    }
  }
  const pathStyle = env.DANGAN_S3_FORCE_PATH_STYLE?.trim().toLowerCase();
  if (pathStyle && pathStyle !== 'true' && pathStyle !== 'false') {
    throw new Error(`环境变量 DANGAN_S3_FORCE_PATH_STYLE 须为 true 或 false，当前为「${env.DANGAN_S3_FORCE_PATH_STYLE}」`);
  }
  return {
    kind: 's3',
    endpoint,
    region: env.DANGAN_S3_REGION?.trim() || 'us-east-1',
    bucket: required('DANGAN_S3_BUCKET'),
    accessKeyId: required('DANGAN_S3_ACCESS_KEY'),
    secretAccessKey: required('DANGAN_S3_SECRET_KEY'),
    forcePathStyle: pathStyle ? pathStyle === 'true' : endpoint !== undefined,
  };
}
