import type { Cadre, DossierSummary } from '@dangan/contracts';
import {
  DOSSIER_STATE_LABELS, calendarDateAt, checkIdNumber, compareBirthDate, descendantsOf, pinyinInitials, type DossierState,
} from '@dangan/domain';
import type { Clock } from '../../platform/clock.js';
import type { DatabaseKind, Db, Executor } from '../../platform/db/connect.js';
import { orConflict } from '../../platform/db/dialect.js';
import type { CadreTable, DossierTable } from '../../platform/db/schema.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { AccessService, Authorized, DataScope } from '../access/access.js';
import type { Actor } from '../access/actor.js';
import type { AuditLog } from '../audit/audit.log.js';
import { fromIsoPrefix, parseDateField } from '../catalogue/dates.js';
import { assertDictionaryCode } from '../dictionary/dictionary.service.js';
import type { CompletenessService } from '../completeness/completeness.service.js';
import type { CatalogueIndex } from '../search/search.service.js';
import type { SettingsService } from '../settings/settings.service.js';
import { unitsRepository } from '../units/units.repository.js';
import { cadresRepository, type CadreFilter } from './cadres.repository.js';

export interface CadreInput {
  name?: string;
  gender?: string | null;
  birthDate?: string | null;
  idNumber?: string | null;
  ethnicity?: string | null;
  nativePlace?: string | null;
  birthPlace?: string | null;
  politicalStatus?: string | null;
  partyJoinDate?: string | null;
  workStartDate?: string | null;
  education?: string | null;
  degree?: string | null;
  position?: string | null;
  rank?: string | null;
  personnelStatus?: string | null;
  managingUnitId?: string;
}

export interface DossierInput {
  dossierNo: string;
  custodianUnitId: string;
  location: string;
  secrecyLevel: string | null;
}

/** For work inside a transaction whose caller has already checked the actor's scope. */
const ALL_UNITS = { permission: 'cadre.read', unitIds: null } as Authorized<DataScope>;

const CODED: { key: keyof CadreInput; type: string; label: string }[] = [
  { key: 'gender', type: 'gender', label: '性别' },
  { key: 'ethnicity', type: 'ethnicity', label: '民族' },
  { key: 'politicalStatus', type: 'political_status', label: '政治面貌' },
  { key: 'education', type: 'education', label: '学历' },
  { key: 'degree', type: 'degree', label: '学位' },
  { key: 'rank', type: 'rank', label: '职务职级' },
  { key: 'personnelStatus', type: 'personnel_status', label: '人员状态' },
];

const DATES: { key: 'birthDate' | 'partyJoinDate' | 'workStartDate'; column: 'birth_date' | 'party_join_date' | 'work_start_date'; label: string }[] = [
  { key: 'birthDate', column: 'birth_date', label: '出生日期' },
  { key: 'partyJoinDate', column: 'party_join_date', label: '入党时间' },
  { key: 'workStartDate', column: 'work_start_date', label: '参加工作时间' },
];

export class CadresService {
  constructor(
    private readonly db: Db,
    private readonly kind: DatabaseKind,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly access: AccessService,
    private readonly settings: SettingsService,
    private readonly completeness: CompletenessService,
    private readonly searchIndex: CatalogueIndex,
  ) {}

  async list(actor: Actor, query: Omit<CadreFilter, 'unitIds'> & { unitId?: string }, page: number, pageSize: number) {
    const scope = await this.access.scope(actor, 'cadre.read');
    const { unitId, ...rest } = query;
    const filter: CadreFilter = { ...rest };
    if (unitId) {
      const units = (await unitsRepository(this.db).all()).map((u) => ({ id: u.id, parentId: u.parent_id }));
      filter.unitIds = [...descendantsOf(units, [unitId])];
    }
    const { rows, total } = await cadresRepository(this.db, this.kind).page(scope, filter, (page - 1) * pageSize, pageSize);
    return {
      total,
      items: rows.map((r) => ({
        id: r.id,
        name: r.name,
        gender: r.gender,
        birthDate: r.birth_date,
        idNumber: r.id_number,
        position: r.position,
        managingUnitName: r.unit_name,
        dossierId: r.dossier_id,
        dossierNo: r.dossier_no,
        state: r.state,
        stateLabel: r.state ? dossierStateLabel(r.state) : null,
        materialCount: r.material_count ?? 0,
        pageCount: r.page_count ?? 0,
        missingCount: r.missing_count,
        updatedAt: r.updated_at,
      })),
    };
  }

