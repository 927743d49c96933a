import { z } from 'zod';
import type { OcrLine } from '@dangan/ocr';
import type { Clock } from '../../platform/clock.js';
import type { DatabaseKind, Db, Executor } from '../../platform/db/connect.js';
import type { JobDefinition, JobQueue } from '../../platform/queue/queue.js';
import { SYSTEM_CONTEXT, type AuditLog } from '../audit/audit.log.js';
import { PAGE_PROCESS_JOB } from '../scans/page-process.job.js';
import { parseOps } from '../scans/scans.models.js';
import type { BlobPort } from '../scans/scans.ports.js';
import { scansRepository } from '../scans/scans.repository.js';
import { ocrPixels, OCR_ENGINE, type OcrPort } from './ocr.ports.js';
import { PAGE_OCR_JOB } from './ocr.keys.js';
import { ocrRepository } from './ocr.repository.js';

export { PAGE_OCR_JOB, ocrDedupeKey } from './ocr.keys.js';

/** The resolution the recogniser reads at (its models were trained on text of about this size). */
export const OCR_DPI = 150;
/** A character read with less confidence than this is marked for the proofreader. */
export const LOW_CONFIDENCE = 0.8;

const Payload = z.object({ pageId: z.string(), version: z.number().int().min(1) });

export interface StoredLine {
  text: string;
  /** [x, y, w, h] in master pixels. */
  box: [number, number, number, number];
  confidence: number;
  chars?: number[];
}

