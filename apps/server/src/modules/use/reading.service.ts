import type { ReaderCatalogue, ReaderMaterial, ReadingGrant, ReadingLogRow, ReadingSession } from '@dangan/contracts';
import { classLabel, compareClassCodes, type ClassCode } from '@dangan/domain';
import type { Executor } from '../../platform/db/connect.js';
import { AppError, conflict, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { materialGranted, requirePermission, type Authorized, type DataScope, type GrantScope } from '../access/access.js';
import type { Actor } from '../access/actor.js';
import type { ModuleDeps } from '../project/project.deps.js';
import { readingRepository, type LogFilter, type ReadingSessionRow } from './reading.repository.js';
import { beijingMinute, Watermarker, watermarkText } from './watermark.js';

/** A window that has not been heard of for this long is closed as idle (the viewer beats every 30 s). */
export const READING_IDLE_MS = 2 * 60_000;

const MODE_LABELS: Record<string, string> = { read: '在线查阅', print: '查阅并打印', excerpt: '查阅并摘录' };
const PRINT_MODES = new Set(['print', 'excerpt']);

export interface LiveWindow {
  window: ReadingSessionRow;
  grant: Authorized<GrantScope>;
}

export interface GrantedMaterial {
  id: string;
  class_code: string;
  piece_no: number;
  seq: string;
  name: string;
  formed_on: string | null;
  pages: { id: string; page_no: number | null; web_blob_id: string | null }[];
}

/**
 * Reading under a grant: windows bounded per reader, the granted part of the catalogue (the rest is
 * not listed at all), watermarked page images and the page-by-page reading log. Every call asks
 * `AccessService.grant` again, so a grant that ran out or was revoked ends the reading at once.
 */
export class ReadingService {
  constructor(
    private readonly deps: ModuleDeps,
    readonly watermarks = new Watermarker(),
  ) {}

  private get repo() {
    return readingRepository(this.deps.db, this.deps.kind);
  }

  async grants(actor: Actor): Promise<ReadingGrant[]> {
    const grants = await this.deps.access.grants(actor);
    const dossiers = new Map((await this.repo.dossiers(grants.map((g) => g.dossierId))).map((d) => [d.id, d]));
    return grants.map((g) => ({
      requestId: g.requestId,
      requestNo: g.requestNo,
      dossierId: g.dossierId,
      dossierNo: dossiers.get(g.dossierId)?.dossier_no ?? '',
      cadreName: dossiers.get(g.dossierId)?.cadre_name ?? '',
      mode: g.mode as ReadingGrant['mode'],
      modeLabel: MODE_LABELS[g.mode] ?? g.mode,
      scopeSummary: scopeSummary(g),
      from: g.from,
      until: g.until,
      printLimit: PRINT_MODES.has(g.mode) ? g.printLimit : 0,
      printsUsed: g.printsUsed,
    }));
  }

  async open(actor: Actor, requestId: string, dossierId: string): Promise<ReadingSession> {
    const grant = await this.deps.access.grant(actor, requestId, dossierId);
    const limit = await this.deps.settings.get('use.readerSessions');
    const dossier = await this.repo.dossier(dossierId);
    const row = await this.deps.db.transaction().execute(async (trx) => {
      const r = readingRepository(trx, this.deps.kind);
      await r.lockUser(actor.userId);
      const now = this.deps.clock.now();
      const at = now.toISOString();
      let open = 0;
      for (const w of await r.openSessions(actor.userId)) {
        // Idle windows are given up; the same dossier reopened from the same login replaces its old window.
        const idle = now.getTime() - Date.parse(w.last_seen_at) > READING_IDLE_MS;
        const replaced = w.login_session_id === actor.sessionId && w.request_id === requestId && w.dossier_id === dossierId;
        if (idle || replaced) {
          await this.finish(trx, w, idle ? w.last_seen_at : at, idle ? 'idle' : 'replaced', actor);
        } else {
          open++;
        }
      }
      // Refused after the transaction, so the idle windows given up above stay closed.
      if (open >= limit) return open;
      const row: ReadingSessionRow = {
        id: newId(), request_id: requestId, dossier_id: dossierId, user_id: actor.userId, login_session_id: actor.sessionId,
        client_ip: actor.audit.clientIp, opened_at: at, last_seen_at: at, closed_at: null, close_reason: null,
      };
      await r.insertSession(row);
      await this.deps.audit.append(trx, actor.audit, {
        action: 'reading.open', objectType: 'dossier', objectId: dossierId, objectLabel: `${dossier?.dossier_no ?? ''}（${dossier?.cadre_name ?? ''}）`,
        detail: { sessionId: row.id, requestId, requestNo: grant.requestNo, mode: grant.mode },
      });
      return row;
    });
    if (typeof row === 'number') {
      throw conflict('READER_SESSIONS_LIMIT', `您已打开 ${row} 个阅读窗口，达到同时阅读上限（${limit} 个），请先关闭其他阅读窗口后再开始查阅`);
    }
    return toSession(row, grant);
  }

  async heartbeat(actor: Actor, sessionId: string): Promise<ReadingSession> {
    const { window, grant } = await this.live(actor, sessionId);
    const at = this.deps.clock.now().toISOString();
    await this.deps.db.transaction().execute(async (trx) => {
      const r = readingRepository(trx, this.deps.kind);
      await r.touchSession(window.id, at);
      await this.settleLast(trx, window.id, at);
    });
    return toSession({ ...window, last_seen_at: at }, grant);
  }

  async close(actor: Actor, sessionId: string): Promise<void> {
    const window = await this.ownWindow(actor, sessionId);
    if (window.closed_at) return;
    await this.deps.db.transaction().execute((trx) => this.finish(trx, window, this.deps.clock.now().toISOString(), 'closed', actor));
  }

  async catalogue(actor: Actor, sessionId: string): Promise<ReaderCatalogue> {
    const { window, grant } = await this.live(actor, sessionId);
    const dossier = await this.repo.dossier(window.dossier_id);
    const materials = await this.grantedMaterials(grant);
    const classes: ReaderCatalogue['classes'] = [];
    for (const m of materials) {
      let group = classes.at(-1);
      if (group?.code !== m.class_code) {
        group = { code: m.class_code, label: labelOf(m.class_code), materials: [] };
        classes.push(group);
      }
      group.materials.push(toReaderMaterial(m));
    }
    return {
      sessionId: window.id, requestNo: grant.requestNo, dossierNo: dossier?.dossier_no ?? '', cadreName: dossier?.cadre_name ?? '',
      mode: grant.mode as ReaderCatalogue['mode'], until: grant.until, printLimit: PRINT_MODES.has(grant.mode) ? grant.printLimit : 0,
      printsUsed: grant.printsUsed, classes,
    };
  }

  /** One page, watermarked for this reader now, and its line in the reading log. */
  async pageImage(actor: Actor, sessionId: string, pageId: string, width: number): Promise<Buffer> {
    const { window, grant } = await this.live(actor, sessionId);
    const page = await this.repo.page(pageId);
    const granted = page && !page.deleted_at && page.dossier_id === window.dossier_id && page.material_id && page.class_code
      && !page.material_deleted_at && materialGranted(grant, { id: page.material_id, class_code: page.class_code });
    if (!granted) {
      await this.deps.audit.record(actor.audit, {
        action: 'reading.page.view', result: 'denied', objectType: 'page', objectId: pageId,
        detail: { sessionId, requestNo: grant.requestNo },
      });
      throw forbidden('NOT_GRANTED', '该页不在您的查阅授权范围内');
    }
    if (!page.web_blob_id) throw notFound('PAGE_IMAGE_NOT_READY', '该页尚未处理完成，暂无图像');
    const now = this.deps.clock.now();
    const text = await this.watermarkFor(actor, grant, now);
    const { bytes } = await this.watermarks.page(await this.deps.blobs.get(page.web_blob_id), width, text);
    const at = now.toISOString();
    await this.deps.db.transaction().execute(async (trx) => {
      const r = readingRepository(trx, this.deps.kind);
      await this.settleLast(trx, window.id, at);
      await r.insertLog({
        id: newId(), reading_session_id: window.id, request_id: grant.requestId, user_id: actor.userId, dossier_id: window.dossier_id,
        material_id: page.material_id!, page_id: page.id, viewed_at: at, duration_ms: 0, client_ip: actor.audit.clientIp,
      });
      await r.touchSession(window.id, at);
      await this.deps.audit.append(trx, actor.audit, {
        action: 'reading.page.view', objectType: 'page', objectId: page.id,
        objectLabel: `${page.dossier_no}·${page.material_name ?? ''}·第${page.page_no ?? '?'}页`,
        detail: { sessionId: window.id, requestNo: grant.requestNo, materialId: page.material_id, pageNo: page.page_no, width },
      });
    });
    return bytes;
  }

  async ownLog(actor: Actor, query: LogQuery): Promise<{ items: ReadingLogRow[]; total: number }> {
    requirePermission(actor, 'access.read');
    return this.log(null, { ...query, userId: actor.userId });
  }

  async readingLog(actor: Actor, query: LogQuery & { userId?: string | undefined }): Promise<{ items: ReadingLogRow[]; total: number }> {
    return this.log(await this.deps.access.scope(actor, 'use.manage'), query);
  }

  // ------------------------------------------------------------------ shared with printing

  /** The reader's own open window, with its grant asked for again; a grant that ended closes the window. */
  async live(actor: Actor, sessionId: string): Promise<LiveWindow> {
    const window = await this.ownWindow(actor, sessionId);
    if (window.closed_at) throw conflict('READING_CLOSED', '阅读窗口已关闭，请重新打开');
    const now = this.deps.clock.now();
    let grant: Authorized<GrantScope>;
    try {
      grant = await this.deps.access.grant(actor, window.request_id, window.dossier_id);
    } catch (err) {
      if (err instanceof AppError && err.code === 'NO_GRANT') {
        const state = (await this.repo.requestState(window.request_id))?.state;
        const reason = state === 'revoked' ? 'revoked' : 'expired';
        await this.deps.db.transaction().execute((trx) => this.finish(trx, window, now.toISOString(), reason, actor));
      }
      throw err;
    }
    if (now.getTime() - Date.parse(window.last_seen_at) > READING_IDLE_MS) {
      await this.deps.db.transaction().execute((trx) => this.finish(trx, window, window.last_seen_at, 'idle', actor));
      throw conflict('READING_CLOSED', '阅读窗口长时间无操作已关闭，请重新打开');
    }
    return { window, grant };
  }

  /** The granted materials of the grant's dossier in catalogue order, each with its live pages in order. */
  async grantedMaterials(grant: Authorized<GrantScope>): Promise<GrantedMaterial[]> {
    const materials = (await this.repo.liveMaterials(grant.dossierId))
      .filter((m) => materialGranted(grant, m))
      .sort((a, b) => compareClassCodes(a.class_code as ClassCode, b.class_code as ClassCode) || a.piece_no - b.piece_no);
    const pages = await this.repo.pagesOf(materials.map((m) => m.id));
    return materials.map((m) => ({
      ...m,
      pages: pages.filter((p) => p.material_id === m.id).sort((a, b) => (a.page_no ?? 0) - (b.page_no ?? 0)),
    }));
  }

  async watermarkFor(actor: Actor, grant: GrantScope, at: Date): Promise<string> {
    return watermarkText({
      reader: actor.displayName, unit: await this.repo.unitName(actor.unitId), time: beijingMinute(at), address: actor.audit.clientIp,
      requestNo: grant.requestNo,
    });
  }

  // ------------------------------------------------------------------ internals

  private async ownWindow(actor: Actor, sessionId: string): Promise<ReadingSessionRow> {
    requirePermission(actor, 'access.read');
    const window = await this.repo.session(sessionId);
    if (!window || window.user_id !== actor.userId) throw notFound('READING_SESSION_NOT_FOUND', '阅读窗口不存在');
    return window;
  }

  /** Closes a window, ends the time of its last page, and records it. */
  private async finish(trx: Executor, window: ReadingSessionRow, at: string, reason: string, actor: Actor): Promise<void> {
    const r = readingRepository(trx, this.deps.kind);
    if (!(await r.closeSession(window.id, at, reason))) return;
    await this.settleLast(trx, window.id, at);
    await this.deps.audit.append(trx, actor.audit, {
      action: 'reading.close', objectType: 'dossier', objectId: window.dossier_id,
      detail: { sessionId: window.id, requestId: window.request_id, reason },
    });
  }

  /** The window's last page was looked at until `at`. */
  private async settleLast(trx: Executor, sessionId: string, at: string): Promise<void> {
    const r = readingRepository(trx, this.deps.kind);
    const last = await r.lastLogRow(sessionId);
    if (last) await r.setDuration(last.id, Date.parse(at) - Date.parse(last.viewed_at));
  }

  private async log(scope: Authorized<DataScope> | null, query: LogQuery & { userId?: string | undefined }) {
    const filter: LogFilter = {
      userId: query.userId, dossierId: query.dossierId, requestId: query.requestId,
      from: query.from ? beijingDayStart(query.from, 0) : undefined,
      to: query.to ? beijingDayStart(query.to, 1) : undefined,
    };
    const { rows, total } = await this.repo.readingLog(scope, filter, query.page, query.pageSize);
    return {
      total,
      items: rows.map((r) => ({
        id: r.id, viewedAt: r.viewed_at, durationMs: Number(r.duration_ms), reader: { id: r.user_id, name: r.display_name },
        requestId: r.request_id, requestNo: r.request_no, dossierId: r.dossier_id, dossierNo: r.dossier_no, cadreName: r.cadre_name,
        materialName: r.material_name, classCode: r.class_code, pageNo: r.page_no, clientIp: r.client_ip,
      })),
    };
  }
}

export interface LogQuery {
  page: number;
  pageSize: number;
  dossierId?: string | undefined;
  requestId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** Midnight in Beijing of a YYYY-MM-DD day (plus some days), as an ISO instant. */
function beijingDayStart(day: string, plusDays: number): string {
  return new Date(Date.parse(`${day}T00:00:00+08:00`) + plusDays * 86_400_000).toISOString();
}

function labelOf(code: string): string {
  try {
    return classLabel(code as ClassCode);
  } catch {
    return '';
  }
}

function scopeSummary(g: GrantScope): string {
  if (g.materialIds) return `指定材料 ${g.materialIds.size} 份`;
  if (g.classCodes) return `第 ${[...g.classCodes].sort((a, b) => compareClassCodes(a as ClassCode, b as ClassCode)).join('、')} 类`;
  return '整卷';
}

function toReaderMaterial(m: GrantedMaterial): ReaderMaterial {
  return {
    id: m.id, classCode: m.class_code, seq: m.seq, name: m.name, formedOn: m.formed_on, pageCount: m.pages.length,
    pageIds: m.pages.map((p) => p.id),
  };
}

function toSession(row: ReadingSessionRow, grant: GrantScope): ReadingSession {
  return {
    id: row.id, requestId: row.request_id, requestNo: grant.requestNo, dossierId: row.dossier_id, openedAt: row.opened_at,
    lastSeenAt: row.last_seen_at, until: grant.until,
  };
}