  async get(actor: Actor, id: string): Promise<Cadre> {
    const scope = await this.access.scope(actor, 'cadre.read');
    const cadre = await this.view(this.db, scope, id);
    await this.audit.record(actor.audit, { action: 'cadre.view', objectType: 'cadre', objectId: id, objectLabel: cadre.name });
    return cadre;
  }

  async create(actor: Actor, input: CadreInput & { name: string; managingUnitId: string }, dossier?: DossierInput): Promise<Cadre> {
    const scope = await this.access.requireUnits(actor, 'cadre.edit', [input.managingUnitId]);
    if (dossier) await this.access.requireUnits(actor, 'dossier.edit', [input.managingUnitId]);
    return this.db.transaction().execute(async (trx) => {
      const id = await this.createIn(trx, actor, input, dossier);
      return this.view(trx, scope, id);
    });
  }

  /** Creates inside the caller's transaction; the caller has checked the actor's scope. */
  async createIn(trx: Executor, actor: Actor, input: CadreInput & { name: string; managingUnitId: string }, dossier?: DossierInput): Promise<string> {
    const now = this.clock.now().toISOString();
    const fields = await this.validated(trx, input, null);
    const row: CadreTable = {
      id: newId(),
      name: input.name,
      name_initials: pinyinInitials(input.name),
      gender: null, birth_date: null, id_number: null, id_number_check: null, ethnicity: null, native_place: null,
      birth_place: null, political_status: null, party_join_date: null, work_start_date: null, education: null,
      degree: null, position: null, rank: null, personnel_status: null,
      ...fields,
      managing_unit_id: input.managingUnitId,
      created_at: now,
      updated_at: now,
    };
    await orConflict(cadresRepository(trx, this.kind).insert(row), () => idNumberTaken(row.id_number));
    const view = await this.view(trx, ALL_UNITS, row.id);
    await this.audit.append(trx, actor.audit, {
      action: 'cadre.create', objectType: 'cadre', objectId: row.id, objectLabel: row.name, detail: { after: summary(view) },
    });
    if (dossier) await this.insertDossier(trx, actor, row, dossier);
    await this.searchIndex.indexCatalogue(trx, { cadreIds: [row.id] });
    return row.id;
  }

  /** Applies a patch inside the caller's transaction; returns whether anything changed. */
  async updateIn(trx: Executor, actor: Actor, id: string, patch: CadreInput): Promise<boolean> {
    const current = await cadresRepository(trx, this.kind).byId(ALL_UNITS, id);
    if (!current) throw notFound('CADRE_NOT_FOUND', '干部不存在');
    const before = await this.view(trx, ALL_UNITS, id);
    const fields = await this.validated(trx, patch, current);
    const changes: Partial<CadreTable> = { ...fields };
    if (patch.name && patch.name !== current.name) Object.assign(changes, { name: patch.name, name_initials: pinyinInitials(patch.name) });
    if (patch.managingUnitId) changes.managing_unit_id = patch.managingUnitId;
    const changed = Object.entries(changes).some(([k, v]) => current[k as keyof CadreTable] !== v);
    if (!changed) return false;
    await orConflict(
      cadresRepository(trx, this.kind).update(id, { ...changes, updated_at: this.clock.now().toISOString() }),
      () => idNumberTaken(fields.id_number ?? null),
    );
    const after = await this.view(trx, ALL_UNITS, id);
    // The rules read the cadre's facts (party membership, work start, …): his dossier's result changes.
    if (after.dossier) await this.completeness.refresh(trx, after.dossier.id);
    await this.audit.append(trx, actor.audit, {
      action: 'cadre.update', objectType: 'cadre', objectId: id, objectLabel: after.name,
      detail: { before: summary(before), after: summary(after) },
    });
    await this.searchIndex.indexCatalogue(trx, { cadreIds: [id] });
    return true;
  }

