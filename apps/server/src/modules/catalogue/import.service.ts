import {
  calendarDateAt, checkIdNumber, importanceFor, parseClassCode, parsePartialDate, type LeafClassCode,
} from '@dangan/domain';
import type { Clock } from '../../platform/clock.js';
import type { DatabaseKind, Db, Executor } from '../../platform/db/connect.js';
import type { MaterialTable } from '../../platform/db/schema.js';
import { newId } from '../../platform/ids.js';
import type { AccessService } from '../access/access.js';
import type { Actor } from '../access/actor.js';
import type { AuditLog } from '../audit/audit.log.js';
import type { CadreInput, CadresService } from '../cadres/cadres.service.js';
import { readSetting } from '../settings/settings.service.js';
import { catalogueRepository } from './catalogue.repository.js';
import type { CatalogueService } from './catalogue.service.js';
import type { CompletenessService } from '../completeness/completeness.service.js';
import type { CatalogueIndex } from '../search/search.service.js';
import { toIsoPrefix } from './dates.js';
import { CADRE_COLUMNS, MATERIAL_COLUMNS, type ImportProblem, type ParsedImport, type RawCadreRow, type RawMaterialRow } from './io/catalogue.import.js';

export interface ImportSummary {
  cadresCreated: number;
  cadresUpdated: number;
  cadresUnchanged: number;
  materialsCreated: number;
  materialsUpdated: number;
  materialsUnchanged: number;
}

export interface ImportReport {
  ok: boolean;
  dryRun: boolean;
  problems: ImportProblem[];
  summary: ImportSummary;
}

const SHEET = { cadres: '干部', materials: '材料' } as const;
const CADRE_TITLE = Object.fromEntries(CADRE_COLUMNS.map((c) => [c.key, c.title])) as Record<string, string>;
const MATERIAL_TITLE = Object.fromEntries(MATERIAL_COLUMNS.map((c) => [c.key, c.title])) as Record<string, string>;

/** Coded cadre columns: a clerk may write the label (男, 汉族) or the code (1, 01). */
const CODED: { key: 'gender' | 'ethnicity' | 'politicalStatus' | 'education' | 'personnelStatus'; type: string }[] = [
  { key: 'gender', type: 'gender' },
  { key: 'ethnicity', type: 'ethnicity' },
  { key: 'politicalStatus', type: 'political_status' },
  { key: 'education', type: 'education' },
  { key: 'personnelStatus', type: 'personnel_status' },
];

interface CadrePlan {
  row: RawCadreRow;
  input: CadreInput & { name: string; managingUnitId: string };
  existingCadreId: string | null;
}

interface MaterialPlan {
  row: RawMaterialRow;
  dossierNo: string;
  classCode: LeafClassCode;
  pieceNo: number | null;
  name: string;
  formedOn: string | null;
  copies: number;
  pages: number;
  remark: string;
}

/**
 * Imports a catalogue: everything is validated first and reported row by row; with any problem
 * nothing is written; with none it is one transaction. Keys: 档案号 for cadres and dossiers;
 * 档案号 + 类号 + 份号 for materials (or, without a 份号, 档案号 + 类号 + 名称 + 形成时间), so the same
 * file imported again changes nothing.
 */
export class ImportService {
  constructor(
    private readonly db: Db,
    private readonly kind: DatabaseKind,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly access: AccessService,
    private readonly cadres: CadresService,
    private readonly catalogue: CatalogueService,
    private readonly completeness: CompletenessService,
    private readonly searchIndex: CatalogueIndex,
  ) {}

  async run(actor: Actor, parsed: ParsedImport, dryRun: boolean): Promise<ImportReport> {
    const summary: ImportSummary = { cadresCreated: 0, cadresUpdated: 0, cadresUnchanged: 0, materialsCreated: 0, materialsUpdated: 0, materialsUnchanged: 0 };
    const problems = [...parsed.problems];
    const scope = await this.access.scope(actor, 'catalogue.import');
    const cadrePlans = await this.planCadres(parsed.cadres, problems, (unitId) => scope.unitIds === null || scope.unitIds.has(unitId));
    // A dossier named on the 干部 sheet counts as known even if its row has problems of its own:
    // those are reported there, not again on every one of its materials.
    const known = new Set(parsed.cadres.map((c) => c.dossierNo).filter(Boolean));
    const dossiers = await this.dossiersByNo([...new Set(parsed.materials.map((m) => m.dossierNo))]);
    const materialPlans = this.planMaterials(parsed.materials, problems, (no) => {
      const existing = dossiers.get(no);
      if (existing) return scope.unitIds === null || scope.unitIds.has(existing.managing_unit_id) ? 'ok' : 'out_of_scope';
      return known.has(no) ? 'ok' : 'missing';
    });
    problems.sort((a, b) => (a.sheet === b.sheet ? a.row - b.row : a.sheet === SHEET.cadres ? -1 : 1));
    if (problems.length > 0 || dryRun) {
      if (problems.length === 0) await this.apply(actor, cadrePlans, materialPlans, summary, true);
      return { ok: problems.length === 0, dryRun, problems, summary };
    }
    await this.apply(actor, cadrePlans, materialPlans, summary, false);
    return { ok: true, dryRun, problems, summary };
  }

