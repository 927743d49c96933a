import type { PageText } from '@dangan/contracts';
import { compareClassCodes, type ClassCode } from '@dangan/domain';
import type { DatabaseKind, Db } from '../../platform/db/connect.js';
import { notFound } from '../../platform/errors.js';
import type { AccessService } from '../access/access.js';
import type { Actor } from '../access/actor.js';
import type { AuditLog } from '../audit/audit.log.js';
import type { BlobPort } from '../scans/scans.ports.js';
import { scansRepository } from '../scans/scans.repository.js';
import type { StoredLine } from './ocr.job.js';
import { renderSearchablePdf, type PdfPage } from './ocr.pdf.js';
import { ocrRepository } from './ocr.repository.js';

export interface PdfExport {
  bytes: Buffer;
  /** File name for the download (Chinese). */
  name: string;
}

/** A page's recognised text, and materials and dossiers as searchable PDFs. */
export class OcrService {
  constructor(
    private readonly db: Db,
    private readonly kind: DatabaseKind,
    private readonly audit: AuditLog,
    private readonly access: AccessService,
    private readonly blobs: BlobPort,
  ) {}

  async text(actor: Actor, pageId: string): Promise<PageText> {
    const p = actor.permissions;
    const scope = await this.access.scope(actor, p.has('scan.ingest') ? 'scan.ingest' : p.has('scan.link') ? 'scan.link' : 'qc.inspect');
    const pages = scansRepository(this.db, this.kind);
    const page = await pages.page(pageId);
    if (!page || page.deleted_at) throw notFound('PAGE_NOT_FOUND', '页面不存在或已删除');
    if (!(await pages.dossier(scope, page.dossier_id))) throw notFound('PAGE_NOT_FOUND', '页面不存在或不在您的数据范围内');
    const row = await ocrRepository(this.db, this.kind).text(pageId);
    if (!row) throw notFound('PAGE_TEXT_NOT_READY', '该页的文字尚未识别完成');
    return {
      pageId, version: row.version, lines: JSON.parse(row.lines) as StoredLine[], text: row.text,
      meanConfidence: row.mean_confidence === null ? null : Number(row.mean_confidence), lowConfidenceChars: Number(row.low_confidence_chars),
      edited: Number(row.edited) === 1,
    };
  }

  async materialPdf(actor: Actor, materialId: string): Promise<PdfExport> {
    const scope = await this.access.scope(actor, 'dossier.read');
    const repo = ocrRepository(this.db, this.kind);
    const material = await repo.material(materialId);
    if (!material || material.deleted_at) throw notFound('MATERIAL_NOT_FOUND', '材料不存在');
    const dossier = await scansRepository(this.db, this.kind).dossier(scope, material.dossier_id);
    if (!dossier) throw notFound('MATERIAL_NOT_FOUND', '材料不存在或不在您的数据范围内');
    const pages = await this.pdfPages([material.id]);
    const bytes = await renderSearchablePdf(pages, { title: `${dossier.dossier_no} ${dossier.cadre_name} ${material.name}` });
    await this.audit.record(actor.audit, {
      action: 'material.pdf.export', objectType: 'material', objectId: material.id, objectLabel: `${dossier.dossier_no}·${material.name}`,
      detail: { pages: pages.length },
    });
    return { bytes, name: `${dossier.cadre_name}-${dossier.dossier_no}-${material.name}.pdf` };
  }

  async dossierPdf(actor: Actor, dossierId: string): Promise<PdfExport> {
    const scope = await this.access.scope(actor, 'dossier.read');
    const dossier = await scansRepository(this.db, this.kind).dossier(scope, dossierId);
    if (!dossier) throw notFound('DOSSIER_NOT_FOUND', '档案不存在或不在您的数据范围内');
    const materials = (await ocrRepository(this.db, this.kind).materialsOfDossier(dossier.id)).sort(
      (a, b) => compareClassCodes(a.class_code as ClassCode, b.class_code as ClassCode) || a.piece_no - b.piece_no,
    );
    const pages = await this.pdfPages(materials.map((m) => m.id));
    const bytes = await renderSearchablePdf(pages, { title: `${dossier.dossier_no} ${dossier.cadre_name}` });
    await this.audit.record(actor.audit, {
      action: 'dossier.pdf.export', objectType: 'dossier', objectId: dossier.id, objectLabel: `${dossier.dossier_no}（${dossier.cadre_name}）`,
      detail: { materials: materials.length, pages: pages.length },
    });
    return { bytes, name: `${dossier.cadre_name}-${dossier.dossier_no}.pdf` };
  }

  /** The processed pages of the materials, in order; a page not yet processed has no image to show. */
  private async pdfPages(materialIds: string[]): Promise<PdfPage[]> {
    const repo = ocrRepository(this.db, this.kind);
    const out: PdfPage[] = [];
    for (const id of materialIds) {
      for (const p of await repo.pdfPagesOfMaterial(id)) {
        if (!p.master_blob_id) continue;
        const blobId = p.master_blob_id;
        out.push({ master: () => this.blobs.get(blobId), dpi: p.dpi ?? 300, lines: p.lines ? (JSON.parse(p.lines) as StoredLine[]) : [] });
      }
    }
    if (out.length === 0) throw notFound('PDF_NO_PAGES', '没有已处理完成的页面，无法导出 PDF');
    return out;
  }
}
