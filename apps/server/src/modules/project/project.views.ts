import type {
  BatchDetail,
  BatchDossier,
  BatchSummary,
  Defect,
  Handover,
  InspectionDetail,
  InspectionSummary,
  PassRate,
  ReworkDetail,
  ReworkSummary,
  ScanRegister,
  StageEvent,
} from '@dangan/contracts';
import {
  BATCH_STATE_LABELS,
  DEFECT_TYPE_LABELS,
  DOSSIER_STATE_LABELS,
  REWORK_STATE_LABELS,
  SAMPLE_REASON_LABELS,
  STAGES,
  STAGE_LABELS,
  currentStage,
  passRate,
  type BatchState,
  type DefectType,
  type DossierState,
  type ReworkState,
  type SampleReason,
  type SampledDossierVerdicts,
  type StageCode,
  type StageStatus,
  type Verdict,
} from '@dangan/domain';
import type { Executor } from '../../platform/db/connect.js';
import type { DataScope } from '../access/access.js';
import type { BatchDossierRow, BatchRow, DefectRow, DossierInfo, InspectionRow, ReworkRow } from './project.repository.js';
import { statusesOf, userRef, type ProjectSupport } from './project.support.js';

type Names = Map<string, string>;

/** The verdicts of each sampled dossier's completed rounds, in order. */
export function sampleVerdicts(rows: readonly BatchDossierRow[], inspections: readonly InspectionRow[]): SampledDossierVerdicts[] {
  return rows
    .filter((r) => r.sample_reason !== null)
    .map((r) => ({
      dossierId: r.dossier_id,
      verdicts: inspections
        .filter((i) => i.dossier_id === r.dossier_id && i.verdict !== null)
        .sort((a, b) => a.round - b.round)
        .map((i) => i.verdict as Verdict),
    }));
}

/** Builds the API's views of the project's rows. Reads only; the caller has checked access. */
export class ProjectViews {
  constructor(private readonly support: ProjectSupport) {}

  async summaries(executor: Executor, batches: readonly BatchRow[]): Promise<BatchSummary[]> {
    const repo = this.support.repo(executor);
    const ids = batches.map((b) => b.id);
    const totals = new Map((await repo.batchTotals(ids)).map((t) => [t.batch_id, t]));
    const names = await repo.userNames(batches.map((b) => b.created_by));
    const stages = await repo.stagesOfBatches(ids);
    return batches.map((b) => {
      const t = totals.get(b.id);
      return {
        ...this.summaryFields(b, names),
        dossierCount: Number(t?.dossiers ?? 0),
        materialCount: Number(t?.materials ?? 0),
        pageCount: Number(t?.pages ?? 0),
        progress: progressOf(stages.filter((s) => s.batch_id === b.id)),
      };
    });
  }

  private summaryFields(b: BatchRow, names: Names) {
    return {
      id: b.id, code: b.code, name: b.name, notes: b.notes, state: b.state as BatchState, stateLabel: BATCH_STATE_LABELS[b.state as BatchState],
      createdBy: userRef(names, b.created_by), createdAt: b.created_at, updatedAt: b.updated_at,
    };
  }

