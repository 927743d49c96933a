import type { AlertDetail, AlertItem, AlertList, AlertQuery, AlertSummary } from '@dangan/contracts';
import { conflict, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Executor } from '../../platform/db/connect.js';
import type { Actor } from '../access/actor.js';
import { SYSTEM_CONTEXT } from '../audit/audit.log.js';
import type { ModuleDeps } from '../project/project.deps.js';
import { alertsRepository, type AlertsRepository } from './alerts.repository.js';
import {
  BULK_EXPORT_WINDOW_SECONDS, FAILED_LOGIN_WINDOW_SECONDS, RULE_SEVERITY, RULE_TITLES, evaluate, isLoginSuccess, isOwnEvent,
  isWindowed, subjectsOf, type AlertThresholds, type Burst, type ScanEvent,
} from './alerts.rules.js';
import { toAlertEvent, toAlertItem, burstOf } from './alerts.views.js';

export type AlertsDeps = Pick<ModuleDeps, 'db' | 'kind' | 'clock' | 'audit' | 'settings'>;

/** Events read per transaction: a backlog is worked off in several, each committed with its cursor. */
const BATCH = 1000;

export interface ScanResult {
  /** Audit events read (the scanner's own included). */
  read: number;
  raised: number;
}

/**
 * Application-level intrusion detection: reads the audit log after its cursor, runs the rules, and in
 * the same transaction stores what they raised and moves the cursor, so a restart neither loses nor
 * repeats an alert. The cursor row is locked first: a second scanner waits, then starts where this
 * one stopped.
 */
export class AlertsService {
  constructor(private readonly deps: AlertsDeps) {}

  private repo(executor: Executor = this.deps.db): AlertsRepository {
    return alertsRepository(executor, this.deps.kind);
  }

  async scan(): Promise<ScanResult> {
    const total: ScanResult = { read: 0, raised: 0 };
    for (;;) {
      const round = await this.scanBatch();
      total.read += round.read;
      total.raised += round.raised;
      if (round.read < BATCH) return total;
    }
  }

  private async thresholds(): Promise<AlertThresholds> {
    const s = this.deps.settings;
    return {
      fastPagingPages: await s.get('alerts.fastPagingPages'),
      fastPagingSeconds: await s.get('alerts.fastPagingSeconds'),
      workHours: await s.get('alerts.workHours'),
      workDays: await s.get('alerts.workDays'),
      failedLogins: await s.get('alerts.failedLogins'),
      bulkExports: await s.get('alerts.bulkExports'),
    };
  }

  private async scanBatch(): Promise<ScanResult> {
    // Read before the transaction: on SQLite the transaction holds the only connection.
    const thresholds = await this.thresholds();
    return this.deps.db.transaction().execute(async (trx) => {
      const repo = this.repo(trx);
      const cursor = await repo.lockCursor();
      const fresh = await repo.eventsAfter(cursor, BATCH);
      if (fresh.length === 0) return { read: 0, raised: 0 };
      const judged = fresh.filter((e) => !isOwnEvent(e));
      const evaluation = evaluate(
        {
          thresholds,
          sensitiveRoles: new Set(await repo.sensitiveRoleCodes()),
          addresses: await repo.addresses([...new Set(judged.filter(isLoginSuccess).flatMap((e) => (e.userId ? [e.userId] : [])))]),
          latest: await this.latest(repo, judged),
        },
        await this.history(repo, judged, cursor, thresholds),
        judged,
      );
      for (const a of evaluation.addresses) await repo.sawAddress(a.userId, a.clientIp, a.at);
      const raised = await this.store(trx, repo, evaluation.bursts);
      await repo.setCursor(fresh[fresh.length - 1]!.seq);
      return { read: fresh.length, raised };
    });
  }

  /** Events before the cursor still inside a window of the new ones. */
  private async history(repo: AlertsRepository, judged: ScanEvent[], cursor: number, t: AlertThresholds): Promise<ScanEvent[]> {
    const windowed = judged.filter(isWindowed);
    if (windowed.length === 0 || cursor === 0) return [];
    const earliest = Math.min(...windowed.map((e) => Date.parse(e.at)));
    const reach = Math.max(t.fastPagingSeconds, FAILED_LOGIN_WINDOW_SECONDS, BULK_EXPORT_WINDOW_SECONDS) * 1000;
    return repo.windowHistory(new Date(earliest - reach).toISOString(), cursor);
  }

