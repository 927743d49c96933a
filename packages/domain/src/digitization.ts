/**
 * The digitization project (DOMAIN.md §6): a batch's life, each dossier's stages, quality sampling,
 * inspection defects and the acceptance rule. Pure rules; the project module stores and enforces them.
 */

import type { DossierEvent } from './dossier-state.js';

// ------------------------------------------------------------------------------------------------
// Batches

export type BatchState = 'draft' | 'checkout_requested' | 'approved' | 'in_progress' | 'accepted' | 'closed' | 'cancelled';

export const BATCH_STATES: readonly BatchState[] = [
  'draft', 'checkout_requested', 'approved', 'in_progress', 'accepted', 'closed', 'cancelled',
];

export const BATCH_STATE_LABELS: Record<BatchState, string> = {
  draft: '草稿',
  checkout_requested: '待审批出库',
  approved: '已批准出库',
  in_progress: '加工中',
  accepted: '已验收',
  closed: '已入库',
  cancelled: '已撤销',
};

export type BatchEvent =
  | 'request_checkout'
  | 'approve_checkout'
  | 'refuse_checkout'
  | 'hand_over'
  | 'accept'
  | 'check_in'
  | 'cancel';

export const BATCH_EVENT_LABELS: Record<BatchEvent, string> = {
  request_checkout: '申请出库',
  approve_checkout: '批准出库',
  refuse_checkout: '退回出库申请',
  hand_over: '出库交接',
  accept: '验收',
  check_in: '入库交接',
  cancel: '撤销批次',
};

/*
 * A refused request goes back to draft, where the clerk changes the dossier list and asks again.
 * A batch can be cancelled until its paper has left the store; after the hand-over it can only end
 * by acceptance and check-in, so no dossier is ever left 出库加工 by a batch nobody follows.
 */
const BATCH_TRANSITIONS: Record<BatchEvent, { from: readonly BatchState[]; to: BatchState }> = {
  request_checkout: { from: ['draft'], to: 'checkout_requested' },
  approve_checkout: { from: ['checkout_requested'], to: 'approved' },
  refuse_checkout: { from: ['checkout_requested'], to: 'draft' },
  hand_over: { from: ['approved'], to: 'in_progress' },
  accept: { from: ['in_progress'], to: 'accepted' },
  check_in: { from: ['accepted'], to: 'closed' },
  cancel: { from: ['draft', 'checkout_requested', 'approved'], to: 'cancelled' },
};

/**
 * The dossier moves (DOMAIN.md §6: 出库 and 入库交接) that only a batch's hand-overs make, each signed by
 * both sides: a plain state change must not send a dossier out with no batch, nor bring one back while
 * its batch still follows it (that batch could then never be checked in).
 */
export const BATCH_DOSSIER_EVENTS: readonly DossierEvent[] = ['check_out_for_digitization', 'return_from_digitization'];

/** Batches that still hold their dossiers: a dossier is in at most one of them. */
export const OPEN_BATCH_STATES: readonly BatchState[] = ['draft', 'checkout_requested', 'approved', 'in_progress', 'accepted'];

export function isOpenBatch(state: BatchState): boolean {
  return OPEN_BATCH_STATES.includes(state);
}

export type BatchTransition = { ok: true; to: BatchState } | { ok: false; reason: string };

export function batchTransition(from: BatchState, event: BatchEvent): BatchTransition {
  const t = BATCH_TRANSITIONS[event];
  if (t.from.includes(from)) return { ok: true, to: t.to };
  return { ok: false, reason: `不能${BATCH_EVENT_LABELS[event]}：批次当前为「${BATCH_STATE_LABELS[from]}」` };
}

export function availableBatchEvents(state: BatchState): BatchEvent[] {
  return (Object.keys(BATCH_TRANSITIONS) as BatchEvent[]).filter((e) => BATCH_TRANSITIONS[e].from.includes(state));
}

/** 批次号 `PC-2026-001`: the year and a sequence within the year, three digits or more. */
export function batchCode(year: number, seq: number): string {
  return `PC-${year}-${String(seq).padStart(3, '0')}`;
}

// ------------------------------------------------------------------------------------------------
// Stages of a dossier