/** How well a set of lines reads: characters, those read confidently, and the mean confidence. */
export function readingQuality(lines: Array<Pick<OcrLine, 'text' | 'confidence' | 'chars'>>) {
  let chars = 0;
  let confident = 0;
  let low = 0;
  let sum = 0;
  for (const l of lines) {
    const conf = l.chars && l.chars.length > 0 ? l.chars : Array.from(l.text.replace(/\s/g, ''), () => l.confidence);
    for (const c of conf) {
      chars++;
      sum += c;
      if (c >= LOW_CONFIDENCE) confident++;
      else low++;
    }
  }
  return { chars, confident, low, mean: chars ? sum / chars : null };
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/**
 * The text step of one page: the processed master, scaled to about 150 dpi, through the OCR pool; the
 * lines (boxes in master pixels), the text and its confidences stored, and the ledger's `ocr_version`
 * set, in one transaction. Like the image step it never repeats a finished version and writes only
 * while the page still has the version it read.
 *
 * Orientation: when the page (not blank) reads badly, it is read turned 180°, 90° and 270° (the
 * quarter turns first when its lines stand upright; stopping at a turn that reads well); a turn that
 * reads clearly better (at least twice the confidently read characters, and 12) is recorded as the page's
 * rotation — a new version, processed again, audited as the system's — so image and text agree. A
 * rotation or crop someone set by hand is never overridden.
 */
export function pageOcrJob(deps: {
  db: Db;
  kind: DatabaseKind;
  clock: Clock;
  blobs: BlobPort;
  ocr: OcrPort;
  queue: JobQueue;
  audit: AuditLog;
  /** The page's text goes into the search index in the same transaction that stores it. */
  search: { indexPage(executor: Executor, pageId: string): Promise<void> };
}): JobDefinition<z.infer<typeof Payload>> {
  const { db, kind, clock, blobs, ocr, queue, audit, search } = deps;
  return {
    kind: PAGE_OCR_JOB,
    payload: Payload,
    maxAttempts: 3,
    async handle({ pageId, version }) {
      const pages = scansRepository(db, kind);
      const repo = ocrRepository(db, kind);
      const page = await pages.page(pageId);
      if (!page || page.deleted_at || page.version !== version || !page.master_blob_id) return;
      const status = await repo.status(pageId);
      if (!status || status.ocr_version >= version || status.processed_version < version) return;
      await repo.countRun(pageId);

      const master = await blobs.get(page.master_blob_id);
      const dpi = page.dpi && page.dpi > 0 ? page.dpi : 300;
      const scale = Math.min(1, OCR_DPI / dpi);
      const read = async (turn: 0 | 90 | 180 | 270) => ocr.recognize(await ocrPixels(master, scale, turn));
      const lines = await read(0);
      const quality = readingQuality(lines);

      const ops = parseOps(page.ops);
      const handSet = ops.rotation !== undefined || (ops.cropBox !== undefined && ops.cropBox !== null);
      const poor = quality.chars < 8 || (quality.mean ?? 0) < 0.75 || quality.confident < quality.chars * 0.6;
      if (!handSet && page.blank !== 1 && poor) {
        // Lines standing upright (or big blobs where lines were merged) suggest a quarter turn.
        const upright = lines.filter((l) => l.box[3] > 1.5 * l.box[2]).length;
        const turns: Array<90 | 180 | 270> = upright > 0 && upright * 2 >= lines.length ? [90, 270, 180] : [180, 90, 270];
        const need = Math.max(12, quality.confident * 2);
        let best: { turn: 90 | 180 | 270; confident: number } | null = null;
        for (const turn of turns) {
          const q = readingQuality(await read(turn));
          if (q.confident >= need && (!best || q.confident > best.confident)) best = { turn, confident: q.confident };
          // A turn that reads well needs no comparison with the others.
          if (best && (q.mean ?? 0) >= 0.85 && q.confident >= need) break;
        }
        if (best) {
          await turnPage(page, best.turn, { before: quality, after: best.confident });
          return;
        }
      }

      const stored: StoredLine[] = lines.map((l) => ({
        text: l.text,
        box: [Math.round(l.box[0] / scale), Math.round(l.box[1] / scale), Math.round(l.box[2] / scale), Math.round(l.box[3] / scale)],
        confidence: round3(l.confidence),
        ...(l.chars ? { chars: l.chars.map(round3) } : {}),
      }));
      const now = clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
        const current = await scansRepository(trx, kind).page(pageId);
        if (!current || current.deleted_at || current.version !== version) return;
        const r = ocrRepository(trx, kind);
        // A proofreader's corrections survive a new reading of the page: re-applied, in order, to the line
        // that reads as it did before it was corrected. The history keeps any that no longer fit.
        const edits = await trx.selectFrom('page_text_edits').select(['before', 'after']).where('page_id', '=', pageId).orderBy('edited_at').orderBy('id').execute();
        const final: Array<StoredLine & { edited?: boolean }> = stored.map((l) => ({ ...l }));
        for (const e of edits) {
          const i = final.findIndex((l) => l.text === e.before);
          if (i >= 0) final[i] = { ...final[i]!, text: e.after, confidence: 1, chars: Array.from(e.after, () => 1), edited: true };
        }
        const reapplied = final.some((l) => l.edited);
        const low = reapplied ? final.reduce((n, l) => n + (l.chars ?? []).filter((c) => c < 0.8).length, 0) : quality.low;
        await r.upsertText({
          page_id: pageId, version, engine: OCR_ENGINE, lines: JSON.stringify(final), text: final.map((l) => l.text).join('\n'),
          mean_confidence: quality.mean === null ? null : round3(quality.mean), low_confidence_chars: low, edited: reapplied ? 1 : 0,
          created_at: now, updated_at: now,
        });
        await r.markRead(pageId, version, now);
        await search.indexPage(trx, pageId);
      });
    },
  };

  /** The OCR's verdict on orientation, recorded like a hand correction (version + 1, processed again). */
  async function turnPage(
    page: { id: string; version: number; ops: string; rotation: number | null; dossier_id: string; file_name: string },
    turn: 90 | 180 | 270,
    evidence: { before: ReturnType<typeof readingQuality>; after: number },
  ): Promise<void> {
    const before = parseOps(page.ops);
    const rotation = (((page.rotation ?? 0) + turn) % 360) as 0 | 90 | 180 | 270;
    const after = { ...before, rotation };
    const version = page.version + 1;
    const now = clock.now().toISOString();
    const turned = await db.transaction().execute(async (trx) => {
      const r = scansRepository(trx, kind);
      await r.lockDossier(page.dossier_id);
      const written = await r.updatePageAtVersion(page.id, page.version, {
        ops: JSON.stringify(after), version, status: 'pending', error_code: null, error_message: null, updated_at: now,
      });
      if (!written) return false;
      await queue.enqueue(trx, PAGE_PROCESS_JOB, { pageId: page.id, version }, { dedupeKey: `${PAGE_PROCESS_JOB}:${page.id}:${version}`, priority: 10 });
      const dossier = await trx.selectFrom('dossiers').select('dossier_no').where('id', '=', page.dossier_id).executeTakeFirst();
      await audit.append(trx, SYSTEM_CONTEXT, {
        action: 'page.auto_rotate', objectType: 'page', objectId: page.id, objectLabel: `${dossier?.dossier_no ?? ''}·${page.file_name}`,
        detail: {
          before, after, version, turn,
          reason: 'ocr', confidentCharsBefore: evidence.before.confident, confidentCharsAfter: evidence.after,
          meanConfidenceBefore: evidence.before.mean === null ? null : round3(evidence.before.mean),
        },
      });
      return true;
    });
    if (turned) setImmediate(() => queue.notify());
  }
}
