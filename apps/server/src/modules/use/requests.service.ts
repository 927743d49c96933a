import type { AccessCadre, AccessMaterial, AccessRequest } from '@dangan/contracts';
import { CLASS_TREE } from '@dangan/domain';
import { isUniqueViolation } from '../../platform/db/dialect.js';
import type { AccessRequestTable, AccessMode, AccessScopeKind } from '../../platform/db/schema.use.js';
import { withinUnits } from '../../platform/db/scope.js';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Actor } from '../access/actor.js';
import { assertDictionaryCode } from '../dictionary/dictionary.service.js';
import type { ModuleDeps } from '../project/project.deps.js';
import { AvoidanceCheck } from './avoidance.service.js';
import { ApprovalRules } from './requests.approval.js';
import { listGrants } from './requests.grants.js';
import { requestViews } from './requests.views.js';

export interface NewAccessRequest {
  dossierIds: string[];
  purpose: string;
  purposeNote: string;
  mode: AccessMode;
  scopeKind: AccessScopeKind;
  classCodes: string[];
  materialIds: string[];
  periodFrom: string;
  periodTo: string;
  printLimit: number;
}

const CLASS_CODES = new Set<string>(CLASS_TREE.map((c) => c.code));
const DAY_MS = 86_400_000;

/** China's calendar year of an instant (request numbers follow the local year). */
function localYear(d: Date): number {
  return new Date(d.getTime() + 8 * 3600_000).getUTCFullYear();
}

export function requestNo(year: number, seq: number): string {
  return `CY${year}-${String(seq).padStart(4, '0')}`;
}

/**
 * Access requests (查阅申请), the requester's side: asking (after 回避), his own list, withdrawing, and
 * the lookup of cadres and materials he may ask for. Decisions, revocation and expiry: `ApprovalRules`.
 */
export class RequestsService {
  readonly avoidance: AvoidanceCheck;
  readonly approvals: ApprovalRules;

  constructor(private readonly deps: ModuleDeps) {
    this.avoidance = new AvoidanceCheck(deps.db, deps.audit);
    this.approvals = new ApprovalRules(deps, this.avoidance);
  }

