import type { Catalogue, Material } from '@dangan/contracts';
import {
  CLASS_TREE, checkPlacement, importanceFor, isLeafClass, numberCatalogue, orderRule, parseClassCode, sortClass,
  type ClassCode, type LeafClassCode, type NamedCatalogueMaterial,
} from '@dangan/domain';
import type { Clock } from '../../platform/clock.js';
import type { DatabaseKind, Db, Executor } from '../../platform/db/connect.js';
import type { MaterialTable } from '../../platform/db/schema.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { AccessService, Authorized, DataScope } from '../access/access.js';
import type { Actor } from '../access/actor.js';
import type { AuditLog } from '../audit/audit.log.js';
import type { CompletenessService } from '../completeness/completeness.service.js';
import type { CatalogueIndex } from '../search/search.service.js';
import { dossierSummary } from '../cadres/cadres.service.js';
import { catalogueRepository } from './catalogue.repository.js';
import { fromIsoPrefix, parseDateField } from './dates.js';

export interface MaterialInput {
  classCode: string;
  name: string;
  formedOn: string | null;
  copies: number;
  pages: number;
  remark: string;
  importance?: number | null;
}

/** A dossier that has left our keeping is read-only here until it is received back. */
const FROZEN_STATES: ReadonlySet<string> = new Set(['transferred_out', 'closed']);

type DossierRow = NonNullable<Awaited<ReturnType<ReturnType<typeof catalogueRepository>['dossier']>>>;

/**
 * The catalogue of a dossier: materials by class, ordered by each class's rule and numbered by the
 * domain package. Every change renumbers the whole dossier in the same transaction; materials keep
 * their ids, which is what page images link to.
 */
export class CatalogueService {
  constructor(
    private readonly db: Db,
    private readonly kind: DatabaseKind,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly access: AccessService,
    private readonly completeness: CompletenessService,
    private readonly searchIndex: CatalogueIndex,
  ) {}

  async view(actor: Actor, dossierId: string): Promise<Catalogue> {
    const scope = await this.access.scope(actor, 'dossier.read');
    const dossier = await this.dossierOrThrow(this.db, scope, dossierId);
    const catalogue = await this.build(this.db, dossier);
    await this.audit.record(actor.audit, {
      action: 'catalogue.view', objectType: 'dossier', objectId: dossierId, objectLabel: label(dossier),
    });
    return catalogue;
  }

  async add(actor: Actor, dossierId: string, input: MaterialInput): Promise<Catalogue> {
    return this.change(actor, dossierId, async (trx, dossier) => {
      const repo = catalogueRepository(trx, this.kind);
      const classCode = this.classCode(input.classCode);
      const now = this.clock.now().toISOString();
      const row: MaterialTable = {
        id: newId(), dossier_id: dossierId, class_code: classCode, piece_no: 0, seq: '', name: input.name,
        formed_on: parseDateField(input.formedOn, 'formedOn', '材料形成时间', this.clock.now()),
        copies: input.copies, pages: input.pages, remark: input.remark,
        importance: input.importance === undefined ? importanceFor(classCode, input.name) : input.importance,
        manual_position: null, created_seq: await repo.nextCreatedSeq(dossierId), source_piece_no: null, deleted_at: null, deleted_by: null,
        delete_reason: null, created_at: now, updated_at: now,
      };
      await repo.insert(row);
      return {
        action: 'material.create', objectId: row.id, objectLabel: `${label(dossier)}·${row.name}`,
        detail: { after: materialSummary(row) },
      };
    });
  }

  async update(actor: Actor, materialId: string, patch: Partial<MaterialInput>): Promise<Catalogue> {
    const material = await this.materialOrThrow(materialId);
    return this.change(actor, material.dossier_id, async (trx) => {
      const repo = catalogueRepository(trx, this.kind);
      const before = (await repo.material(materialId))!;
      if (before.deleted_at) throw conflict('MATERIAL_DELETED', '该材料已删除，请先恢复');
      const classCode = patch.classCode === undefined ? before.class_code : this.classCode(patch.classCode);
      const name = patch.name ?? before.name;
      const draft = {
        class_code: classCode,
        name,
        formed_on: patch.formedOn === undefined ? before.formed_on : parseDateField(patch.formedOn, 'formedOn', '材料形成时间', this.clock.now()),
        copies: patch.copies ?? before.copies,
        pages: patch.pages ?? before.pages,
        remark: patch.remark ?? before.remark,
        importance:
          patch.importance !== undefined
            ? patch.importance
            : classCode !== before.class_code || name !== before.name
              ? importanceFor(classCode as ClassCode, name) ?? before.importance
              : before.importance,
        updated_at: this.clock.now().toISOString(),
      };
      const moved = draft.class_code !== before.class_code || draft.formed_on !== before.formed_on || draft.importance !== before.importance;
      // The clerk's order only ever broke ties: once the class, date or rank changes, the tie it broke
      // is gone, and so is the position.
      const after: MaterialTable = { ...before, ...draft, manual_position: moved ? null : before.manual_position };
      await repo.update(materialId, after);
      return {
        action: 'material.update', objectId: materialId, objectLabel: after.name,
        detail: { before: materialSummary(before), after: materialSummary(after) },
      };
    });
  }

