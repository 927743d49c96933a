import { api, type BatchDetail, type BatchDossier, type Defect, type DossierPages, type StageView } from '@dangan/contracts';
import {
  BATCH_STATE_LABELS, STAGES, STAGE_DRIVERS, STAGE_LABELS, STAGE_PERMISSIONS, REWORKABLE_STAGES, percentText,
  type BatchState, type Permission, type StageCode,
} from '@dangan/domain';
import type { QueryClient } from '@tanstack/react-query';
import { urlOf } from '../../api/client';
import { formatDateTime } from '../../shared/format';

export const projectKeys = {
  all: ['project'] as const,
  batches: (query: object) => ['project', 'batches', query] as const,
  batch: (id: string) => ['project', 'batch', id] as const,
  register: (batchId: string, dossierId: string) => ['project', 'register', batchId, dossierId] as const,
  inspection: (id: string) => ['project', 'inspection', id] as const,
  rework: (id: string) => ['project', 'rework', id] as const,
  reworkList: (query: object) => ['project', 'rework-list', query] as const,
  operators: ['project', 'operators'] as const,
  checks: (dossierId: string) => ['project', 'checks', dossierId] as const,
  pages: (dossierId: string) => ['project', 'pages', dossierId] as const,
};

/** Every view of the project shows counts and states of the others: after a change all are stale. */
export function invalidateProject(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: projectKeys.all });
}

export const BATCH_STATE_COLORS: Record<BatchState, string> = {
  draft: 'default',
  checkout_requested: 'gold',
  approved: 'cyan',
  in_progress: 'blue',
  accepted: 'green',
  closed: 'default',
  cancelled: 'red',
};

export const BATCH_STATE_OPTIONS = (Object.keys(BATCH_STATE_LABELS) as BatchState[]).map((s) => ({ value: s, label: BATCH_STATE_LABELS[s] }));

export const REWORK_STATE_COLORS = { open: 'orange', submitted: 'blue', closed: 'green' } as const;

export { STAGES, STAGE_LABELS, percentText };

/** What a person may do with one stage of one dossier, from the stage's state and his permissions. */
export interface StageActions {
  start: boolean;
  finish: boolean;
  rework: boolean;
}

export function stageActions(
  dossier: Pick<BatchDossier, 'stages' | 'check'>,
  stage: StageCode,
  can: (...any: Permission[]) => boolean,
  batchInProgress: boolean,
): StageActions {
  const none = { start: false, finish: false, rework: false };
  if (!batchInProgress) return none;
  const view = dossier.stages.find((s) => s.stage === stage);
  if (!view) return none;
  const i = STAGES.indexOf(stage);
  const before = i > 0 ? dossier.stages.find((s) => s.stage === STAGES[i - 1]) : undefined;
  const allowed = can(...STAGE_PERMISSIONS[stage]);
  const driver = STAGE_DRIVERS[stage];
  const accepting = dossier.stages.find((s) => s.stage === 'accept')?.status !== 'pending';
  // A check run that could not run may be asked for again while its stage stays open.
  const retry = stage === 'check' && view.status === 'in_progress' && dossier.check.state === 'failed';
  return {
    start: allowed && driver.start === 'person' && ((view.status === 'pending' && (!before || before.status === 'done')) || retry),
    finish: allowed && driver.finish === 'person' && view.status === 'in_progress',
    rework:
      REWORKABLE_STAGES.includes(stage) && view.status !== 'pending' && !accepting &&
      can('scan.ingest', 'scan.link', 'batch.manage', 'qc.inspect'),
  };
}

/** The hover text of a stage cell: who started and finished it, and when. */
export function stageTip(s: StageView): string {
  const parts: string[] = [];
  if (s.startedAt) parts.push(`开始：${s.startedBy?.name ?? '系统'} ${formatDateTime(s.startedAt)}`);
  if (s.finishedAt) parts.push(`完成：${s.finishedBy?.name ?? '系统'} ${formatDateTime(s.finishedAt)}`);
  if (s.note) parts.push(`说明：${s.note}`);
  return parts.length ? parts.join('\n') : '尚未开始';
}

/** Dossiers per current stage, in stage order, for a progress bar; `done` last. */
export function progressParts(progress: Record<string, number>): { key: string; label: string; count: number }[] {
  const parts: { key: string; label: string; count: number }[] = STAGES.map((s) => ({ key: s, label: STAGE_LABELS[s], count: progress[s] ?? 0 }));
  parts.push({ key: 'done', label: '全部完成', count: progress.done ?? 0 });
  return parts.filter((p) => p.count > 0);
}

