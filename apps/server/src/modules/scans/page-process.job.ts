import { z } from 'zod';
import type { Clock } from '../../platform/clock.js';
import type { HashAlgorithm } from '../../platform/crypto/hash.js';
import type { DatabaseKind, Db } from '../../platform/db/connect.js';
import { bool } from '../../platform/db/dialect.js';
import type { JobDefinition, JobQueue } from '../../platform/queue/queue.js';
import { PermanentJobError } from '../../platform/queue/runner.js';
import { ocrDedupeKey, PAGE_OCR_JOB } from '../ocr/ocr.keys.js';
import type { SettingsService } from '../settings/settings.service.js';
import { parseOps } from './scans.models.js';
import { codedFailure, type BlobPort, type ImagingPort, type ScanLimits } from './scans.ports.js';
import { scansRepository } from './scans.repository.js';

export const PAGE_PROCESS_JOB = 'page.process';

const Payload = z.object({ pageId: z.string(), version: z.number().int().min(1) });

/**
 * The image-processing step of one page: original → upright, deskewed, cropped, despeckled master,
 * web view and thumbnail, with every measure. The page's status row says which version of its
 * operations was processed, so a resumed job never repeats a finished step; a result is written only
 * if the page still has the version it was made for (a newer hand correction wins).
 */
export function pageProcessJob(deps: {
  db: Db;
  kind: DatabaseKind;
  clock: Clock;
  settings: SettingsService;
  blobs: BlobPort;
  imaging: ImagingPort;
  /** Where the page's next step (OCR) is queued, with the processing result. */
  queue: JobQueue;
}): JobDefinition<z.infer<typeof Payload>> {
  const { db, kind, clock, settings, blobs, imaging, queue } = deps;
  return {
    kind: PAGE_PROCESS_JOB,
    payload: Payload,
    maxAttempts: 3,
    async handle({ pageId, version }) {
      const repo = scansRepository(db, kind);
      const page = await repo.page(pageId);
      if (!page || page.deleted_at || page.version !== version) return;
      const status = await repo.status(pageId);
      if (status && status.processed_version >= version) return;

      await repo.updatePageAtVersion(pageId, version, { status: 'processing' });
      await repo.countRun(pageId);
      const limits: ScanLimits = {
        maxBytes: (await settings.get('scan.maxFileMB')) * 1024 * 1024,
        pixelLimit: (await settings.get('scan.pixelLimit')) * 1_000_000,
      };
      const minDpi = await settings.get('scan.minDpi');
      const algorithm = (await settings.get('audit.hashAlgorithm')) as HashAlgorithm;

      let result;
      try {
        const original = await blobs.get(page.original_blob_id);
        result = await imaging.process(original, page.source_page - 1, limits, { minDpi }, parseOps(page.ops));
      } catch (err) {
        const failure = codedFailure(err);
        if (!failure) throw err;
        await repo.updatePageAtVersion(pageId, version, {
          status: 'failed', error_code: failure.code, error_message: failure.message, updated_at: clock.now().toISOString(),
        });
        throw new PermanentJobError(failure.code, failure.message);
      }

      const [master, web, thumb] = [
        await blobs.put(result.master, algorithm),
        await blobs.put(result.web, algorithm),
        await blobs.put(result.thumb, algorithm),
      ];
      const now = clock.now().toISOString();
      const a = result.analysis;
      const edgeCut = a.edgeContent.top || a.edgeContent.right || a.edgeContent.bottom || a.edgeContent.left;
      const written = await db.transaction().execute(async (trx) => {
        const r = scansRepository(trx, kind);
        const hashOf = (id: string) => id.slice(id.indexOf(':') + 1);
        await r.insertBlob({ id: master.id, algorithm, hash: hashOf(master.id), size: result.master.length, kind: 'master', format: 'jpeg', created_at: now });
        await r.insertBlob({ id: web.id, algorithm, hash: hashOf(web.id), size: result.web.length, kind: 'web', format: 'jpeg', created_at: now });
        await r.insertBlob({ id: thumb.id, algorithm, hash: hashOf(thumb.id), size: result.thumb.length, kind: 'thumb', format: 'jpeg', created_at: now });
        const { steps, ...analysis } = a;
        const written = await r.updatePageAtVersion(pageId, version, {
          master_blob_id: master.id, web_blob_id: web.id, thumb_blob_id: thumb.id,
          analysis: JSON.stringify(analysis), steps: JSON.stringify(steps), status: 'processed', error_code: null, error_message: null,
          skew_deg: a.skewDeg, rotation: a.rotation, blank: bool(a.blank), blurry: bool(a.blurry), blur_score: a.blurScore,
          dpi: Math.round(a.dpi), dpi_low: bool(a.dpiLow), color_mode: a.colorMode, edge_cut: bool(edgeCut), phash: a.perceptualHash,
          processed_at: now, updated_at: now,
        });
        if (!written) return false;
        await r.markProcessed(pageId, version, now);
        await queue.enqueue(trx, PAGE_OCR_JOB, { pageId, version }, { dedupeKey: ocrDedupeKey(pageId, version) });
        return true;
      });
      if (written) setImmediate(() => queue.notify());
    },
  };
}