export type StageCode = 'arrange' | 'scan' | 'process' | 'link' | 'check' | 'inspect' | 'accept' | 'return';

export const STAGES: readonly StageCode[] = ['arrange', 'scan', 'process', 'link', 'check', 'inspect', 'accept', 'return'];

export const STAGE_LABELS: Record<StageCode, string> = {
  arrange: '整理',
  scan: '扫描',
  process: '图像处理',
  link: '著录/挂接',
  check: '自动校验',
  inspect: '质检',
  accept: '验收',
  return: '入库',
};

export type StageStatus = 'pending' | 'in_progress' | 'done';

export const STAGE_STATUS_LABELS: Record<StageStatus, string> = {
  pending: '未开始',
  in_progress: '进行中',
  done: '已完成',
};

export type StageStatuses = Record<StageCode, StageStatus>;

/**
 * Who moves a stage. The operators start and finish the hands-on stages; 自动校验 is started by a
 * person and finished by the check run; 质检 follows the sample and the inspectors' verdicts; 验收
 * and 入库 follow the batch's acceptance and check-in.
 */
export const STAGE_DRIVERS: Record<StageCode, { start: 'person' | 'system'; finish: 'person' | 'system' }> = {
  arrange: { start: 'person', finish: 'person' },
  scan: { start: 'person', finish: 'person' },
  process: { start: 'person', finish: 'person' },
  link: { start: 'person', finish: 'person' },
  check: { start: 'person', finish: 'system' },
  inspect: { start: 'system', finish: 'system' },
  accept: { start: 'system', finish: 'system' },
  return: { start: 'system', finish: 'system' },
};

/** The permission an operator needs for a stage (batch.manage may also move 整理 and start 自动校验). */
export const STAGE_PERMISSIONS: Record<StageCode, readonly ('scan.ingest' | 'scan.link' | 'batch.manage' | 'qc.inspect' | 'batch.approve')[]> = {
  arrange: ['batch.manage', 'scan.ingest'],
  scan: ['scan.ingest'],
  process: ['scan.ingest'],
  link: ['scan.link'],
  check: ['scan.ingest', 'scan.link', 'batch.manage'],
  inspect: ['qc.inspect'],
  accept: ['batch.approve'],
  return: ['batch.manage'],
};

/** Stages a person may send a dossier back to (返工): the hands-on work and the check after it. */
export const REWORKABLE_STAGES: readonly StageCode[] = ['arrange', 'scan', 'process', 'link', 'check'];

export function initialStages(): StageStatuses {
  return Object.fromEntries(STAGES.map((s) => [s, 'pending'])) as StageStatuses;
}

export function previousStage(stage: StageCode): StageCode | null {
  const i = STAGES.indexOf(stage);
  return i > 0 ? STAGES[i - 1]! : null;
}

/** The first stage not done, or null when all are. */
export function currentStage(stages: StageStatuses): StageCode | null {
  return STAGES.find((s) => stages[s] !== 'done') ?? null;
}

export type StageMove = { ok: true; stages: StageStatuses } | { ok: false; reason: string };

function refuse(reason: string): StageMove {
  return { ok: false, reason };
}

/** Starting a stage: the one before must be done and this one not started. */
export function startStage(stages: StageStatuses, stage: StageCode): StageMove {
  const label = STAGE_LABELS[stage];
  if (stages[stage] === 'in_progress') return refuse(`「${label}」环节已在进行中`);
  if (stages[stage] === 'done') return refuse(`「${label}」环节已完成；如需重做，请登记返工`);
  const before = previousStage(stage);
  if (before && stages[before] !== 'done') {
    return refuse(`不能开始「${label}」：上一环节「${STAGE_LABELS[before]}」尚未完成`);
  }
  return { ok: true, stages: { ...stages, [stage]: 'in_progress' } };
}

/** Finishing a stage: it must be in progress. */
export function finishStage(stages: StageStatuses, stage: StageCode): StageMove {
  const label = STAGE_LABELS[stage];
  if (stages[stage] === 'pending') return refuse(`「${label}」环节尚未开始，不能完成`);
  if (stages[stage] === 'done') return refuse(`「${label}」环节已完成`);
  return { ok: true, stages: { ...stages, [stage]: 'done' } };
}