  private async latest(repo: AlertsRepository, judged: ScanEvent[]): Promise<Map<string, Burst>> {
    const keys = new Map(judged.flatMap(subjectsOf).map((s) => [`${s.rule}|${s.subject}`, s]));
    const out = new Map<string, Burst>();
    for (const [key, { rule, subject }] of keys) {
      const row = await repo.latest(rule, subject);
      if (row) out.set(key, burstOf(row));
    }
    return out;
  }

  /** Inserts raised alerts (each with its `alert.raise` audit event) and updates extended ones. */
  private async store(trx: Executor, repo: AlertsRepository, bursts: Burst[]): Promise<number> {
    const now = this.deps.clock.now().toISOString();
    let raised = 0;
    for (const b of bursts) {
      const common = { last_seq: b.lastSeq, event_count: b.figures.count, detail: JSON.stringify(b.figures), updated_at: now };
      if (!b.raised) {
        await repo.update(b.id!, common);
        continue;
      }
      const id = newId();
      const title = RULE_TITLES[b.rule];
      await repo.insert({
        id, rule: b.rule, severity: RULE_SEVERITY[b.rule], user_id: b.userId, username: b.username, client_ip: b.clientIp,
        subject: b.subject, dedupe_key: b.key, title, first_seq: b.firstSeq, state: 'new', raised_at: now,
        acknowledged_by: null, acknowledged_at: null, closed_by: null, closed_at: null, note: '', close_note: '', ...common,
      });
      await this.deps.audit.append(trx, SYSTEM_CONTEXT, {
        action: 'alert.raise', objectType: 'alert', objectId: id, objectLabel: `${title}：${b.username ?? b.clientIp ?? ''}`,
        detail: {
          rule: b.rule, severity: RULE_SEVERITY[b.rule], userId: b.userId, username: b.username, clientIp: b.clientIp,
          count: b.figures.count, seqs: b.figures.seqs,
        },
      });
      raised += 1;
    }
    return raised;
  }

  // ---------------------------------------------------------------- the security officer's side

  async list(query: AlertQuery): Promise<AlertList> {
    const repo = this.repo();
    const { rows, total } = await repo.page(query, (query.page - 1) * query.pageSize, query.pageSize);
    return { items: rows.map(toAlertItem), total, counts: await repo.countsByState(query.rule) };
  }

  async summary(): Promise<AlertSummary> {
    return { new: (await this.repo().countsByState()).new };
  }

  async get(id: string): Promise<AlertDetail> {
    const repo = this.repo();
    const row = await repo.byId(id);
    if (!row) throw notFound('ALERT_NOT_FOUND', '安全预警不存在');
    const item = toAlertItem(row);
    const seqs = (JSON.parse(row.detail) as { seqs?: number[] }).seqs ?? [];
    return { ...item, events: (await repo.eventsBySeq(seqs)).map(toAlertEvent) };
  }

  async acknowledge(actor: Actor, id: string, note: string | undefined): Promise<AlertItem> {
    return this.transition(actor, id, 'alert.acknowledge', (row) => {
      if (row.state !== 'new') {
        throw conflict('ALERT_NOT_NEW', row.state === 'closed' ? '该预警已关闭，不能再确认' : '该预警已确认，无须重复确认');
      }
      return { state: 'acknowledged', acknowledged_by: actor.userId, acknowledged_at: this.deps.clock.now().toISOString(), note: note ?? '' };
    });
  }

  async close(actor: Actor, id: string, note: string): Promise<AlertItem> {
    return this.transition(actor, id, 'alert.close', (row) => {
      if (row.state === 'closed') throw conflict('ALERT_ALREADY_CLOSED', '该预警已关闭');
      return { state: 'closed', closed_by: actor.userId, closed_at: this.deps.clock.now().toISOString(), close_note: note };
    });
  }

  private async transition(
    actor: Actor,
    id: string,
    action: 'alert.acknowledge' | 'alert.close',
    change: (row: { state: string }) => Parameters<AlertsRepository['update']>[1],
  ): Promise<AlertItem> {
    await this.deps.db.transaction().execute(async (trx) => {
      const repo = this.repo(trx);
      const row = await repo.lock(id);
      if (!row) throw notFound('ALERT_NOT_FOUND', '安全预警不存在');
      const patch = change(row);
      await repo.update(id, { ...patch, updated_at: this.deps.clock.now().toISOString() });
      await this.deps.audit.append(trx, actor.audit, {
        action, objectType: 'alert', objectId: id, objectLabel: `${row.title}：${row.username ?? row.client_ip ?? ''}`,
        detail: { before: row.state, after: patch.state, note: patch.note ?? patch.close_note ?? '' },
      });
    });
    return toAlertItem((await this.repo().byId(id))!);
  }
}