  // ------------------------------------------------------------------ validation
  private async planCadres(rows: RawCadreRow[], problems: ImportProblem[], inScope: (unitId: string) => boolean): Promise<CadrePlan[]> {
    const problem = (row: RawCadreRow, key: string, reason: string) => problems.push({ sheet: SHEET.cadres, row: row.row, column: CADRE_TITLE[key] ?? '', reason });
    const units = new Map((await this.db.selectFrom('units').select(['id', 'code']).execute()).map((u) => [u.code, u.id]));
    const codes = await this.codeLookup(CODED.map((c) => c.type));
    const pattern = new RegExp(`^(?:${await readSetting(this.db, 'dossier.numberPattern')})$`, 'u');
    const today = calendarDateAt(this.clock.now());
    const seenNo = new Map<string, number>();
    const seenId = new Map<string, number>();
    const plans: CadrePlan[] = [];
    for (const row of rows) {
      const before = problems.length;
      if (!row.dossierNo) problem(row, 'dossierNo', '档案号不能为空');
      else if (!pattern.test(row.dossierNo)) problem(row, 'dossierNo', `档案号「${row.dossierNo}」不符合本单位的档案号格式`);
      else if (seenNo.has(row.dossierNo)) problem(row, 'dossierNo', `档案号与第 ${seenNo.get(row.dossierNo)} 行重复`);
      else seenNo.set(row.dossierNo, row.row);
      if (!row.name) problem(row, 'name', '姓名不能为空');
      else if (row.name.length > 30) problem(row, 'name', '姓名过长（最多 30 字）');
      const unitId = units.get(row.unitCode);
      if (!row.unitCode) problem(row, 'unitCode', '管理单位代码不能为空');
      else if (!unitId) problem(row, 'unitCode', `单位代码「${row.unitCode}」不存在`);
      else if (!inScope(unitId)) problem(row, 'unitCode', `单位「${row.unitCode}」不在您的数据范围内`);
      const input: CadreInput & { name: string; managingUnitId: string } = {
        name: row.name, managingUnitId: unitId ?? '', nativePlace: row.nativePlace || null, position: row.position || null,
      };
      for (const c of CODED) {
        const text = row[c.key];
        if (!text) {
          input[c.key] = null;
          continue;
        }
        const code = codes.get(c.type)?.get(text);
        if (code === undefined) problem(row, c.key, `「${text}」不在${CADRE_TITLE[c.key]}代码表中`);
        else input[c.key] = code;
      }
      for (const key of ['birthDate', 'partyJoinDate', 'workStartDate'] as const) {
        if (!row[key]) {
          input[key] = null;
          continue;
        }
        const parsed = parsePartialDate(row[key], today);
        if (!parsed.ok) problem(row, key, parsed.reason);
        else input[key] = toIsoPrefix(parsed.value);
      }
      if (row.idNumber) {
        const checked = checkIdNumber(row.idNumber, today);
        if (!checked.ok) problem(row, 'idNumber', checked.reason);
        else if (seenId.has(checked.normalized)) problem(row, 'idNumber', `身份号码与第 ${seenId.get(checked.normalized)} 行重复`);
        else {
          seenId.set(checked.normalized, row.row);
          input.idNumber = checked.normalized;
        }
      } else input.idNumber = null;
      if (problems.length > before) continue;
      const existing = await this.db.selectFrom('dossiers').select('cadre_id').where('dossier_no', '=', row.dossierNo).executeTakeFirst();
      if (input.idNumber) {
        const holder = await this.db.selectFrom('cadres').select('id').where('id_number', '=', input.idNumber).executeTakeFirst();
        if (holder && holder.id !== existing?.cadre_id) {
          problem(row, 'idNumber', '该身份号码已登记在其他干部名下');
          continue;
        }
      }
      if (existing) {
        const cadre = await this.db.selectFrom('cadres').select('managing_unit_id').where('id', '=', existing.cadre_id).executeTakeFirstOrThrow();
        if (!inScope(cadre.managing_unit_id)) {
          problem(row, 'dossierNo', '该档案已存在且不在您的数据范围内');
          continue;
        }
      }
      plans.push({ row, input, existingCadreId: existing?.cadre_id ?? null });
    }
    return plans;
  }