  async detail(executor: Executor, scope: DataScope, batch: BatchRow): Promise<BatchDetail> {
    const repo = this.support.repo(executor);
    const rows = await repo.batchDossiers(batch.id);
    const visible = await repo.dossiers(rows.map((r) => r.dossier_id), this.support.units(scope));
    const visibleIds = new Set(visible.map((d) => d.id));
    const stages = await repo.stages(batch.id);
    const inspections = await repo.inspections(batch.id);
    const rework = await repo.reworkList({ batchId: batch.id });
    const handovers = await repo.handovers(batch.id);
    const events = await repo.stageEvents(batch.id);
    const names = await repo.userNames([
      batch.created_by, batch.requested_by, batch.approved_by, batch.refused_by, batch.sampled_by, batch.accepted_by, batch.acceptance_refused_by,
      ...stages.flatMap((s) => [s.started_by, s.finished_by]),
      ...inspections.map((i) => i.inspector_id),
      ...rework.map((r) => r.assignee_id),
      ...handovers.flatMap((h) => [h.giver_id, h.receiver_id, h.created_by]),
      ...events.map((e) => e.user_id),
    ]);
    const dossiers = await this.dossierViews(executor, visible, rows, stages, inspections, rework, names);
    const all = await repo.dossiers(rows.map((r) => r.dossier_id));
    const summary = (await this.summaries(executor, [batch]))[0]!;
    const decision = (by: string | null, at: string | null, reason: string | null) => (by && at ? { by: userRef(names, by), at, reason } : null);
    const byId = new Map(all.map((d) => [d.id, d]));
    return {
      ...summary,
      dossiers,
      hiddenDossiers: rows.length - visible.length,
      checkout: {
        requested: decision(batch.requested_by, batch.requested_at, batch.request_note),
        approved: decision(batch.approved_by, batch.approved_at, batch.approve_note),
        refused: decision(batch.refused_by, batch.refused_at, batch.refuse_reason),
      },
      handovers: await this.handovers(executor, handovers, new Map(visible.map((d) => [d.id, d])), names),
      sampling:
        batch.sampled_at && batch.sampled_by && batch.sample_seed !== null
          ? {
              seed: Number(batch.sample_seed), percent: Number(batch.sample_percent), randomCount: Number(batch.sample_random_count),
              drawnBy: userRef(names, batch.sampled_by), drawnAt: batch.sampled_at,
              selected: rows
                .filter((r) => r.sample_reason !== null && visibleIds.has(r.dossier_id))
                .map((r) => ({
                  dossierId: r.dossier_id, dossierNo: byId.get(r.dossier_id)?.dossier_no ?? '', reason: r.sample_reason as SampleReason,
                  label: SAMPLE_REASON_LABELS[r.sample_reason as SampleReason],
                })),
            }
          : null,
      passRate: passRateView(rows, inspections),
      passPercent: await this.support.deps.settings.get('project.passPercent', executor),
      acceptance: {
        accepted: decision(batch.accepted_by, batch.accepted_at, batch.accept_note),
        refused: decision(batch.acceptance_refused_by, batch.acceptance_refused_at, batch.acceptance_refuse_reason),
      },
      inspections: (await this.inspectionSummaries(executor, inspections.filter((i) => visibleIds.has(i.dossier_id)), byId, names)),
      rework: await this.reworkSummaries(executor, rework.filter((r) => visibleIds.has(r.dossier_id)), new Map([[batch.id, batch.code]]), byId, names),
      events: events.filter((e) => visibleIds.has(e.dossier_id)).map((e): StageEvent => ({
        id: e.id, dossierId: e.dossier_id, stage: e.stage as StageCode, stageLabel: STAGE_LABELS[e.stage as StageCode],
        event: e.event as StageEvent['event'], by: userRef(names, e.user_id), at: e.at, note: e.note,
      })),
    };
  }

  async dossierView(executor: Executor, batchId: string, dossier: DossierInfo): Promise<BatchDossier> {
    const repo = this.support.repo(executor);
    const row = (await repo.batchDossier(batchId, dossier.id))!;
    const stages = await repo.stages(batchId, dossier.id);
    const inspections = await repo.inspections(batchId, dossier.id);
    const rework = await repo.reworkList({ batchId, dossierId: dossier.id });
    const names = await repo.userNames(stages.flatMap((s) => [s.started_by, s.finished_by]));
    return (await this.dossierViews(executor, [dossier], [row], stages, inspections, rework, names))[0]!;
  }

