import {
  evaluate, type CadreFacts, type ClassCode, type CompletenessResult, type CompletenessRule,
} from '@dangan/domain';
import type { Clock } from '../../platform/clock.js';
import type { DatabaseKind, Db, Executor } from '../../platform/db/connect.js';
import { fromBool } from '../../platform/db/dialect.js';
import type { CadreTable, CompletenessRuleTable } from '../../platform/db/schema.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { AccessService } from '../access/access.js';
import type { Actor } from '../access/actor.js';
import type { AuditLog } from '../audit/audit.log.js';
import { catalogueRepository } from '../catalogue/catalogue.repository.js';
import { fromIsoPrefix } from '../catalogue/dates.js';

/** 中共党员, 中共预备党员 (GB/T 4762): party membership for the rules. */
const PARTY_CODES = new Set(['01', '02']);

export const MISSING_STATES = { pending: '待收集', requested: '已催要', filed: '已归档' } as const;
export type MissingState = keyof typeof MISSING_STATES;
const NEXT: Record<MissingState, MissingState[]> = { pending: ['requested', 'filed'], requested: ['filed'], filed: [] };

export interface CompletenessReport {
  dossierId: string;
  dossierNo: string;
  cadre: { id: string; name: string };
  status: 'complete' | 'incomplete';
  missingCount: number;
  evaluatedAt: string;
  results: (CompletenessResult & { classCode: string; basis: string })[];
  register: MissingEntry[];
}

export interface MissingEntry {
  id: string;
  ruleCode: string | null;
  item: string;
  state: MissingState;
  stateLabel: string;
  notedAt: string;
  requestedAt: string | null;
  filedAt: string | null;
  remark: string;
}

/**
 * A dossier's completeness against the rules (DOMAIN.md §3), and the register of missing materials
 * (欠缺材料登记) that tracks each one until it is collected. The last result is kept on the dossier for
 * list filters and refreshed whenever the catalogue or the cadre changes.
 */
export class CompletenessService {
  constructor(
    private readonly db: Db,
    private readonly kind: DatabaseKind,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly access: AccessService,
  ) {}

  async report(actor: Actor, dossierId: string): Promise<CompletenessReport> {
    const scope = await this.access.scope(actor, 'dossier.read');
    const dossier = await catalogueRepository(this.db, this.kind).dossier(scope, dossierId);
    if (!dossier) throw notFound('DOSSIER_NOT_FOUND', '档案不存在或不在您的数据范围内');
    return this.db.transaction().execute(async (trx) => {
      const report = await this.refresh(trx, dossierId);
      await this.audit.append(trx, actor.audit, {
        action: 'completeness.view', objectType: 'dossier', objectId: dossierId, objectLabel: `${dossier.dossier_no}（${dossier.cadre_name}）`,
        detail: { status: report.status, missing: report.missingCount },
      });
      return report;
    });
  }

  /** Evaluates and stores the result on the dossier; callers run it inside their change's transaction. */
  async refresh(trx: Executor, dossierId: string): Promise<CompletenessReport> {
    const dossier = await trx.selectFrom('dossiers').select(['id', 'cadre_id', 'dossier_no']).where('id', '=', dossierId).executeTakeFirstOrThrow();
    const cadre = await trx.selectFrom('cadres').selectAll().where('id', '=', dossier.cadre_id).executeTakeFirstOrThrow();
    const rules = await trx.selectFrom('completeness_rules').selectAll().where('enabled', '=', 1).orderBy('sort_order').execute();
    const materials = (await catalogueRepository(trx, this.kind).materials(dossierId)).filter((m) => !m.deleted_at);
    const facts = await this.facts(trx, cadre);
    const domainRules = rules.map(toDomainRule);
    const results = evaluate(
      domainRules,
      facts,
      materials.map((m) => ({ name: m.name, classCode: m.class_code as ClassCode, date: fromIsoPrefix(m.formed_on) })),
    ).map((r, i) => ({ ...r, classCode: rules[i]!.class_code, basis: domainRules[i]!.basis }));
    const missingCount = results.filter((r) => r.status === 'missing').reduce((n, r) => n + Math.max(1, r.missingItems?.length ?? 0), 0);
    const status = missingCount > 0 ? 'incomplete' : 'complete';
    await trx.updateTable('dossiers').set({ completeness_status: status, missing_count: missingCount }).where('id', '=', dossierId).execute();
    return { dossierId, dossierNo: dossier.dossier_no, cadre: { id: cadre.id, name: cadre.name }, status, missingCount, evaluatedAt: this.clock.now().toISOString(), results, register: await this.register(trx, dossierId) };
  }

