import { PROOFREAD_LINE_MAX, type PageText, type PageTextEdit } from '@dangan/contracts';
import type { Clock } from '../../platform/clock.js';
import type { DatabaseKind, Db, Executor } from '../../platform/db/connect.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { AccessService, Authorized, DataScope } from '../access/access.js';
import type { Actor } from '../access/actor.js';
import type { AuditLog } from '../audit/audit.log.js';
import { scansRepository } from '../scans/scans.repository.js';
import { SCAN_FROZEN_STATES } from '../scans/scans.service.js';
import type { SearchService } from '../search/search.service.js';
import { readingQuality, type StoredLine } from './ocr.job.js';
import { ocrRepository } from './ocr.repository.js';

/** Control characters (C0, DEL, C1) and the Unicode line/paragraph separators: a line is one line. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

type ProofreadLine = StoredLine & { edited?: boolean };

/**
 * Proofreading (校对): a person corrects one recognised line of a page. The line, the page's joined
 * text, the edit history, the audit event and the page's search document change in one transaction,
 * so search never disagrees with the saved text and a failed re-index leaves nothing half done (one
 * page is a few hundred characters: indexing it costs about as much as the edit itself).
 */
export class ProofreadService {
  constructor(
    private readonly db: Db,
    private readonly kind: DatabaseKind,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly access: AccessService,
    private readonly search: SearchService,
  ) {}

  async editLine(actor: Actor, pageId: string, index: number, raw: string): Promise<PageText> {
    const scope = await this.access.scope(actor, actor.permissions.has('scan.ingest') ? 'scan.ingest' : 'qc.inspect');
    const text = raw.trim();
    if (text.length > PROOFREAD_LINE_MAX) {
      throw invalid('LINE_TEXT_TOO_LONG', `一行文字不能超过 ${PROOFREAD_LINE_MAX} 个字符`, { text: `不能超过 ${PROOFREAD_LINE_MAX} 个字符` });
    }
    if (CONTROL.test(text)) throw invalid('LINE_TEXT_CONTROL_CHARS', '文字中不能含有换行、制表等控制字符', { text: '含有控制字符' });

    return this.db.transaction().execute(async (trx) => {
      const { page, dossier } = await this.pageInScope(trx, scope, pageId, true);
      if (SCAN_FROZEN_STATES.has(dossier.state)) throw conflict('DOSSIER_NOT_EDITABLE', '档案已移出或已封存，页面文字不能修改');
      const row = await ocrRepository(trx, this.kind).text(pageId);
      if (!row) throw notFound('PAGE_TEXT_NOT_READY', '该页的文字尚未识别完成');
      const lines = JSON.parse(row.lines) as ProofreadLine[];
      if (!Number.isInteger(index) || index < 0 || index >= lines.length) {
        throw invalid('LINE_INDEX_OUT_OF_RANGE', `该页只有 ${lines.length} 行文字，行号超出范围`, { index: '行号超出范围' });
      }
      const line = lines[index]!;
      const before = line.text;
      if (before === text) return toPageText(pageId, row);

      // A corrected line was read by a person: every character is certain.
      lines[index] = { ...line, text, confidence: 1, chars: Array.from(text, () => 1), edited: true };
      const quality = readingQuality(lines);
      const now = this.clock.now().toISOString();
      const changes = {
        lines: JSON.stringify(lines),
        text: lines.map((l) => l.text).join('\n'),
        mean_confidence: quality.mean === null ? null : Math.round(quality.mean * 1000) / 1000,
        low_confidence_chars: quality.low,
        edited: 1 as const,
        updated_at: now,
      };
      await trx.updateTable('page_text').set(changes).where('page_id', '=', pageId).execute();
      await trx.insertInto('page_text_edits').values({
        id: newId(), page_id: pageId, line_index: index, before, after: text, edited_by: actor.userId, edited_at: now,
      }).execute();
      await this.audit.append(trx, actor.audit, {
        action: 'page.text.edit', objectType: 'page', objectId: pageId,
        objectLabel: `${dossier.dossier_no}·第 ${page.page_no ?? '—'} 页·第 ${index + 1} 行`,
        detail: { line: index, before, after: text },
      });
      await this.search.indexPage(trx, pageId);
      return toPageText(pageId, { ...row, ...changes });
    });
  }

  async edits(actor: Actor, pageId: string): Promise<PageTextEdit[]> {
    const p = actor.permissions;
    const scope = await this.access.scope(actor, p.has('scan.ingest') ? 'scan.ingest' : p.has('scan.link') ? 'scan.link' : 'qc.inspect');
    await this.pageInScope(this.db, scope, pageId, false);
    const rows = await this.db
      .selectFrom('page_text_edits as e')
      .leftJoin('users as u', 'u.id', 'e.edited_by')
      .select(['e.id', 'e.line_index', 'e.before', 'e.after', 'e.edited_by', 'e.edited_at', 'u.display_name'])
      .where('e.page_id', '=', pageId)
      .orderBy('e.edited_at', 'desc')
      .orderBy('e.id', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id, lineIndex: Number(r.line_index), before: r.before, after: r.after,
      editedBy: { id: r.edited_by, name: r.display_name ?? r.edited_by }, editedAt: r.edited_at,
    }));
  }

  private async pageInScope(ex: Executor, scope: Authorized<DataScope>, pageId: string, lock: boolean) {
    const repo = scansRepository(ex, this.kind);
    const first = await repo.page(pageId);
    if (!first || first.deleted_at) throw notFound('PAGE_NOT_FOUND', '页面不存在或已删除');
    if (lock) await repo.lockDossier(first.dossier_id);
    const page = lock ? await repo.page(pageId) : first;
    if (!page || page.deleted_at) throw notFound('PAGE_NOT_FOUND', '页面不存在或已删除');
    const dossier = await repo.dossier(scope, page.dossier_id);
    if (!dossier) throw notFound('PAGE_NOT_FOUND', '页面不存在或不在您的数据范围内');
    return { page, dossier };
  }
}

function toPageText(
  pageId: string,
  row: { version: number; lines: string; text: string; mean_confidence: number | null; low_confidence_chars: number; edited: number | boolean },
): PageText {
  return {
    pageId, version: Number(row.version), lines: JSON.parse(row.lines) as ProofreadLine[], text: row.text,
    meanConfidence: row.mean_confidence === null ? null : Number(row.mean_confidence), lowConfidenceChars: Number(row.low_confidence_chars),
    edited: Number(row.edited) === 1,
  };
}