  async update(actor: Actor, id: string, patch: CadreInput): Promise<Cadre> {
    const scope = await this.access.scope(actor, 'cadre.edit');
    if (patch.managingUnitId) await this.access.requireUnits(actor, 'cadre.edit', [patch.managingUnitId]);
    return this.db.transaction().execute(async (trx) => {
      if (!(await cadresRepository(trx, this.kind).byId(scope, id))) throw notFound('CADRE_NOT_FOUND', '干部不存在或不在您的数据范围内');
      await this.updateIn(trx, actor, id, patch);
      return this.view(trx, scope, id);
    });
  }

  async createDossier(actor: Actor, cadreId: string, input: DossierInput): Promise<Cadre> {
    const scope = await this.access.scope(actor, 'dossier.edit');
    return this.db.transaction().execute(async (trx) => {
      const cadre = await cadresRepository(trx, this.kind).byId(scope, cadreId);
      if (!cadre) throw notFound('CADRE_NOT_FOUND', '干部不存在或不在您的数据范围内');
      if (await cadresRepository(trx, this.kind).dossierOfCadre(cadreId)) {
        throw conflict('DOSSIER_EXISTS', `${cadre.name}已有档案，一人一档`);
      }
      await this.insertDossier(trx, actor, cadre, input);
      return this.view(trx, scope, cadreId);
    });
  }

  // ------------------------------------------------------------------ helpers
  private async insertDossier(trx: Executor, actor: Actor, cadre: CadreTable, input: DossierInput): Promise<void> {
    const pattern = await this.settings.get('dossier.numberPattern', trx);
    if (!new RegExp(`^(?:${pattern})$`, 'u').test(input.dossierNo)) {
      throw invalid('DOSSIER_NO_FORMAT', `档案号「${input.dossierNo}」不符合本单位的档案号格式`, { 'dossier.dossierNo': '格式不符' });
    }
    const custodian = await unitsRepository(trx).byId(input.custodianUnitId);
    if (!custodian) throw invalid('UNIT_NOT_FOUND', '保管单位不存在', { 'dossier.custodianUnitId': '单位不存在' });
    await assertDictionaryCode(trx, 'secrecy_level', input.secrecyLevel, 'dossier.secrecyLevel', '密级');
    const now = this.clock.now().toISOString();
    const row: DossierTable = {
      id: newId(), dossier_no: input.dossierNo, cadre_id: cadre.id, custodian_unit_id: input.custodianUnitId,
      location: input.location, state: 'in_store', secrecy_level: input.secrecyLevel, material_count: 0,
      page_count: 0, completeness_status: null, missing_count: null, created_at: now, updated_at: now,
    };
    await orConflict(cadresRepository(trx, this.kind).insertDossier(row), () =>
      conflict('DOSSIER_NO_TAKEN', `档案号「${input.dossierNo}」已被使用`, { 'dossier.dossierNo': '已被使用' }),
    );
    await this.completeness.refresh(trx, row.id);
    await this.audit.append(trx, actor.audit, {
      action: 'dossier.create', objectType: 'dossier', objectId: row.id, objectLabel: `${row.dossier_no}（${cadre.name}）`,
      detail: { after: { dossierNo: row.dossier_no, custodian: custodian.name, location: row.location, secrecyLevel: row.secrecy_level } },
    });
    await this.searchIndex.indexCatalogue(trx, { dossierIds: [row.id] });
  }

  /** Codes, dates and the ID number of an input, checked and turned into columns. */
  private async validated(trx: Executor, input: CadreInput, current: CadreTable | null): Promise<Partial<CadreTable>> {
    const out: Partial<CadreTable> = {};
    for (const c of CODED) {
      const value = input[c.key];
      if (value === undefined) continue;
      await assertDictionaryCode(trx, c.type, value, c.key, c.label);
      out[toColumn(c.key)] = value as never;
    }
    const now = this.clock.now();
    for (const d of DATES) {
      if (input[d.key] === undefined) continue;
      out[d.column] = parseDateField(input[d.key], d.key, d.label, now);
    }
    if (input.managingUnitId !== undefined) {
      const unit = await unitsRepository(trx).byId(input.managingUnitId);
      if (!unit) throw invalid('UNIT_NOT_FOUND', '管理单位不存在', { managingUnitId: '单位不存在' });
    }
    for (const key of ['nativePlace', 'birthPlace', 'position'] as const) {
      if (input[key] !== undefined) out[toColumn(key)] = (input[key] || null) as never;
    }
    const idNumber = input.idNumber === undefined ? current?.id_number ?? null : input.idNumber || null;
    const birth = out.birth_date !== undefined ? out.birth_date : current?.birth_date ?? null;
    if (input.idNumber !== undefined || out.birth_date !== undefined) {
      const checked = this.checkId(idNumber, birth);
      out.id_number = checked.normalized;
      out.id_number_check = checked.status;
      if (checked.normalized) {
        const other = await cadresRepository(trx, this.kind).byIdNumber(checked.normalized);
        if (other && other.id !== current?.id) throw idNumberTaken(checked.normalized);
      }
    }
    return out;
  }