  async remove(actor: Actor, materialId: string, reason: string): Promise<Catalogue> {
    const material = await this.materialOrThrow(materialId);
    return this.change(actor, material.dossier_id, async (trx) => {
      const repo = catalogueRepository(trx, this.kind);
      const before = (await repo.material(materialId))!;
      if (before.deleted_at) throw conflict('MATERIAL_DELETED', '该材料已删除');
      await repo.update(materialId, { deleted_at: this.clock.now().toISOString(), deleted_by: actor.username, delete_reason: reason });
      return {
        action: 'material.delete', objectId: materialId, objectLabel: before.name,
        detail: { before: materialSummary(before), reason },
      };
    });
  }

  async restore(actor: Actor, materialId: string): Promise<Catalogue> {
    const material = await this.materialOrThrow(materialId);
    return this.change(actor, material.dossier_id, async (trx) => {
      const repo = catalogueRepository(trx, this.kind);
      const before = (await repo.material(materialId))!;
      if (!before.deleted_at) throw conflict('MATERIAL_NOT_DELETED', '该材料未被删除');
      await repo.update(materialId, { deleted_at: null, deleted_by: null, delete_reason: null, manual_position: null, updated_at: this.clock.now().toISOString() });
      return {
        action: 'material.restore', objectId: materialId, objectLabel: before.name,
        detail: { deletedAt: before.deleted_at, deletedBy: before.deleted_by, reason: before.delete_reason },
      };
    }, 'material.restore');
  }

  /** The clerk's order for one class, used where the rule leaves a choice (same date, same rank). */
  async reorder(actor: Actor, dossierId: string, classCodeText: string, materialIds: string[]): Promise<Catalogue> {
    const classCode = this.classCode(classCodeText);
    return this.change(actor, dossierId, async (trx) => {
      const repo = catalogueRepository(trx, this.kind);
      const inClass = (await repo.materials(dossierId)).filter((m) => m.class_code === classCode && !m.deleted_at);
      const wanted = new Set(materialIds);
      if (wanted.size !== materialIds.length || inClass.length !== wanted.size || inClass.some((m) => !wanted.has(m.id))) {
        throw invalid('ORDER_MISMATCH', '调整顺序须列出本类的全部材料且不重复', { materialIds: '与本类材料不一致' });
      }
      for (const [i, id] of materialIds.entries()) await repo.update(id, { manual_position: i + 1 });
      return { action: 'catalogue.reorder', objectId: dossierId, objectLabel: `第 ${classCode} 类`, detail: { classCode, order: materialIds } };
    });
  }

  /** The catalogue for printing and export, unaudited: callers audit what they do with it. */
  async forOutput(actor: Actor, dossierId: string): Promise<{ catalogue: Catalogue; dossier: DossierRow }> {
    const scope = await this.access.scope(actor, 'dossier.read');
    const dossier = await this.dossierOrThrow(this.db, scope, dossierId);
    return { catalogue: await this.build(this.db, dossier), dossier };
  }

  // ------------------------------------------------------------------ internals
  private async change(
    actor: Actor,
    dossierId: string,
    apply: (trx: Executor, dossier: DossierRow) => Promise<{ action: 'material.create' | 'material.update' | 'material.delete' | 'material.restore' | 'catalogue.reorder'; objectId: string; objectLabel: string; detail: unknown }>,
    permission: 'catalogue.edit' | 'material.restore' = 'catalogue.edit',
  ): Promise<Catalogue> {
    const scope = await this.access.scope(actor, permission);
    return this.db.transaction().execute(async (trx) => {
      const repo = catalogueRepository(trx, this.kind);
      await repo.lockDossier(dossierId);
      const dossier = await this.dossierOrThrow(trx, scope, dossierId);
      if (FROZEN_STATES.has(dossier.state)) {
        throw conflict('DOSSIER_NOT_EDITABLE', `档案处于「${dossierSummary(dossier, '').stateLabel}」状态，目录不能修改`);
      }
      const event = await apply(trx, dossier);
      await this.renumber(trx, dossierId);
      await this.completeness.refresh(trx, dossierId);
      await this.audit.append(trx, actor.audit, { ...event, objectType: 'material' });
      if (event.action !== 'catalogue.reorder') await this.searchIndex.indexCatalogue(trx, { materialIds: [event.objectId] });
      return this.build(trx, (await this.dossierOrThrow(trx, scope, dossierId))!);
    });
  }