  private async dossierViews(
    executor: Executor,
    dossiers: readonly DossierInfo[],
    rows: readonly BatchDossierRow[],
    stages: Awaited<ReturnType<ReturnType<ProjectSupport['repo']>['stages']>>,
    inspections: readonly InspectionRow[],
    rework: readonly ReworkRow[],
    names: Names,
  ): Promise<BatchDossier[]> {
    const repo = this.support.repo(executor);
    const ids = dossiers.map((d) => d.id);
    const catalogue = await repo.catalogueCounts(ids);
    const scanned = await repo.scannedCounts(ids);
    const rowOf = new Map(rows.map((r) => [r.dossier_id, r]));
    return dossiers.map((d) => {
      const own = stages.filter((s) => s.dossier_id === d.id);
      const byStage = new Map(own.map((s) => [s.stage, s]));
      const row = rowOf.get(d.id)!;
      const reason = row.sample_reason as SampleReason | null;
      return {
        dossierId: d.id, dossierNo: d.dossier_no, cadreName: d.cadre_name,
        state: d.state, stateLabel: DOSSIER_STATE_LABELS[d.state as DossierState] ?? d.state,
        materialCount: catalogue.get(d.id)?.materials ?? 0,
        pageCount: catalogue.get(d.id)?.pages ?? 0,
        scannedPages: scanned.get(d.id) ?? 0,
        currentStage: currentStage(statusesOf(own)),
        stages: STAGES.map((code) => {
          const s = byStage.get(code);
          return {
            stage: code, label: STAGE_LABELS[code], status: (s?.status ?? 'pending') as StageStatus,
            startedBy: userRef(names, s?.started_by ?? null), startedAt: s?.started_at ?? null,
            finishedBy: userRef(names, s?.finished_by ?? null), finishedAt: s?.finished_at ?? null,
            note: s?.note ?? null,
          };
        }),
        check: {
          runId: row.check_run_id, state: row.check_state as BatchDossier['check']['state'],
          failures: row.check_failures === null ? null : Number(row.check_failures),
          warnings: row.check_warnings === null ? null : Number(row.check_warnings),
          finishedAt: row.check_finished_at,
        },
        sample: reason ? { reason, label: SAMPLE_REASON_LABELS[reason] } : null,
        verdicts: inspections.filter((i) => i.dossier_id === d.id && i.verdict).sort((a, b) => a.round - b.round).map((i) => i.verdict as Verdict),
        openRework: rework.filter((r) => r.dossier_id === d.id && r.state !== 'closed').length,
      };
    });
  }

  /** Hand-overs with the items of the dossiers in `byId` (those the viewer may see). */
  async handovers(executor: Executor, handovers: readonly Awaited<ReturnType<ReturnType<ProjectSupport['repo']>['handovers']>>[number][], byId: Map<string, DossierInfo>, names: Names): Promise<Handover[]> {
    const items = await this.support.repo(executor).handoverItems(handovers.map((h) => h.id));
    return handovers.map((h) => {
      const own = items.filter((i) => i.handover_id === h.id && byId.has(i.dossier_id)).map((i) => {
        const d = byId.get(i.dossier_id);
        return {
          dossierId: i.dossier_id, dossierNo: d?.dossier_no ?? '', cadreName: d?.cadre_name ?? '',
          materials: Number(i.materials), pages: Number(i.pages), expectedMaterials: Number(i.expected_materials), expectedPages: Number(i.expected_pages),
          difference: Number(i.materials) !== Number(i.expected_materials) || Number(i.pages) !== Number(i.expected_pages),
          note: i.note,
        };
      }).sort((a, b) => (a.dossierNo < b.dossierNo ? -1 : 1));
      return {
        id: h.id, batchId: h.batch_id, direction: h.direction as Handover['direction'],
        giver: userRef(names, h.giver_id), receiver: userRef(names, h.receiver_id), createdBy: userRef(names, h.created_by), createdAt: h.created_at,
        giverConfirmedAt: h.giver_confirmed_at, receiverConfirmedAt: h.receiver_confirmed_at, completedAt: h.completed_at, note: h.note,
        items: own,
        totals: { dossiers: own.length, materials: own.reduce((s, i) => s + i.materials, 0), pages: own.reduce((s, i) => s + i.pages, 0) },
      };
    });
  }

  async handover(executor: Executor, scope: DataScope, handoverId: string): Promise<Handover> {
    const repo = this.support.repo(executor);
    const h = (await repo.handover(handoverId))!;
    const items = await repo.handoverItems([h.id]);
    const byId = new Map((await repo.dossiers(items.map((i) => i.dossier_id), this.support.units(scope))).map((d) => [d.id, d]));
    const names = await repo.userNames([h.giver_id, h.receiver_id, h.created_by]);
    return (await this.handovers(executor, [h], byId, names))[0]!;
  }