  async note(actor: Actor, dossierId: string, input: { item: string; ruleCode: string | null; remark: string }): Promise<MissingEntry[]> {
    const scope = await this.access.scope(actor, 'catalogue.edit');
    return this.db.transaction().execute(async (trx) => {
      const dossier = await catalogueRepository(trx, this.kind).dossier(scope, dossierId);
      if (!dossier) throw notFound('DOSSIER_NOT_FOUND', '档案不存在或不在您的数据范围内');
      const open = await trx.selectFrom('missing_materials').select('id').where('dossier_id', '=', dossierId).where('item', '=', input.item).where('state', '!=', 'filed').executeTakeFirst();
      if (open) throw conflict('MISSING_ALREADY_NOTED', `「${input.item}」已登记为欠缺材料`);
      const now = this.clock.now().toISOString();
      const id = newId();
      await trx.insertInto('missing_materials').values({
        id, dossier_id: dossierId, rule_code: input.ruleCode, item: input.item, state: 'pending', noted_at: now, requested_at: null,
        filed_at: null, remark: input.remark, updated_at: now,
      }).execute();
      await this.audit.append(trx, actor.audit, {
        action: 'missing.note', objectType: 'dossier', objectId: dossierId, objectLabel: `${dossier.dossier_no}·${input.item}`, detail: input,
      });
      return this.register(trx, dossierId);
    });
  }

  async advance(actor: Actor, entryId: string, state: MissingState, remark: string | undefined): Promise<MissingEntry[]> {
    const scope = await this.access.scope(actor, 'catalogue.edit');
    return this.db.transaction().execute(async (trx) => {
      const entry = await trx.selectFrom('missing_materials').selectAll().where('id', '=', entryId).executeTakeFirst();
      const dossier = entry ? await catalogueRepository(trx, this.kind).dossier(scope, entry.dossier_id) : undefined;
      if (!entry || !dossier) throw notFound('MISSING_NOT_FOUND', '欠缺材料登记不存在或不在您的数据范围内');
      const from = entry.state as MissingState;
      if (!NEXT[from].includes(state)) {
        throw invalid('MISSING_STATE', `「${MISSING_STATES[from]}」不能改为「${MISSING_STATES[state]}」`, { state: '状态顺序不对' });
      }
      const now = this.clock.now().toISOString();
      await trx.updateTable('missing_materials').set({
        state,
        ...(state === 'requested' ? { requested_at: now } : { filed_at: now }),
        ...(remark !== undefined ? { remark } : {}),
        updated_at: now,
      }).where('id', '=', entryId).execute();
      await this.audit.append(trx, actor.audit, {
        action: 'missing.update', objectType: 'dossier', objectId: entry.dossier_id, objectLabel: `${dossier.dossier_no}·${entry.item}`,
        detail: { before: MISSING_STATES[from], after: MISSING_STATES[state], remark },
      });
      return this.register(trx, entry.dossier_id);
    });
  }

  async rules(): Promise<CompletenessRuleView[]> {
    const rows = await this.db.selectFrom('completeness_rules').selectAll().orderBy('sort_order').execute();
    return rows.map(ruleView);
  }