  private planMaterials(rows: RawMaterialRow[], problems: ImportProblem[], dossier: (no: string) => 'ok' | 'missing' | 'out_of_scope'): MaterialPlan[] {
    const problem = (row: RawMaterialRow, key: string, reason: string) => problems.push({ sheet: SHEET.materials, row: row.row, column: MATERIAL_TITLE[key] ?? '', reason });
    const today = calendarDateAt(this.clock.now());
    const seen = new Map<string, number>();
    const plans: MaterialPlan[] = [];
    for (const row of rows) {
      const before = problems.length;
      const state = row.dossierNo ? dossier(row.dossierNo) : 'missing';
      if (!row.dossierNo) problem(row, 'dossierNo', '档案号不能为空');
      else if (state === 'missing') problem(row, 'dossierNo', `档案号「${row.dossierNo}」在“干部”表和系统中都不存在`);
      else if (state === 'out_of_scope') problem(row, 'dossierNo', '该档案不在您的数据范围内');
      const cls = parseClassCode(row.classCode);
      if (!cls.ok) problem(row, 'classCode', row.classCode ? cls.reason : '类号不能为空');
      const pieceNo = row.pieceNo ? Number(row.pieceNo) : null;
      if (pieceNo !== null && (!Number.isInteger(pieceNo) || pieceNo < 1 || pieceNo > 9999)) problem(row, 'pieceNo', '份号须为 1–9999 的整数');
      if (!row.name) problem(row, 'name', '材料名称不能为空');
      else if (row.name.length > 200) problem(row, 'name', '材料名称过长（最多 200 字）');
      let formedOn: string | null = null;
      if (row.date) {
        const d = parsePartialDate(row.date, today);
        if (!d.ok) problem(row, 'date', d.reason);
        else formedOn = toIsoPrefix(d.value);
      }
      const count = (key: 'copies' | 'pages', text: string, fallback: number | null, max: number) => {
        if (!text) {
          if (fallback === null) problem(row, key, `${MATERIAL_TITLE[key]}不能为空`);
          return fallback ?? 0;
        }
        const n = Number(text);
        if (!Number.isInteger(n) || n < (key === 'copies' ? 1 : 0) || n > max) problem(row, key, `${MATERIAL_TITLE[key]}须为整数（${key === 'copies' ? 1 : 0}–${max}）`);
        return n;
      };
      const copies = count('copies', row.copies, 1, 999);
      const pages = count('pages', row.pages, null, 9999);
      if (cls.ok && pieceNo !== null) {
        const key = `${row.dossierNo}|${cls.code}|${pieceNo}`;
        if (seen.has(key)) problem(row, 'pieceNo', `与第 ${seen.get(key)} 行的档案号、类号、份号相同`);
        else seen.set(key, row.row);
      }
      if (problems.length > before || !cls.ok) continue;
      plans.push({ row, dossierNo: row.dossierNo, classCode: cls.code, pieceNo, name: row.name, formedOn, copies, pages, remark: row.remark });
    }
    return plans;
  }

  private async codeLookup(types: string[]): Promise<Map<string, Map<string, string>>> {
    const rows = await this.db.selectFrom('dictionary_entries').select(['type', 'code', 'label']).where('type', 'in', types).where('enabled', '=', 1).execute();
    const out = new Map<string, Map<string, string>>();
    for (const r of rows) {
      const m = out.get(r.type) ?? new Map<string, string>();
      m.set(r.code, r.code);
      m.set(r.label, r.code);
      out.set(r.type, m);
    }
    // The gender table's labels are 男/女 already; common long forms are accepted too.
    out.get('gender')?.set('男性', '1').set('女性', '2');
    return out;
  }

  private async dossiersByNo(numbers: string[]) {
    const out = new Map<string, { id: string; managing_unit_id: string }>();
    for (let i = 0; i < numbers.length; i += 500) {
      const rows = await this.db
        .selectFrom('dossiers')
        .innerJoin('cadres', 'cadres.id', 'dossiers.cadre_id')
        .select(['dossiers.id', 'dossiers.dossier_no', 'cadres.managing_unit_id'])
        .where('dossiers.dossier_no', 'in', numbers.slice(i, i + 500))
        .execute();
      for (const r of rows) out.set(r.dossier_no, { id: r.id, managing_unit_id: r.managing_unit_id });
    }
    return out;
  }