  async inspectionSummaries(executor: Executor, rows: readonly InspectionRow[], byId?: Map<string, DossierInfo>, names?: Names): Promise<InspectionSummary[]> {
    const repo = this.support.repo(executor);
    const dossiers = byId ?? new Map((await repo.dossiers(rows.map((r) => r.dossier_id))).map((d) => [d.id, d]));
    const users = names ?? (await repo.userNames(rows.map((r) => r.inspector_id)));
    const counts = await repo.defectCounts('inspection_id', rows.map((r) => r.id));
    return rows.map((i) => ({
      id: i.id, batchId: i.batch_id, dossierId: i.dossier_id,
      dossierNo: dossiers.get(i.dossier_id)?.dossier_no ?? '', cadreName: dossiers.get(i.dossier_id)?.cadre_name ?? '',
      round: Number(i.round), inspector: userRef(users, i.inspector_id), openedAt: i.opened_at,
      verdict: i.verdict as Verdict | null, verdictAt: i.verdict_at, note: i.note,
      defectCount: counts.get(i.id)?.total ?? 0,
    }));
  }

  async reworkSummaries(executor: Executor, rows: readonly ReworkRow[], codes?: Map<string, string>, byId?: Map<string, DossierInfo>, names?: Names): Promise<ReworkSummary[]> {
    const repo = this.support.repo(executor);
    const dossiers = byId ?? new Map((await repo.dossiers(rows.map((r) => r.dossier_id))).map((d) => [d.id, d]));
    const users = names ?? (await repo.userNames(rows.map((r) => r.assignee_id)));
    const counts = await repo.defectCounts('rework_id', rows.map((r) => r.id));
    const batchCodes = new Map([...(await repo.batchCodes(rows.map((r) => r.batch_id).filter((id) => !codes?.has(id)))), ...(codes ?? [])]);
    const rounds = await repo.rounds(rows.map((r) => r.inspection_id));
    return rows.map((r) => ({
      id: r.id, batchId: r.batch_id, batchCode: batchCodes.get(r.batch_id) ?? '', dossierId: r.dossier_id,
      dossierNo: dossiers.get(r.dossier_id)?.dossier_no ?? '', cadreName: dossiers.get(r.dossier_id)?.cadre_name ?? '',
      inspectionId: r.inspection_id, round: rounds.get(r.inspection_id) ?? 0,
      assignee: userRef(users, r.assignee_id), state: r.state as ReworkState, stateLabel: REWORK_STATE_LABELS[r.state as ReworkState],
      createdAt: r.created_at, submittedAt: r.submitted_at, closedAt: r.closed_at,
      defectCount: counts.get(r.id)?.total ?? 0, fixedCount: counts.get(r.id)?.fixed ?? 0,
    }));
  }

  async defects(executor: Executor, rows: readonly DefectRow[]): Promise<Defect[]> {
    const repo = this.support.repo(executor);
    const names = await repo.userNames(rows.flatMap((d) => [d.created_by, d.fixed_by]));
    const pages = new Map((await repo.pagesByIds(rows.flatMap((d) => (d.page_id ? [d.page_id] : [])))).map((p) => [p.id, p]));
    const materials = new Map((await repo.materialsByIds(rows.flatMap((d) => (d.material_id ? [d.material_id] : [])))).map((m) => [m.id, m]));
    const out: Defect[] = [];
    for (const d of rows) {
      const page = d.page_id ? pages.get(d.page_id) : undefined;
      const material = !page && d.material_id ? materials.get(d.material_id) : undefined;
      const pageLabel = page
        ? `${page.material_seq ?? '未挂接'}${page.page_no ? ` 第 ${page.page_no} 页` : ''}`
        : material ? `${material.seq} ${material.name}` : null;
      out.push({
        id: d.id, inspectionId: d.inspection_id, pageId: d.page_id, materialId: d.material_id, pageLabel,
        type: d.type as DefectType, typeLabel: DEFECT_TYPE_LABELS[d.type as DefectType],
        box: d.box ? (JSON.parse(d.box) as [number, number, number, number]) : null, note: d.note,
        createdBy: userRef(names, d.created_by), createdAt: d.created_at,
        fixed: d.fixed_at && d.fixed_by ? { by: userRef(names, d.fixed_by), at: d.fixed_at, note: d.fix_note ?? '' } : null,
      });
    }
    return out;
  }

