import type { CheckFinding, CheckPageRef, CheckRun } from '@dangan/contracts';
import { CHECK_CODES, type CheckCode } from '@dangan/domain';
import type { CheckFindingTable, CheckRunTable } from '../../platform/db/schema.checks.js';
import type { DossierCheckSummary } from './checks.port.js';

/** A page as a finding records it: where it was when the run looked. */
export type PageSnapshot = Omit<CheckPageRef, 'link'>;

/** A finding before it is numbered and stored. */
export interface FindingDraft {
  code: CheckCode;
  message: string;
  materialId: string | null;
  page: PageSnapshot | null;
  related: PageSnapshot[];
  detail: Record<string, unknown>;
  /** Report order: [section, material, page] (see `position`). */
  order: [number, number, number];
}

/** Report sections, in order. */
export const SECTION = { catalogue: 0, material: 1, orphan: 2, unlinked: 3, dossier: 4 } as const;

export interface RunContext {
  siblingDossierIds: string[];
}

export function parseContext(text: string): RunContext {
  try {
    const c = JSON.parse(text) as Partial<RunContext>;
    return { siblingDossierIds: Array.isArray(c.siblingDossierIds) ? c.siblingDossierIds.filter((x) => typeof x === 'string') : [] };
  } catch {
    return { siblingDossierIds: [] };
  }
}

/** Where a page is, in words: "1-2「干部履历表」第 3 页", or by its file when it is not in a live material. */
export function placeOf(p: PageSnapshot, withDossier = false): string {
  const dossier = withDossier ? `档案 ${p.dossierNo} ` : '';
  if (p.materialSeq !== null && p.pageNo !== null) return `${dossier}${p.materialSeq}「${p.materialName}」第 ${p.pageNo} 页`;
  return `${dossier}页面「${p.fileName}」${p.sourcePage > 1 ? `第 ${p.sourcePage} 页` : ''}`;
}

/**
 * The message of a page also found in other dossiers of the batch; `hidden` more were found in dossiers
 * the reader may not see, which it counts without naming them.
 */
export function batchDuplicateMessage(page: PageSnapshot, matches: readonly PageSnapshot[], hidden = 0): string {
  const places = [...matches.map((m) => placeOf(m, true)), ...(hidden > 0 ? [`本批次中您数据范围以外的 ${hidden} 页`] : [])];
  return `${placeOf(page)}与${places.join('、')}相同：如为分别归入各档案的同一份材料（如多人任免通知）可不处理，如误扫入本档案须移出`;
}

/** Other dossiers a run's view names: its sibling dossiers and those of the pages its findings relate to. */
export function otherDossierIds(run: CheckRun): string[] {
  const ids = new Set([...run.siblingDossierIds, ...run.findings.flatMap((f) => f.related.map((p) => p.dossierId))]);
  ids.delete(run.dossierId);
  return [...ids];
}

/**
 * The run as a reader sees it who may see only `visible` of the other dossiers: pages of the rest are
 * left out of the findings (counted in `detail.hiddenPages`) and their dossiers are not named.
 */
export function withinScope(run: CheckRun, visible: ReadonlySet<string>): CheckRun {
  const seen = (dossierId: string) => dossierId === run.dossierId || visible.has(dossierId);
  const findings = run.findings.map((f): CheckFinding => {
    const related = f.related.filter((p) => seen(p.dossierId));
    const hidden = f.related.length - related.length;
    if (hidden === 0) return f;
    const message = f.code === 'DUPLICATE_IN_BATCH' && f.page ? batchDuplicateMessage(f.page, related, hidden) : f.message;
    return { ...f, message, related, detail: { ...f.detail, hiddenPages: hidden } };
  });
  return { ...run, siblingDossierIds: run.siblingDossierIds.filter(seen), findings };
}

export function linkOf(p: { dossierId: string; pageId: string }): string {
  return `/dossiers/${p.dossierId}/scan?page=${encodeURIComponent(p.pageId)}`;
}

export function toFindingRow(d: FindingDraft, id: string, runId: string, dossierId: string, position: number): CheckFindingTable {
  return {
    id, run_id: runId, dossier_id: dossierId, position, code: d.code, severity: CHECK_CODES[d.code].severity, message: d.message,
    material_id: d.materialId, page_id: d.page?.pageId ?? null,
    detail: JSON.stringify({ ...d.detail, page: d.page, related: d.related }),
  };
}

export function toFinding(row: CheckFindingTable): CheckFinding {
  const { page, related, ...detail } = JSON.parse(row.detail) as { page: PageSnapshot | null; related: PageSnapshot[] } & Record<string, unknown>;
  const ref = (p: PageSnapshot): CheckPageRef => ({ ...p, link: linkOf(p) });
  const code = row.code as CheckCode;
  return {
    id: row.id, code, label: CHECK_CODES[code]?.label ?? row.code, severity: row.severity, message: row.message,
    materialId: row.material_id, pageId: row.page_id, page: page ? ref(page) : null, related: (related ?? []).map(ref), detail,
  };
}

export function toRun(row: CheckRunTable, dossierNo: string, findings: CheckFindingTable[]): CheckRun {
  return {
    id: row.id, dossierId: row.dossier_id, dossierNo, batchId: row.batch_id, siblingDossierIds: parseContext(row.context).siblingDossierIds,
    state: row.state, requestedBy: row.requested_by, requestedAt: row.requested_at, startedAt: row.started_at, finishedAt: row.finished_at,
    failures: row.failures, warnings: row.warnings, error: row.error, findings: findings.map(toFinding),
  };
}

export function toSummary(row: CheckRunTable): DossierCheckSummary {
  return {
    dossierId: row.dossier_id, runId: row.id, state: row.state, failures: row.failures, warnings: row.warnings,
    requestedAt: row.requested_at, finishedAt: row.finished_at,
  };
}