  async updateRule(actor: Actor, code: string, patch: { label?: string; enabled?: boolean; synonyms?: string[] }): Promise<CompletenessRuleView> {
    return this.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('completeness_rules').selectAll().where('code', '=', code).executeTakeFirst();
      if (!before) throw notFound('RULE_NOT_FOUND', '完整性规则不存在');
      const definition = JSON.parse(before.definition) as Definition;
      if (patch.synonyms) definition.synonyms = [...new Set(patch.synonyms.map((s) => s.trim()).filter(Boolean))];
      if (definition.synonyms.length === 0) throw invalid('RULE_SYNONYMS_EMPTY', '至少保留一个材料名称', { synonyms: '不能为空' });
      await trx.updateTable('completeness_rules').set({
        label: patch.label ?? before.label,
        enabled: patch.enabled === undefined ? before.enabled : patch.enabled ? 1 : 0,
        definition: JSON.stringify(definition),
        updated_at: this.clock.now().toISOString(),
        updated_by: actor.username,
      }).where('code', '=', code).execute();
      const after = (await trx.selectFrom('completeness_rules').selectAll().where('code', '=', code).executeTakeFirstOrThrow());
      // Every stored result was computed under the old rule: they read as not evaluated until each
      // dossier is next viewed or changed, rather than stay wrong.
      await trx.updateTable('dossiers').set({ completeness_status: null, missing_count: null }).execute();
      await this.audit.append(trx, actor.audit, {
        action: 'completeness.rule_update', objectType: 'completeness_rule', objectId: code, objectLabel: after.label,
        detail: { before: ruleView(before), after: ruleView(after) },
      });
      return ruleView(after);
    });
  }

  private async register(trx: Executor, dossierId: string): Promise<MissingEntry[]> {
    const rows = await trx.selectFrom('missing_materials').selectAll().where('dossier_id', '=', dossierId).orderBy('noted_at').execute();
    return rows.map((r) => ({
      id: r.id, ruleCode: r.rule_code, item: r.item, state: r.state as MissingState, stateLabel: MISSING_STATES[r.state as MissingState] ?? r.state,
      notedAt: r.noted_at, requestedAt: r.requested_at, filedAt: r.filed_at, remark: r.remark,
    }));
  }

  /** What the rules need to know of a cadre; what the record does not say stays unknown. */
  private async facts(trx: Executor, c: CadreTable): Promise<CadreFacts> {
    const status = c.personnel_status
      ? (await trx.selectFrom('dictionary_entries').select('label').where('type', '=', 'personnel_status').where('code', '=', c.personnel_status).executeTakeFirst())?.label ?? null
      : null;
    return {
      birthDate: fromIsoPrefix(c.birth_date),
      workStartDate: fromIsoPrefix(c.work_start_date),
      partyMember: c.political_status === null ? null : PARTY_CODES.has(c.political_status),
      partyJoinDate: fromIsoPrefix(c.party_join_date),
      personnelStatus: status,
      educationCode: c.education,
      hasDegree: c.degree === null ? null : true,
      hasForeignDegree: null,
      titleLevel: null,
      appointments: null,
      currentYear: Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(this.clock.now())),
    };
  }
}

interface Definition {
  appliesWhen: CompletenessRule['appliesWhen'];
  expectation: CompletenessRule['expectation'];
  synonyms: string[];
  basis: string;
}

export interface CompletenessRuleView {
  code: string;
  label: string;
  classCode: string;
  enabled: boolean;
  synonyms: string[];
  basis: string;
  definition: unknown;
  updatedAt: string;
  updatedBy: string | null;
}

function toDomainRule(r: CompletenessRuleTable): CompletenessRule {
  const d = JSON.parse(r.definition) as Definition;
  return { code: r.code, label: r.label, classCode: r.class_code as ClassCode, appliesWhen: d.appliesWhen, expectation: d.expectation, synonyms: d.synonyms, basis: d.basis };
}

function ruleView(r: CompletenessRuleTable): CompletenessRuleView {
  const d = JSON.parse(r.definition) as Definition;
  return {
    code: r.code, label: r.label, classCode: r.class_code, enabled: fromBool(r.enabled), synonyms: d.synonyms, basis: d.basis,
    definition: { appliesWhen: d.appliesWhen, expectation: d.expectation }, updatedAt: r.updated_at, updatedBy: r.updated_by,
  };
}