  async inspectionDetail(executor: Executor, inspectionId: string): Promise<InspectionDetail> {
    const repo = this.support.repo(executor);
    const row = (await repo.inspection(inspectionId))!;
    const batch = (await repo.batch(row.batch_id))!;
    const rounds = await repo.inspections(row.batch_id, row.dossier_id);
    const summaries = await this.inspectionSummaries(executor, rounds);
    const rework = (await repo.reworkList({ batchId: row.batch_id, dossierId: row.dossier_id })).filter((r) => r.inspection_id === row.id);
    return {
      ...summaries.find((s) => s.id === row.id)!,
      batchCode: batch.code,
      defects: await this.defects(executor, await repo.defectsOf({ inspectionId: row.id })),
      rework: rework.length > 0 ? (await this.reworkSummaries(executor, rework))[0]! : null,
      earlier: summaries.filter((s) => s.round < Number(row.round)),
    };
  }

  async reworkDetail(executor: Executor, reworkId: string): Promise<ReworkDetail> {
    const repo = this.support.repo(executor);
    const row = (await repo.rework(reworkId))!;
    return {
      ...(await this.reworkSummaries(executor, [row]))[0]!,
      defects: await this.defects(executor, await repo.defectsOf({ reworkId: row.id })),
      note: row.submit_note,
    };
  }

  async scanRegister(executor: Executor, batchId: string, dossier: DossierInfo): Promise<ScanRegister> {
    const repo = this.support.repo(executor);
    const counts = await repo.scanCounts(dossier.id);
    const explanations = await repo.scanExplanations(batchId, dossier.id);
    const names = await repo.userNames(explanations.map((e) => e.user_id));
    const latest = new Map<string, (typeof explanations)[number]>();
    for (const e of explanations) latest.set(e.material_id, e);
    const rows = counts.map((m) => {
      const expected = Number(m.pages);
      const scanned = Number(m.scanned);
      const e = latest.get(m.id);
      const explanation = e
        ? { note: e.note, by: userRef(names, e.user_id), at: e.at, expectedPages: Number(e.expected_pages), scannedPages: Number(e.scanned_pages) }
        : null;
      // An explanation covers the counts it was given for; a later change needs a new one.
      const explained = expected === scanned || (explanation !== null && explanation.expectedPages === expected && explanation.scannedPages === scanned);
      return {
        materialId: m.id, classCode: m.class_code, seq: m.seq, name: m.name, expectedPages: expected, scannedPages: scanned,
        difference: scanned - expected, explanation, explained,
      };
    });
    return {
      batchId, dossierId: dossier.id, dossierNo: dossier.dossier_no, cadreName: dossier.cadre_name, rows,
      unlinkedPages: await repo.unlinkedPages(dossier.id),
      totals: { expected: rows.reduce((s, r) => s + r.expectedPages, 0), scanned: rows.reduce((s, r) => s + r.scannedPages, 0) },
      unexplained: rows.filter((r) => !r.explained).length,
    };
  }
}

export function passRateView(rows: readonly BatchDossierRow[], inspections: readonly InspectionRow[]): PassRate {
  return passRate(sampleVerdicts(rows, inspections));
}

/** Dossiers per current stage; `done` counts those with every stage done. */
function progressOf(stages: readonly { dossier_id: string; stage: string; status: string }[]): Record<string, number> {
  const byDossier = new Map<string, { stage: string; status: string }[]>();
  for (const s of stages) byDossier.set(s.dossier_id, [...(byDossier.get(s.dossier_id) ?? []), s]);
  const out: Record<string, number> = {};
  for (const rows of byDossier.values()) {
    const key = currentStage(statusesOf(rows)) ?? 'done';
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}