  /** An invalid number is refused; a valid one whose birth date disagrees with 出生日期 is kept and flagged. */
  private checkId(idNumber: string | null, birthDate: string | null): { normalized: string | null; status: string | null } {
    if (!idNumber) return { normalized: null, status: null };
    const result = checkIdNumber(idNumber, calendarDateAt(this.clock.now()));
    if (!result.ok) throw invalid('ID_NUMBER_INVALID', `公民身份号码不正确：${result.reason}`, { idNumber: result.reason });
    const agreement = compareBirthDate(result.birthDate, fromIsoPrefix(birthDate));
    return { normalized: result.normalized, status: agreement === 'mismatch' ? 'mismatch' : 'valid' };
  }

  private async view(executor: Executor, scope: Authorized<DataScope>, id: string): Promise<Cadre> {
    const repo = cadresRepository(executor, this.kind);
    const row = await repo.byId(scope, id);
    if (!row) throw notFound('CADRE_NOT_FOUND', '干部不存在或不在您的数据范围内');
    const dossier = await repo.dossierOfCadre(id);
    const unitIds = [row.managing_unit_id, ...(dossier ? [dossier.custodian_unit_id] : [])];
    const units = new Map((await unitsRepository(executor).byIds(unitIds)).map((u) => [u.id, u.name]));
    return {
      id: row.id,
      name: row.name,
      nameInitials: row.name_initials,
      gender: row.gender,
      birthDate: row.birth_date,
      idNumber: row.id_number,
      idNumberCheck: idCheckView(row),
      ethnicity: row.ethnicity,
      nativePlace: row.native_place,
      birthPlace: row.birth_place,
      politicalStatus: row.political_status,
      partyJoinDate: row.party_join_date,
      workStartDate: row.work_start_date,
      education: row.education,
      degree: row.degree,
      position: row.position,
      rank: row.rank,
      personnelStatus: row.personnel_status,
      managingUnitId: row.managing_unit_id,
      managingUnitName: units.get(row.managing_unit_id) ?? '',
      dossier: dossier ? dossierSummary(dossier, units.get(dossier.custodian_unit_id) ?? '') : null,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}

export function dossierStateLabel(state: string): string {
  return DOSSIER_STATE_LABELS[state as DossierState] ?? state;
}

export function dossierSummary(d: DossierTable, custodianUnitName: string): DossierSummary {
  return {
    id: d.id, dossierNo: d.dossier_no, state: d.state, stateLabel: dossierStateLabel(d.state), custodianUnitId: d.custodian_unit_id,
    custodianUnitName, location: d.location, secrecyLevel: d.secrecy_level, materialCount: d.material_count, pageCount: d.page_count,
  };
}

function idCheckView(row: CadreTable): Cadre['idNumberCheck'] {
  if (!row.id_number) return { status: 'absent', message: '未填写公民身份号码' };
  if (row.id_number_check === 'mismatch') return { status: 'mismatch', message: '身份号码中的出生日期与出生日期不一致，请核对' };
  return { status: 'valid', message: '身份号码校验通过' };
}

function idNumberTaken(idNumber: string | null) {
  return conflict('CADRE_ID_NUMBER_TAKEN', `公民身份号码「${idNumber ?? ''}」已登记在其他干部名下`, { idNumber: '已登记' });
}

function toColumn(key: keyof CadreInput): keyof CadreTable {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) as keyof CadreTable;
}

function summary(c: Cadre) {
  const { dossier: _dossier, createdAt: _c, updatedAt: _u, idNumberCheck, ...rest } = c;
  return { ...rest, idNumberCheck: idNumberCheck.status };
}