export const STAGE_COLORS: Record<string, string> = {
  arrange: '#bfbfbf',
  scan: '#69b1ff',
  process: '#4096ff',
  link: '#1677ff',
  check: '#9254de',
  inspect: '#fa8c16',
  accept: '#52c41a',
  return: '#13c2c2',
  done: '#237804',
};

export function reportUrl(batchId: string, kind: 'pdf' | 'xlsx'): string {
  return urlOf(kind === 'pdf' ? api.batches.reportPdf : api.batches.reportXlsx, { params: { id: batchId } });
}

/** Where a page's image comes from; the version makes a reprocessed page a new address. */
export function pageImageUrl(pageId: string, version: number, variant: 'web' | 'thumb'): string {
  return urlOf(api.pages.image, { params: { id: pageId }, query: { variant, v: version } });
}

/** The user's own part in a hand-over: which side he is and whether he still has to confirm. */
export function myHandoverPart(h: BatchDetail['handovers'][number], userId: string): { side: '交出方' | '接收方' | null; pending: boolean } {
  if (h.completedAt) return { side: null, pending: false };
  if (h.giver.id === userId && !h.giverConfirmedAt) return { side: '交出方', pending: true };
  if (h.receiver.id === userId && !h.receiverConfirmedAt) return { side: '接收方', pending: true };
  return { side: null, pending: false };
}

/** A defect's place in words: 1-2 第 3 页, or the material, or the dossier as a whole. */
export function defectPlace(d: Pick<Defect, 'pageLabel' | 'pageId' | 'materialId'>): string {
  if (d.pageLabel) return d.pageLabel;
  if (d.pageId) return '页面';
  if (d.materialId) return '材料';
  return '整卷';
}

/** A box in master pixels as CSS percentages of an image shown at any size. */
export function boxStyle(box: readonly number[], masterW: number, masterH: number) {
  const [x, y, w, h] = box as [number, number, number, number];
  return { left: `${(x / masterW) * 100}%`, top: `${(y / masterH) * 100}%`, width: `${(w / masterW) * 100}%`, height: `${(h / masterH) * 100}%` };
}

export interface SequencedPage {
  page: DossierPages['pages'][number];
  material: DossierPages['materials'][number] | null;
  /** 1-based place in its material (or among the unlinked pages). */
  no: number;
  /** 1-2 第 3 页, or 未挂接第 1 页. */
  label: string;
}

/** A dossier's pages in reading order: material by material, the unlinked ones last. */
export function pageSequence(data: DossierPages | undefined): SequencedPage[] {
  if (!data) return [];
  const byId = new Map(data.pages.map((p) => [p.id, p]));
  const out: SequencedPage[] = [];
  for (const m of data.materials) {
    m.pageIds.forEach((id, i) => {
      const page = byId.get(id);
      if (page) out.push({ page, material: m, no: i + 1, label: `${m.seq} 第 ${i + 1} 页` });
    });
  }
  data.unlinkedPageIds.forEach((id, i) => {
    const page = byId.get(id);
    if (page) out.push({ page, material: null, no: i + 1, label: `未挂接第 ${i + 1} 页` });
  });
  return out;
}

/** The master's pixel size of a page, which defect boxes are measured in; null until analysed. */
export function masterSizeOf(page: { analysis: { width: number; height: number } | null } | undefined) {
  return page?.analysis ? { width: page.analysis.width, height: page.analysis.height } : null;
}

/**
 * The page a defect is about as the dossier is now. A rescan (重扫替换) puts a new page in the old
 * one's place, so a defect whose page has gone is shown on the page now at its material and number.
 */
export function currentPageOf(
  data: DossierPages | undefined,
  defect: Pick<Defect, 'pageId' | 'materialId' | 'pageLabel'>,
): { page: DossierPages['pages'][number]; replaced: boolean } | null {
  if (!data || !defect.pageId) return null;
  const same = data.pages.find((p) => p.id === defect.pageId);
  if (same) return { page: same, replaced: false };
  const no = Number(/第 (\d+) 页/.exec(defect.pageLabel ?? '')?.[1]);
  const material = data.materials.find((m) => m.id === defect.materialId);
  const id = material && no > 0 ? material.pageIds[no - 1] : undefined;
  const page = id ? data.pages.find((p) => p.id === id) : undefined;
  return page ? { page, replaced: true } : null;
}