  // ------------------------------------------------------------------ writing
  private async apply(actor: Actor, cadres: CadrePlan[], materials: MaterialPlan[], summary: ImportSummary, rehearse: boolean): Promise<void> {
    const ROLLBACK = Symbol('rehearsal');
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const plan of cadres) {
          if (plan.existingCadreId) {
            if (await this.cadres.updateIn(trx, actor, plan.existingCadreId, plan.input)) summary.cadresUpdated += 1;
            else summary.cadresUnchanged += 1;
          } else {
            await this.cadres.createIn(trx, actor, plan.input, {
              dossierNo: plan.row.dossierNo, custodianUnitId: plan.input.managingUnitId, location: '', secrecyLevel: null,
            });
            summary.cadresCreated += 1;
          }
        }
        const touched = await this.applyMaterials(trx, materials, summary);
        // Created and updated cadres have had their dossier's completeness refreshed by the cadre
        // service; here only dossiers whose materials changed, and nothing for an unchanged re-import.
        for (const dossierId of touched) {
          await this.catalogue.renumber(trx, dossierId);
          await this.completeness.refresh(trx, dossierId);
        }
        if (touched.length > 0) {
          const materialIds = (await trx.selectFrom('materials').select('id').where('dossier_id', 'in', touched).execute()).map((m) => m.id);
          for (let i = 0; i < materialIds.length; i += 500) await this.searchIndex.indexCatalogue(trx, { materialIds: materialIds.slice(i, i + 500) });
        }
        await this.audit.append(trx, actor.audit, {
          action: 'catalogue.import', objectType: 'import', objectLabel: `${cadres.length} 名干部、${materials.length} 份材料`,
          detail: { summary, dossiers: touched.length, rehearsal: rehearse },
        });
        // A dry run does all the work, then throws it away: the report it gives is the real one.
        if (rehearse) throw ROLLBACK;
      });
    } catch (err) {
      if (err !== ROLLBACK) throw err;
    }
  }

  private async applyMaterials(trx: Executor, plans: MaterialPlan[], summary: ImportSummary): Promise<string[]> {
    const byDossier = new Map<string, MaterialPlan[]>();
    for (const p of plans) byDossier.set(p.dossierNo, [...(byDossier.get(p.dossierNo) ?? []), p]);
    const touched: string[] = [];
    for (const [dossierNo, group] of byDossier) {
      const dossier = await trx.selectFrom('dossiers').select('id').where('dossier_no', '=', dossierNo).executeTakeFirstOrThrow();
      const repo = catalogueRepository(trx, this.kind);
      await repo.lockDossier(dossier.id);
      const existing = (await repo.materials(dossier.id)).filter((m) => !m.deleted_at);
      let seq = await repo.nextCreatedSeq(dossier.id);
      let changed = false;
      for (const p of group) {
        const match = existing.find((m) =>
          m.class_code === p.classCode &&
          (p.pieceNo !== null ? m.source_piece_no === p.pieceNo : m.source_piece_no === null && m.name === p.name && m.formed_on === p.formedOn),
        );
        const values = { name: p.name, formed_on: p.formedOn, copies: p.copies, pages: p.pages, remark: p.remark };
        if (match) {
          const same = (Object.keys(values) as (keyof typeof values)[]).every((k) => match[k] === values[k]);
          if (same) summary.materialsUnchanged += 1;
          else {
            await repo.update(match.id, { ...values, updated_at: this.clock.now().toISOString() });
            summary.materialsUpdated += 1;
            changed = true;
          }
          continue;
        }
        const now = this.clock.now().toISOString();
        const row: MaterialTable = {
          id: newId(), dossier_id: dossier.id, class_code: p.classCode, piece_no: 0, seq: '', ...values,
          importance: importanceFor(p.classCode, p.name),
          manual_position: p.pieceNo, created_seq: seq++, source_piece_no: p.pieceNo, deleted_at: null, deleted_by: null,
          delete_reason: null, created_at: now, updated_at: now,
        };
        await repo.insert(row);
        existing.push(row);
        summary.materialsCreated += 1;
        changed = true;
      }
      if (changed) touched.push(dossier.id);
    }
    return touched;
  }
}