/**
 * Going back (返工) to `stage`: it and every later stage return to 未开始, so the work is done again
 * in order. Only a stage already reached can be gone back to, and not once the batch is being accepted.
 */
export function reworkStage(stages: StageStatuses, stage: StageCode): StageMove & { reset?: StageCode[] } {
  const label = STAGE_LABELS[stage];
  if (!REWORKABLE_STAGES.includes(stage)) return refuse(`「${label}」环节不能登记返工`);
  if (stages[stage] === 'pending') return refuse(`「${label}」环节尚未开始，无需返工`);
  if (stages.accept !== 'pending') return refuse('档案已进入验收，不能再返工');
  const from = STAGES.indexOf(stage);
  const reset = STAGES.slice(from).filter((s) => stages[s] !== 'pending');
  const next = { ...stages };
  for (const s of STAGES.slice(from)) next[s] = 'pending';
  return { ok: true, stages: next, reset };
}

// ------------------------------------------------------------------------------------------------
// Defects

export type DefectType =
  | 'missing_scan'
  | 'rescan'
  | 'skew'
  | 'blur'
  | 'bad_crop'
  | 'stain'
  | 'wrong_order'
  | 'wrong_link'
  | 'wrong_catalogue'
  | 'other';

export const DEFECT_TYPES: readonly DefectType[] = [
  'missing_scan', 'rescan', 'skew', 'blur', 'bad_crop', 'stain', 'wrong_order', 'wrong_link', 'wrong_catalogue', 'other',
];

export const DEFECT_TYPE_LABELS: Record<DefectType, string> = {
  missing_scan: '漏扫',
  rescan: '重扫',
  skew: '歪斜',
  blur: '模糊',
  bad_crop: '裁切不当',
  stain: '污渍',
  wrong_order: '顺序错误',
  wrong_link: '挂接错误',
  wrong_catalogue: '著录错误',
  other: '其他',
};

export type Verdict = 'pass' | 'fail';

export const VERDICT_LABELS: Record<Verdict, string> = { pass: '合格', fail: '不合格' };

export type ReworkState = 'open' | 'submitted' | 'closed';

export const REWORK_STATE_LABELS: Record<ReworkState, string> = {
  open: '待整改',
  submitted: '已提交复检',
  closed: '已复检',
};

// ------------------------------------------------------------------------------------------------
// Sampling

/** A small, fast, well-mixed 32-bit PRNG: the same seed gives the same sequence everywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How many dossiers the random sample takes: `percent` of the batch rounded up, at least one. */
export function sampleSize(batchSize: number, percent: number): number {
  if (batchSize <= 0) return 0;
  return Math.min(batchSize, Math.max(1, Math.ceil((batchSize * percent) / 100)));
}

export type SampleReason = 'random' | 'check_failed';

export const SAMPLE_REASON_LABELS: Record<SampleReason, string> = {
  random: '随机抽检',
  check_failed: '自动校验不通过，全检',
};

export interface SampleInput {
  /** Every dossier of the batch. */
  dossierIds: readonly string[];
  /** Dossiers whose latest automatic check found failures: all inspected. */
  checkFailedIds: ReadonlySet<string>;
  percent: number;
  seed: number;
}

export interface SampleResult {
  /** Size of the random part: `sampleSize(batch, percent)`, capped by the dossiers without failures. */
  randomCount: number;
  selected: { dossierId: string; reason: SampleReason }[];
}

/**
 * The quality sample of a batch. Every dossier with check failures is inspected in full; in addition
 * `sampleSize(all, percent)` dossiers are drawn from the others: their ids sorted, shuffled by
 * Fisher–Yates driven by mulberry32(seed), and the first ones taken. The same ids, failures, percent
 * and seed always give the same sample, so anyone can redo the draw from the recorded seed.
 */
export function drawSample(input: SampleInput): SampleResult {
  const all = [...new Set(input.dossierIds)].sort();
  const failed = all.filter((id) => input.checkFailedIds.has(id));
  const pool = all.filter((id) => !input.checkFailedIds.has(id));
  const random = mulberry32(input.seed);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  const randomCount = Math.min(pool.length, sampleSize(all.length, input.percent));
  const picked = pool.slice(0, randomCount).sort();
  return {
    randomCount,
    selected: [
      ...failed.map((dossierId) => ({ dossierId, reason: 'check_failed' as const })),
      ...picked.map((dossierId) => ({ dossierId, reason: 'random' as const })),
    ].sort((a, b) => (a.dossierId < b.dossierId ? -1 : 1)),
  };
}

