import { createHash } from 'node:crypto';
import type { PrintLogRow } from '@dangan/contracts';
import sharp from 'sharp';
import { isUniqueViolation } from '../../platform/db/dialect.js';
import { conflict, forbidden, invalid } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Actor } from '../access/actor.js';
import type { StoredLine } from '../ocr/ocr.job.js';
import { ocrRepository } from '../ocr/ocr.repository.js';
import type { ModuleDeps } from '../project/project.deps.js';
import { printPdf, type PrintSheet } from './print.pdf.js';
import { readingRepository } from './reading.repository.js';
import type { GrantedMaterial, ReadingService } from './reading.service.js';
import { beijingMinute } from './watermark.js';

const PRINT_MODES = new Set(['print', 'excerpt']);
/** Printed pages carry the web rendition's full width. */
const PRINT_WIDTH = 1600;

export interface PrintResult {
  serialNo: string;
  bytes: Buffer;
  /** File name for a download (Chinese). */
  name: string;
}

/**
 * Printing where the grant allows it: the watermarked pages of granted materials as a PDF with a
 * serial number (DY{year}-{000001}), counted against the grant's limit in the same transaction that
 * records the print, so neither concurrency nor a failure can print past the limit. An excerpt grant
 * may instead download the same PDF made searchable (the pages' OCR text laid invisibly over them);
 * it is numbered, counted, logged and audited as a print, marked `searchable` in the audit detail.
 */
export class PrintService {
  constructor(
    private readonly deps: ModuleDeps,
    private readonly reading: ReadingService,
  ) {}

  async print(actor: Actor, sessionId: string, materialIds: string[]): Promise<PrintResult> {
    return this.produce(actor, sessionId, materialIds, false);
  }

  async exportSearchable(actor: Actor, sessionId: string, materialIds: string[]): Promise<PrintResult> {
    return this.produce(actor, sessionId, materialIds, true);
  }

