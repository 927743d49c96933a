import type { BatchDetail, Defect } from '@dangan/contracts';
import { DEFECT_TYPES, DEFECT_TYPE_LABELS, STAGE_LABELS, VERDICT_LABELS, percentText } from '@dangan/domain';

/** The 验收报告 as both renderers take it: every figure worked out, every text in Chinese. */
export interface AcceptanceReport {
  organizationName: string;
  generatedAt: Date;
  title: string;
  /** Label / value pairs of the batch: number, name, state, the people and dates of each step. */
  facts: [string, string][];
  scope: { dossiers: number; materials: number; pages: number; scannedPages: number };
  dossiers: {
    dossierNo: string;
    cadreName: string;
    materials: number;
    pages: number;
    scannedPages: number;
    stage: string;
    check: string;
    sample: string;
    verdicts: string;
  }[];
  sampling: [string, string][];
  passRates: [string, string][];
  defectsByType: [string, number][];
  defectsByOperator: [string, number][];
  outstanding: string[];
  signatures: string[];
}

export const SIGNATURE_PARTIES = ['加工方', '质检', '档案室', '审批领导'];

/** Beijing time as `2026-03-02 09:00`. */
export function beijingText(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 16);
}

function decisionText(d: { by: { name: string }; at: string; reason: string | null } | null): string {
  if (!d) return '—';
  return `${d.by.name}\u3000${beijingText(d.at)}${d.reason ? `（${d.reason}）` : ''}`;
}

/**
 * Works out the report from the batch's full view and its defects. Defects count against the operator
 * the rework went to, or, for defects noted on a passing round, the one who did 图像处理 (else 扫描).
 */
export function acceptanceReport(
  detail: BatchDetail,
  defects: readonly (Defect & { dossierId: string; reworkAssignee: string | null })[],
  organizationName: string,
  generatedAt: Date,
): AcceptanceReport {
  const out = detail.handovers.find((h) => h.direction === 'out');
  const back = detail.handovers.find((h) => h.direction === 'in');
  const handoverText = (h: typeof out) =>
    h ? `${h.giver.name} → ${h.receiver.name}，${h.completedAt ? `${beijingText(h.completedAt)} 双方确认` : '待双方确认'}` : '—';
  const facts: [string, string][] = [
    ['批次号', detail.code],
    ['批次名称', detail.name],
    ['状态', detail.stateLabel],
    ['备注', detail.notes || '—'],
    ['建立', `${detail.createdBy.name}\u3000${beijingText(detail.createdAt)}`],
    ['出库申请', decisionText(detail.checkout.requested)],
    ['出库批准', decisionText(detail.checkout.approved)],
    ['出库交接', handoverText(out)],
    ['验收', decisionText(detail.acceptance.accepted)],
    ['入库交接', handoverText(back)],
  ];
  const processor = new Map<string, string>();
  for (const d of detail.dossiers) {
    const by = d.stages.find((s) => s.stage === 'process')?.finishedBy ?? d.stages.find((s) => s.stage === 'scan')?.finishedBy;
    if (by) processor.set(d.dossierId, by.name);
  }
  const byType = new Map<string, number>(DEFECT_TYPES.map((t) => [DEFECT_TYPE_LABELS[t], 0]));
  const byOperator = new Map<string, number>();
  for (const d of defects) {
    byType.set(d.typeLabel, (byType.get(d.typeLabel) ?? 0) + 1);
    const who = d.reworkAssignee ?? processor.get(d.dossierId) ?? '未指定';
    byOperator.set(who, (byOperator.get(who) ?? 0) + 1);
  }
  const s = detail.sampling;
  const rate = detail.passRate;
  return {
    organizationName,
    generatedAt,
    title: '数字化加工验收报告',
    facts,
    scope: {
      dossiers: detail.dossierCount,
      materials: detail.materialCount,
      pages: detail.pageCount,
      scannedPages: detail.dossiers.reduce((sum, d) => sum + d.scannedPages, 0),
    },
    dossiers: detail.dossiers.map((d) => ({
      dossierNo: d.dossierNo,
      cadreName: d.cadreName,
      materials: d.materialCount,
      pages: d.pageCount,
      scannedPages: d.scannedPages,
      stage: d.currentStage ? `${STAGE_LABELS[d.currentStage]}（${d.stages.find((x) => x.stage === d.currentStage)!.status === 'in_progress' ? '进行中' : '未开始'}）` : '全部完成',
      check: d.check.failures === null ? '—' : d.check.failures > 0 ? `不合格项 ${d.check.failures}` : '通过',
      sample: d.sample?.label ?? '未抽中',
      verdicts: d.verdicts.length === 0 ? '—' : d.verdicts.map((v, i) => `第${i + 1}轮${VERDICT_LABELS[v]}`).join('，'),
    })),
    sampling: s
      ? [
          ['抽检比例', `${s.percent}%（至少 1 卷）`],
          ['随机种子', String(s.seed)],
          ['随机抽取', `${s.randomCount} 卷`],
          ['校验不合格全检', `${s.selected.filter((x) => x.reason === 'check_failed').length} 卷`],
          ['样本合计', `${s.selected.length} 卷：${s.selected.map((x) => x.dossierNo).join('、')}`],
          ['抽样人', `${s.drawnBy.name}\u3000${beijingText(s.drawnAt)}`],
        ]
      : [['抽样', '尚未抽样']],
    passRates: [
      ['已质检（样本）', `${rate.inspected} 卷`],
      ['一次合格', `${rate.firstPassed} 卷，一次合格率 ${percentText(rate.firstRate)}`],
      ['最终合格（整改复检后）', `${rate.passed} 卷，合格率 ${percentText(rate.rate)}`],
      ['验收标准', `合格率不低于 ${detail.passPercent}%`],
    ],
    defectsByType: [...byType.entries()],
    defectsByOperator: [...byOperator.entries()].sort((a, b) => b[1] - a[1]),
    outstanding: outstandingItems(detail),
    signatures: SIGNATURE_PARTIES,
  };
}

function outstandingItems(detail: BatchDetail): string[] {
  const items: string[] = [];
  if (!detail.sampling && detail.state !== 'cancelled') items.push('尚未抽取质检样本');
  for (const d of detail.dossiers) {
    if (d.sample && d.verdicts.length === 0) items.push(`样本档案 ${d.dossierNo} 尚未质检`);
  }
  for (const r of detail.rework.filter((x) => x.state !== 'closed')) {
    items.push(`档案 ${r.dossierNo} 第 ${r.round} 轮质检整改：${r.stateLabel}（整改人 ${r.assignee.name}，已整改 ${r.fixedCount}/${r.defectCount}）`);
  }
  if (detail.state !== 'closed' && detail.state !== 'cancelled') {
    for (const d of detail.dossiers) {
      if (d.currentStage && d.currentStage !== 'accept' && d.currentStage !== 'return') items.push(`档案 ${d.dossierNo} 停在「${STAGE_LABELS[d.currentStage]}」环节`);
    }
  }
  for (const h of detail.handovers.filter((x) => !x.completedAt)) {
    items.push(`${h.direction === 'out' ? '出库' : '入库'}交接待${h.giverConfirmedAt ? '' : `交出方（${h.giver.name}）`}${h.receiverConfirmedAt ? '' : `接收方（${h.receiver.name}）`}确认`);
  }
  return items;
}