  /** Numbers computed by the domain rules; only rows whose number changed are written. */
  async renumber(trx: Executor, dossierId: string): Promise<void> {
    const repo = catalogueRepository(trx, this.kind);
    const live = (await repo.materials(dossierId)).filter((m) => !m.deleted_at);
    const numbers = numberCatalogue(live.map(toDomain));
    for (const m of live) {
      const n = numbers.get(m.id)!;
      if (n.份号 !== m.piece_no || n.序号 !== m.seq) await repo.update(m.id, { piece_no: n.份号, seq: n.序号 });
    }
    await repo.setTotals(dossierId, live.length, live.reduce((s, m) => s + m.pages, 0), this.clock.now().toISOString());
  }

  private async build(executor: Executor, dossier: DossierRow): Promise<Catalogue> {
    const all = await catalogueRepository(executor, this.kind).materials(dossier.id);
    const live = all.filter((m) => !m.deleted_at);
    const byClass = new Map<string, MaterialTable[]>();
    for (const m of live) byClass.set(m.class_code, [...(byClass.get(m.class_code) ?? []), m]);
    const custodian = await executor.selectFrom('units').select('name').where('id', '=', dossier.custodian_unit_id).executeTakeFirst();
    const classes = CLASS_TREE.map((node) => {
      const rows = isLeafClass(node.code) ? byClass.get(node.code) ?? [] : [];
      const named = rows.map((r) => ({ ...toDomain(r), name: r.name }));
      const sorted = sortClass(named);
      const inClass = isLeafClass(node.code) ? rows : live.filter((m) => CLASS_TREE.find((n) => n.code === m.class_code)?.parent === node.code);
      return {
        code: node.code,
        label: node.label,
        parentCode: node.parent,
        rule: isLeafClass(node.code) ? orderRule(node.code) : ('subclasses' as const),
        materialCount: inClass.length,
        pageCount: inClass.reduce((s, m) => s + m.pages, 0),
        materials: sorted.map((m) => toMaterial(rows.find((r) => r.id === m.id)!, checkPlacement(m, named).map((w) => w.message))),
      };
    });
    return {
      dossier: dossierSummary(dossier, custodian?.name ?? ''),
      cadre: { id: dossier.cadre_id, name: dossier.cadre_name, managingUnitName: dossier.managing_unit_name },
      classes,
      materialCount: live.length,
      pageCount: live.reduce((s, m) => s + m.pages, 0),
      deleted: all.filter((m) => m.deleted_at).map((m) => toMaterial(m, [])),
    };
  }

  private classCode(text: string): LeafClassCode {
    const parsed = parseClassCode(text);
    if (!parsed.ok) throw invalid('CLASS_CODE_INVALID', parsed.reason, { classCode: parsed.reason });
    return parsed.code;
  }

  private async dossierOrThrow(executor: Executor, scope: Authorized<DataScope>, dossierId: string): Promise<DossierRow> {
    const dossier = await catalogueRepository(executor, this.kind).dossier(scope, dossierId);
    if (!dossier) throw notFound('DOSSIER_NOT_FOUND', '档案不存在或不在您的数据范围内');
    return dossier;
  }

  private async materialOrThrow(id: string): Promise<MaterialTable> {
    const m = await catalogueRepository(this.db, this.kind).material(id);
    if (!m) throw notFound('MATERIAL_NOT_FOUND', '材料不存在');
    return m;
  }
}

function toDomain(m: MaterialTable): NamedCatalogueMaterial {
  return {
    id: m.id, classCode: m.class_code as ClassCode, date: fromIsoPrefix(m.formed_on), importance: m.importance,
    manualPosition: m.manual_position, createdSeq: Number(m.created_seq), name: m.name,
  };
}

function toMaterial(m: MaterialTable, warnings: string[]): Material {
  return {
    id: m.id, dossierId: m.dossier_id, classCode: m.class_code, pieceNo: m.piece_no, seq: m.seq, name: m.name,
    formedOn: m.formed_on, copies: m.copies, pages: m.pages, remark: m.remark, importance: m.importance,
    manualPosition: m.manual_position, warnings, deletedAt: m.deleted_at, deletedBy: m.deleted_by, deleteReason: m.delete_reason,
  };
}

function materialSummary(m: MaterialTable) {
  return { classCode: m.class_code, name: m.name, formedOn: m.formed_on, copies: m.copies, pages: m.pages, remark: m.remark, importance: m.importance };
}

function label(d: DossierRow): string {
  return `${d.dossier_no}（${d.cadre_name}）`;
}
