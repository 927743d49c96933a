import { inspectFile, sniffFormat, type ImagingPool } from '@dangan/imaging';
import type { HashAlgorithm } from '../../platform/crypto/hash.js';
import type { BlobStore } from '../../platform/storage/blob-store.js';
import type { BlobCipher } from '../../platform/storage/format.js';
import type { BlobPort, ImagingPort } from './scans.ports.js';

/** Blob ids in the database are `<algorithm>:<hex>`; the store keys by both parts. */
export function blobPort(store: BlobStore, cipher: () => Promise<BlobCipher>): BlobPort {
  return {
    async put(bytes, algorithm) {
      // New objects use the cipher the security officer set; objects name their own, so old ones stay readable.
      store.cipher = await cipher();
      const r = await store.put(bytes, { hashAlgorithm: algorithm });
      return { id: `${r.algorithm}:${r.hash}`, existed: r.existed };
    },
    async get(id) {
      const i = id.indexOf(':');
      return store.get(id.slice(i + 1), id.slice(0, i) as HashAlgorithm);
    },
  };
}

/**
 * Inspection decodes every page once to catch damage. Raster files are decoded by libvips on libuv's
 * threads, which leaves the event loop free, so they are inspected here at once rather than queued behind
 * page processing; PDFs (pdf.js decodes in JavaScript) go to the pool's threads. Processing runs on the pool.
 */
export function imagingPort(pool: ImagingPool): ImagingPort {
  return {
    inspect: (bytes, limits) => (sniffFormat(bytes) === 'pdf' ? pool.inspect(bytes, limits) : inspectFile(bytes, limits)),
    process: (bytes, pageIndex, limits, settings, ops) => pool.process({ bytes, page: pageIndex, limits }, { minDpi: settings.minDpi, ops }),
  };
}