  async create(actor: Actor, input: NewAccessRequest): Promise<AccessRequest> {
    const scope = await this.deps.access.scope(actor, 'access.request');
    const now = this.deps.clock.now();
    await this.validate(input, now);
    const dossierIds = [...new Set(input.dossierIds)];
    const dossiers = await this.deps.db.selectFrom('dossiers').innerJoin('cadres', 'cadres.id', 'dossiers.cadre_id')
      .select(['dossiers.id', 'dossiers.cadre_id', 'cadres.managing_unit_id']).where('dossiers.id', 'in', dossierIds).execute();
    if (dossiers.length !== dossierIds.length) throw notFound('DOSSIER_NOT_FOUND', '所申请的档案不存在');
    if (scope.unitIds && dossiers.some((d) => !scope.unitIds!.has(d.managing_unit_id))) {
      throw forbidden('OUT_OF_SCOPE', '所申请的档案不在您的查阅申请范围内');
    }
    await assertDictionaryCode(this.deps.db, 'use_purpose', input.purpose, 'purpose', '查阅目的');
    const materialIds = input.scopeKind === 'materials' ? await this.checkMaterials(input.materialIds, dossierIds) : [];
    await this.avoidance.enforce(actor, '申请人', dossiers.map((d) => d.cadre_id), {});
    const levels = await this.deps.settings.get('use.approvalLevels');
    const classCodes = input.scopeKind === 'classes' ? [...new Set(input.classCodes)].sort() : null;
    // Two requesters numbering at once may take the same number; the unique (year, seq) refuses one, which retries.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.deps.db.transaction().execute(async (trx) => {
          const year = localYear(now);
          const max = await trx.selectFrom('access_requests').select((eb) => eb.fn.max('seq').as('m')).where('year', '=', year).executeTakeFirst();
          const seq = Number(max?.m ?? 0) + 1;
          const at = now.toISOString();
          const row: AccessRequestTable = {
            id: newId(), request_no: requestNo(year, seq), year, seq, requester_id: actor.userId, requester_unit_id: actor.unitId,
            purpose: input.purpose, purpose_note: input.purposeNote, mode: input.mode, scope_kind: input.scopeKind,
            scope_classes: classCodes ? JSON.stringify(classCodes) : null, period_from: new Date(input.periodFrom).toISOString(),
            period_to: new Date(input.periodTo).toISOString(), print_limit: input.printLimit, prints_used: 0, levels_required: levels,
            levels_done: 0, state: 'pending', created_at: at, updated_at: at, decided_at: null, granted_from: null, granted_until: null,
            revoked_by: null, revoked_at: null, revoke_reason: null, expired_at: null,
          };
          await trx.insertInto('access_requests').values(row).execute();
          await trx.insertInto('access_request_dossiers').values(dossiers.map((d) => ({
            request_id: row.id, dossier_id: d.id, cadre_id: d.cadre_id, managing_unit_id: d.managing_unit_id,
          }))).execute();
          if (materialIds.length > 0) {
            await trx.insertInto('access_request_materials').values(materialIds.map((m) => ({ request_id: row.id, material_id: m }))).execute();
          }
          const [view] = await requestViews(trx, [row]);
          await this.deps.audit.append(trx, actor.audit, {
            action: 'access.request.create', objectType: 'access_request', objectId: row.id, objectLabel: row.request_no,
            detail: {
              dossiers: view!.dossiers.map((d) => `${d.dossierNo}（${d.cadreName}）`), purpose: view!.purposeLabel, mode: view!.modeLabel,
              scope: view!.scopeSummary, periodFrom: row.period_from, periodTo: row.period_to, printLimit: row.print_limit, levels,
            },
          });
          return view!;
        });
      } catch (err) {
        if (attempt < 5 && isUniqueViolation(err)) continue;
        throw err;
      }
    }
  }

  async mine(actor: Actor, query: { page: number; pageSize: number; state?: AccessRequestTable['state'] }) {
    let q = this.deps.db.selectFrom('access_requests').where('requester_id', '=', actor.userId);
    if (query.state) q = q.where('state', '=', query.state);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('created_at', 'desc').orderBy('seq', 'desc').offset((query.page - 1) * query.pageSize).limit(query.pageSize).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: await requestViews(this.deps.db, rows), total: Number(count.n) };
  }

  /** 查阅授权 (grant.manage, checked by the route): running or ended grants of all units, metadata only. */
  async grants(query: { state: 'running' | 'ended'; page: number; pageSize: number }) {
    return listGrants(this.deps, query);
  }

  /** One request, for its requester, its approvers (past or eligible), use.manage in scope, or grant.manage. */
  async get(actor: Actor, id: string): Promise<AccessRequest> {
    const row = await this.deps.db.selectFrom('access_requests').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || !(await this.maySee(actor, row))) throw notFound('REQUEST_NOT_FOUND', '查阅申请不存在或您无权查看');
    return (await requestViews(this.deps.db, [row]))[0]!;
  }

  async withdraw(actor: Actor, id: string): Promise<AccessRequest> {
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('access_requests').selectAll().where('id', '=', id).where('requester_id', '=', actor.userId).executeTakeFirst();
      if (!row) throw notFound('REQUEST_NOT_FOUND', '查阅申请不存在');
      const now = this.deps.clock.now().toISOString();
      const done = await trx.updateTable('access_requests').set({ state: 'withdrawn', decided_at: now, updated_at: now })
        .where('id', '=', id).where('state', '=', 'pending').executeTakeFirst();
      if (Number(done.numUpdatedRows) === 0) throw conflict('REQUEST_NOT_PENDING', '只有待审批的申请可以撤回');
      await this.deps.audit.append(trx, actor.audit, {
        action: 'access.request.withdraw', objectType: 'access_request', objectId: id, objectLabel: row.request_no,
      });
      return (await requestViews(trx, [{ ...row, state: 'withdrawn', decided_at: now, updated_at: now }]))[0]!;
    });
  }

  /**
   * Cadres the requester may ask for, by name, pinyin initials or 档案号: only what he needs to choose
   * (name, gender, managing unit, dossier number, the classes present and how many materials each has).
   */
  async lookup(actor: Actor, text: string): Promise<AccessCadre[]> {
    const scope = await this.deps.access.scope(actor, 'access.request');
    const q = text.trim();
    const upper = q.toUpperCase();
    const base = this.deps.db.selectFrom('cadres').innerJoin('dossiers', 'dossiers.cadre_id', 'cadres.id')
      .innerJoin('units', 'units.id', 'cadres.managing_unit_id')
      .where(withinUnits('cadres.managing_unit_id', scope.unitIds));
    const next = (s: string) => s.slice(0, -1) + String.fromCodePoint(s.codePointAt(s.length - 1)! + 1);
    const rows = await base
      .select(['cadres.id as cadre_id', 'cadres.name', 'cadres.gender', 'units.name as unit_name', 'dossiers.id as dossier_id', 'dossiers.dossier_no'])
      .where((eb) => eb.or([
        eb.and([eb('cadres.name', '>=', q), eb('cadres.name', '<', next(q))]),
        eb.and([eb('cadres.name_initials', '>=', upper), eb('cadres.name_initials', '<', next(upper))]),
        eb.and([eb('dossiers.dossier_no', '>=', q), eb('dossiers.dossier_no', '<', next(q))]),
      ]))
      .orderBy('cadres.name').orderBy('dossiers.dossier_no').limit(20).execute();
    if (rows.length === 0) return [];
    const counts = await this.deps.db.selectFrom('materials').select(['dossier_id', 'class_code', (eb) => eb.fn.countAll<number>().as('n')])
      .where('dossier_id', 'in', rows.map((r) => r.dossier_id)).where('deleted_at', 'is', null)
      .groupBy(['dossier_id', 'class_code']).execute();
    const genders = new Map((await this.deps.db.selectFrom('dictionary_entries').select(['code', 'label']).where('type', '=', 'gender').execute())
      .map((g) => [g.code, g.label]));
    return rows.map((r) => ({
      cadreId: r.cadre_id, name: r.name, gender: r.gender, genderLabel: r.gender ? genders.get(r.gender) ?? r.gender : null,
      managingUnitName: r.unit_name, dossierId: r.dossier_id, dossierNo: r.dossier_no,
      classes: CLASS_TREE.map((c) => ({
        code: c.code as string, label: c.label,
        materials: counts.filter((x) => x.dossier_id === r.dossier_id && x.class_code === c.code).reduce((s, x) => s + Number(x.n), 0),
      })).filter((c) => c.materials > 0),
    }));
  }

  /**
   * The materials of a dossier in the requester's scope, to choose a materials scope: class, 序号 and
   * name only (no dates, pages or content). The names are shown because a request must say what it
   * asks for; the lookup is audited as a catalogue view.
   */
  async materials(actor: Actor, dossierId: string): Promise<AccessMaterial[]> {
    const scope = await this.deps.access.scope(actor, 'access.request');
    const dossier = await this.deps.db.selectFrom('dossiers').innerJoin('cadres', 'cadres.id', 'dossiers.cadre_id')
      .select(['dossiers.id', 'dossiers.dossier_no', 'cadres.managing_unit_id', 'cadres.name']).where('dossiers.id', '=', dossierId).executeTakeFirst();
    if (!dossier || (scope.unitIds && !scope.unitIds.has(dossier.managing_unit_id))) {
      throw notFound('DOSSIER_NOT_FOUND', '档案不存在或不在您的查阅申请范围内');
    }
    const rows = await this.deps.db.selectFrom('materials').select(['id', 'class_code', 'seq', 'name'])
      .where('dossier_id', '=', dossierId).where('deleted_at', 'is', null).execute();
    const order = new Map(CLASS_TREE.map((c, i) => [c.code as string, i]));
    rows.sort((a, b) => (order.get(a.class_code) ?? 99) - (order.get(b.class_code) ?? 99) || a.seq.localeCompare(b.seq, 'en', { numeric: true }));
    await this.deps.audit.record(actor.audit, {
      action: 'catalogue.view', objectType: 'dossier', objectId: dossierId, objectLabel: `${dossier.dossier_no}（${dossier.name}）`,
      detail: { purpose: '查阅申请选择材料', fields: '类别、序号、题名', count: rows.length },
    });
    return rows.map((r) => ({ id: r.id, classCode: r.class_code, seq: r.seq, name: r.name }));
  }

  // ------------------------------------------------------------------ rules
  private async maySee(actor: Actor, row: AccessRequestTable): Promise<boolean> {
    if (row.requester_id === actor.userId) return true;
    if (actor.permissions.has('grant.manage')) return true;
    const db = this.deps.db;
    if (await db.selectFrom('access_approvals').select('id').where('request_id', '=', row.id).where('approver_id', '=', actor.userId).executeTakeFirst()) return true;
    if (actor.permissions.has('access.approve') && row.state === 'pending' && (await this.approvals.eligible(actor, row)) === null) return true;
    if (actor.permissions.has('use.manage')) {
      const scope = await this.deps.access.scope(actor, 'use.manage');
      const units = await db.selectFrom('access_request_dossiers').select('managing_unit_id').where('request_id', '=', row.id).execute();
      return scope.unitIds === null || units.every((u) => scope.unitIds!.has(u.managing_unit_id));
    }
    return false;
  }

  private async validate(input: NewAccessRequest, now: Date): Promise<void> {
    const from = new Date(input.periodFrom).getTime();
    const to = new Date(input.periodTo).getTime();
    if (from < now.getTime() - 60_000) throw invalid('PERIOD_IN_PAST', '查阅期限的开始时间不能早于现在', { periodFrom: '不能早于现在' });
    if (to <= from) throw invalid('PERIOD_INVALID', '查阅期限的结束时间须晚于开始时间', { periodTo: '须晚于开始时间' });
    const maxDays = await this.deps.settings.get('use.maxGrantDays');
    if (to - from > maxDays * DAY_MS) {
      throw invalid('PERIOD_TOO_LONG', `查阅期限最长 ${maxDays} 天`, { periodTo: `最长 ${maxDays} 天` });
    }
    if (input.mode === 'print' || input.mode === 'excerpt') {
      const max = await this.deps.settings.get('use.maxPrintLimit');
      if (input.printLimit < 1 || input.printLimit > max) {
        throw invalid('PRINT_LIMIT_INVALID', `打印次数须为 1–${max} 次`, { printLimit: `1–${max} 次` });
      }
    } else if (input.printLimit !== 0) {
      throw invalid('PRINT_LIMIT_NOT_ALLOWED', '只有打印或摘录的申请可以填写打印次数', { printLimit: '此方式不打印' });
    }
    if (input.mode === 'lend' && input.scopeKind !== 'dossier') {
      throw invalid('LEND_WHOLE_DOSSIER', '借阅纸质档案只能整本申请', { scopeKind: '借阅须为整本档案' });
    }
    if (input.scopeKind === 'classes') {
      if (input.classCodes.length === 0) throw invalid('SCOPE_EMPTY', '按类别申请时请至少选择一个类别', { classCodes: '请选择类别' });
      const unknown = input.classCodes.filter((c) => !CLASS_CODES.has(c));
      if (unknown.length > 0) throw invalid('CLASS_UNKNOWN', `类别「${unknown.join('、')}」不存在`, { classCodes: '含不存在的类别' });
    } else if (input.classCodes.length > 0) {
      throw invalid('SCOPE_MISMATCH', '只有按类别申请时才能选择类别', { classCodes: '不按类别申请' });
    }
    if (input.scopeKind === 'materials') {
      if (input.materialIds.length === 0) throw invalid('SCOPE_EMPTY', '按材料申请时请至少选择一份材料', { materialIds: '请选择材料' });
    } else if (input.materialIds.length > 0) {
      throw invalid('SCOPE_MISMATCH', '只有按材料申请时才能选择材料', { materialIds: '不按材料申请' });
    }
  }

  private async checkMaterials(materialIds: string[], dossierIds: string[]): Promise<string[]> {
    const ids = [...new Set(materialIds)];
    const found = await this.deps.db.selectFrom('materials').select(['id', 'dossier_id', 'deleted_at']).where('id', 'in', ids).execute();
    const bad = ids.filter((id) => {
      const m = found.find((f) => f.id === id);
      return !m || m.deleted_at !== null || !dossierIds.includes(m.dossier_id);
    });
    if (bad.length > 0) {
      throw invalid('MATERIAL_NOT_IN_DOSSIER', `有 ${bad.length} 份材料不属于所申请的档案或已删除`, { materialIds: '含不属于所申请档案的材料' });
    }
    return ids;
  }
}