  private async produce(actor: Actor, sessionId: string, materialIds: string[], searchable: boolean): Promise<PrintResult> {
    const { window, grant } = await this.reading.live(actor, sessionId);
    const repo = readingRepository(this.deps.db, this.deps.kind);
    const dossier = await repo.dossier(window.dossier_id);
    const label = `${dossier?.dossier_no ?? ''}（${dossier?.cadre_name ?? ''}）`;
    const refuse = async (reason: string, err: Error): Promise<never> => {
      await this.deps.audit.record(actor.audit, {
        action: 'reading.print', result: 'denied', objectType: 'dossier', objectId: window.dossier_id, objectLabel: label,
        detail: { requestNo: grant.requestNo, materialIds, reason, ...(searchable ? { searchable } : {}) },
      });
      throw err;
    };
    if (searchable && grant.mode !== 'excerpt') return refuse('mode', forbidden('EXPORT_NOT_GRANTED', '本次查阅授权不允许导出可检索 PDF'));
    if (!PRINT_MODES.has(grant.mode)) return refuse('mode', forbidden('PRINT_NOT_GRANTED', '本次查阅授权不允许打印'));
    const granted = await this.reading.grantedMaterials(grant);
    const wanted = new Set(materialIds);
    if ([...wanted].some((id) => !granted.some((m) => m.id === id))) {
      return refuse('not_granted', forbidden('NOT_GRANTED', '所选材料不在您的查阅授权范围内'));
    }
    const chosen = granted.filter((m) => wanted.has(m.id));
    const pages = chosen.flatMap((m) => m.pages);
    if (pages.length === 0 || pages.some((p) => !p.web_blob_id)) {
      throw invalid('PRINT_NO_PAGES', '所选材料尚无可打印的页面图像', { materialIds: '所选材料没有已处理的页面' });
    }
    const limitError = (used: number, limit: number) => conflict('PRINT_LIMIT', `打印次数已用完（已打印 ${used} 次，上限 ${limit} 次）`);
    if (grant.printsUsed >= grant.printLimit) return refuse('limit', limitError(grant.printsUsed, grant.printLimit));

    const now = this.deps.clock.now();
    const sheets = await this.sheets(chosen, await this.reading.watermarkFor(actor, grant, now), searchable);
    const year = Number(beijingMinute(now).slice(0, 4));
    const at = now.toISOString();
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.deps.db.transaction().execute(async (trx) => {
          const r = readingRepository(trx, this.deps.kind);
          if (!(await r.takePrint(grant.requestId, at))) return null;
          const seq = await r.nextPrintSeq(year);
          const serialNo = `DY${year}-${String(seq).padStart(6, '0')}`;
          const bytes = await printPdf(
            { serialNo, requestNo: grant.requestNo, reader: actor.displayName, time: beijingMinute(now), dossierNo: dossier?.dossier_no ?? '' },
            sheets,
          );
          const sha256 = createHash('sha256').update(bytes).digest('hex');
          await r.insertPrint({
            id: newId(), serial_no: serialNo, year, seq, request_id: grant.requestId, user_id: actor.userId, dossier_id: window.dossier_id,
            material_ids: JSON.stringify(chosen.map((m) => m.id)), page_count: sheets.length, sha256, client_ip: actor.audit.clientIp, created_at: at,
          });
          await this.deps.audit.append(trx, actor.audit, {
            action: 'reading.print', objectType: 'dossier', objectId: window.dossier_id, objectLabel: label,
            detail: {
              serialNo, requestNo: grant.requestNo, materials: chosen.map((m) => m.name), pages: sheets.length, sha256, ...(searchable ? { searchable } : {}),
            },
          });
          return { serialNo, bytes, name: searchable ? `${dossier?.cadre_name ?? ''}-${dossier?.dossier_no ?? ''}-${serialNo}.pdf` : `${serialNo}.pdf` };
        });
        if (result) return result;
        const state = await repo.requestState(grant.requestId);
        return refuse('limit', limitError(state?.prints_used ?? grant.printsUsed, state?.print_limit ?? grant.printLimit));
      } catch (err) {
        // Two prints numbered at once: the unique serial refuses one, which takes the next number.
        if (attempt < 4 && isUniqueViolation(err)) continue;
        throw err;
      }
    }
  }

  /** The materials' pages watermarked for the reader, each with its OCR lines when the PDF is to be searchable. */
  private async sheets(materials: GrantedMaterial[], watermark: string, searchable: boolean): Promise<PrintSheet[]> {
    const ocr = ocrRepository(this.deps.db, this.deps.kind);
    const sheets: PrintSheet[] = [];
    for (const m of materials) {
      const texts = new Map(searchable ? (await ocr.pdfPagesOfMaterial(m.id)).map((p) => [p.id, p] as const) : []);
      for (const p of m.pages) {
        const image = (await this.reading.watermarks.page(await this.deps.blobs.get(p.web_blob_id!), PRINT_WIDTH, watermark)).bytes;
        const known = texts.get(p.id);
        const text = known ? await this.textLayer(known.master_blob_id, known.lines) : undefined;
        sheets.push(text ? { image, text } : { image });
      }
    }
    return sheets;
  }

  /**
   * A page's OCR lines with its master's width: the boxes are in master pixels, and the web rendition
   * the sheet shows is a uniform downscale of the master, so the width alone maps them onto the sheet.
   */
  private async textLayer(masterBlobId: string | null, lines: string | null): Promise<PrintSheet['text']> {
    const parsed = lines ? (JSON.parse(lines) as StoredLine[]) : [];
    if (!masterBlobId || parsed.length === 0) return undefined;
    const { width } = await sharp(await this.deps.blobs.get(masterBlobId)).metadata();
    return width ? { lines: parsed, masterWidth: width } : undefined;
  }

  async log(actor: Actor, query: { page: number; pageSize: number; requestId?: string | undefined; userId?: string | undefined }) {
    const scope = await this.deps.access.scope(actor, 'use.manage');
    const repo = readingRepository(this.deps.db, this.deps.kind);
    const { rows, total } = await repo.prints(scope, query, query.page, query.pageSize);
    const names = await repo.materialNames(rows.flatMap((r) => JSON.parse(r.material_ids) as string[]));
    const items: PrintLogRow[] = rows.map((r) => ({
      id: r.id, serialNo: r.serial_no, createdAt: r.created_at, reader: { id: r.user_id, name: r.display_name }, requestId: r.request_id,
      requestNo: r.request_no, dossierId: r.dossier_id, dossierNo: r.dossier_no, cadreName: r.cadre_name,
      materials: (JSON.parse(r.material_ids) as string[]).map((id) => names.get(id) ?? id), pageCount: r.page_count, sha256: r.sha256,
      clientIp: r.client_ip,
    }));
    return { items, total };
  }
}
