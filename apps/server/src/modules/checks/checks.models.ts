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