// ------------------------------------------------------------------------------------------------
// Pass rate and acceptance

export interface SampledDossierVerdicts {
  dossierId: string;
  /** The verdicts of its inspection rounds in order (rounds still open are left out). */
  verdicts: readonly Verdict[];
}

export interface PassRate {
  /** Sampled dossiers with at least one verdict. */
  inspected: number;
  /** Of those, the ones whose latest verdict (after any rework and re-inspection) is 合格. */
  passed: number;
  /** passed / inspected, or null when nothing is inspected yet. */
  rate: number | null;
  /** Of those, the ones whose first verdict was 合格 (一次合格率, for the report). */
  firstPassed: number;
  firstRate: number | null;
}

/**
 * The pass rate of a batch's sample, on the final verdicts: a dossier counts as passed when its
 * latest completed inspection round is 合格, so a failed dossier that was reworked and passed on
 * re-inspection counts as passed, and one still awaiting rework counts as failed.
 */
export function passRate(sample: readonly SampledDossierVerdicts[]): PassRate {
  const inspected = sample.filter((d) => d.verdicts.length > 0);
  const passed = inspected.filter((d) => d.verdicts.at(-1) === 'pass').length;
  const firstPassed = inspected.filter((d) => d.verdicts[0] === 'pass').length;
  const n = inspected.length;
  return {
    inspected: n,
    passed,
    rate: n === 0 ? null : passed / n,
    firstPassed,
    firstRate: n === 0 ? null : firstPassed / n,
  };
}

/** `95.0%`-style text of a rate, one decimal. */
export function percentText(rate: number | null): string {
  return rate === null ? '—' : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/** Whether a rate meets a threshold in whole percent, in integers so 19/20 meets 95 exactly. */
export function meetsThreshold(passed: number, inspected: number, thresholdPercent: number): boolean {
  return inspected > 0 && passed * 100 >= thresholdPercent * inspected;
}

export interface AcceptanceInput {
  sampleDrawn: boolean;
  sample: readonly SampledDossierVerdicts[];
  thresholdPercent: number;
  /** Rework tasks not yet closed by a re-inspection. */
  outstandingRework: number;
  /** Dossiers whose 质检 stage is not done (sampled ones without a pass, or checks still running). */
  dossiersNotInspected: number;
}

export type AcceptanceDecision = { ok: true; rate: PassRate } | { ok: false; code: string; reason: string; rate: PassRate };

/**
 * A batch is accepted when its sample is drawn and fully inspected, its pass rate on final verdicts
 * meets the threshold, no rework is outstanding and every dossier has passed 质检.
 */
export function acceptanceDecision(input: AcceptanceInput): AcceptanceDecision {
  const rate = passRate(input.sample);
  const no = (code: string, reason: string): AcceptanceDecision => ({ ok: false, code, reason, rate });
  if (!input.sampleDrawn) return no('SAMPLE_NOT_DRAWN', '尚未抽取质检样本，不能验收');
  const waiting = input.sample.length - rate.inspected;
  if (waiting > 0) return no('SAMPLE_NOT_INSPECTED', `抽检样本中尚有 ${waiting} 卷未质检，不能验收`);
  if (!meetsThreshold(rate.passed, rate.inspected, input.thresholdPercent)) {
    return no(
      'PASS_RATE_BELOW_THRESHOLD',
      `抽检合格率 ${percentText(rate.rate)}（${rate.passed}/${rate.inspected}）低于验收标准 ${input.thresholdPercent}%，不能验收`,
    );
  }
  if (input.outstandingRework > 0) return no('REWORK_OUTSTANDING', `尚有 ${input.outstandingRework} 项整改未完成复检，不能验收`);
  if (input.dossiersNotInspected > 0) return no('DOSSIERS_NOT_INSPECTED', `尚有 ${input.dossiersNotInspected} 卷档案未完成质检环节，不能验收`);
  return { ok: true, rate };
}
