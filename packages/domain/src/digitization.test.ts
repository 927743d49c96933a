import { describe, expect, it } from 'vitest';
import {
  BATCH_STATES,
  DEFECT_TYPES,
  DEFECT_TYPE_LABELS,
  STAGES,
  STAGE_LABELS,
  acceptanceDecision,
  availableBatchEvents,
  batchCode,
  batchTransition,
  currentStage,
  drawSample,
  finishStage,
  initialStages,
  isOpenBatch,
  meetsThreshold,
  mulberry32,
  passRate,
  percentText,
  reworkStage,
  sampleSize,
  startStage,
  type StageStatuses,
} from './digitization.js';

function doneUpTo(last: (typeof STAGES)[number]): StageStatuses {
  const s = initialStages();
  for (const code of STAGES) {
    s[code] = 'done';
    if (code === last) break;
  }
  return s;
}

describe('batch life', () => {
  it('goes draft → requested → approved → in progress → accepted → closed', () => {
    let state = BATCH_STATES[0]!;
    for (const [event, to] of [
      ['request_checkout', 'checkout_requested'],
      ['approve_checkout', 'approved'],
      ['hand_over', 'in_progress'],
      ['accept', 'accepted'],
      ['check_in', 'closed'],
    ] as const) {
      const r = batchTransition(state, event);
      expect(r).toEqual({ ok: true, to });
      state = to;
    }
    expect(availableBatchEvents('closed')).toEqual([]);
  });

  it('sends a refused request back to draft, and cancels only before the hand-over', () => {
    expect(batchTransition('checkout_requested', 'refuse_checkout')).toEqual({ ok: true, to: 'draft' });
    expect(batchTransition('approved', 'cancel')).toEqual({ ok: true, to: 'cancelled' });
    const r = batchTransition('in_progress', 'cancel');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toBe('不能撤销批次：批次当前为「加工中」');
    expect(batchTransition('draft', 'accept').ok).toBe(false);
  });

  it('holds dossiers while open', () => {
    expect(BATCH_STATES.filter(isOpenBatch)).toEqual(['draft', 'checkout_requested', 'approved', 'in_progress', 'accepted']);
  });

  it('numbers batches PC-year-seq', () => {
    expect(batchCode(2026, 1)).toBe('PC-2026-001');
    expect(batchCode(2026, 42)).toBe('PC-2026-042');
    expect(batchCode(2027, 1234)).toBe('PC-2027-1234');
  });
});

describe('stages', () => {
  it('are in the order of the issue', () => {
    expect(STAGES.map((s) => STAGE_LABELS[s])).toEqual(['整理', '扫描', '图像处理', '著录/挂接', '自动校验', '质检', '验收', '入库']);
  });

  it('start only when the one before is done, in order', () => {
    let s = initialStages();
    expect(currentStage(s)).toBe('arrange');
    const early = startStage(s, 'scan');
    expect(early.ok).toBe(false);
    expect(!early.ok && early.reason).toBe('不能开始「扫描」：上一环节「整理」尚未完成');
    for (const code of STAGES) {
      const started = startStage(s, code);
      expect(started.ok, code).toBe(true);
      if (!started.ok) return;
      expect(started.stages[code]).toBe('in_progress');
      const finished = finishStage(started.stages, code);
      expect(finished.ok, code).toBe(true);
      if (!finished.ok) return;
      s = finished.stages;
    }
    expect(currentStage(s)).toBeNull();
  });

  it('refuse starting twice, finishing unstarted or finished stages', () => {
    const s = doneUpTo('arrange');
    const started = startStage(s, 'scan');
    if (!started.ok) throw new Error(started.reason);
    expect(startStage(started.stages, 'scan')).toEqual({ ok: false, reason: '「扫描」环节已在进行中' });
    expect(startStage(s, 'arrange')).toEqual({ ok: false, reason: '「整理」环节已完成；如需重做，请登记返工' });
    expect(finishStage(s, 'scan')).toEqual({ ok: false, reason: '「扫描」环节尚未开始，不能完成' });
    expect(finishStage(s, 'arrange')).toEqual({ ok: false, reason: '「整理」环节已完成' });
  });

  it('go back on rework: the stage and all later ones return to pending', () => {
    const s = { ...doneUpTo('link'), check: 'in_progress' as const };
    const r = reworkStage(s, 'scan');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.reset).toEqual(['scan', 'process', 'link', 'check']);
    expect(r.stages).toEqual({ ...initialStages(), arrange: 'done' });
    expect(currentStage(r.stages)).toBe('scan');
  });

  it('refuse rework of a stage not reached, of system stages, and after acceptance began', () => {
    expect(reworkStage(doneUpTo('arrange'), 'process').ok).toBe(false);
    expect(reworkStage(doneUpTo('inspect'), 'inspect')).toEqual({ ok: false, reason: '「质检」环节不能登记返工' });
    expect(reworkStage({ ...doneUpTo('inspect'), accept: 'in_progress' }, 'scan')).toEqual({ ok: false, reason: '档案已进入验收，不能再返工' });
  });
});

describe('defect types', () => {
  it('are the ten of the dictionary', () => {
    expect(DEFECT_TYPES.map((d) => DEFECT_TYPE_LABELS[d])).toEqual([
      '漏扫', '重扫', '歪斜', '模糊', '裁切不当', '污渍', '顺序错误', '挂接错误', '著录错误', '其他',
    ]);
  });
});

describe('sampling', () => {
  const ids = Array.from({ length: 60 }, (_, i) => `d${String(i).padStart(3, '0')}`);

  it('takes the percentage rounded up, at least one, never more than the batch', () => {
    expect(sampleSize(0, 5)).toBe(0);
    expect(sampleSize(1, 5)).toBe(1);
    expect(sampleSize(3, 5)).toBe(1);
    expect(sampleSize(20, 5)).toBe(1);
    expect(sampleSize(21, 5)).toBe(2);
    expect(sampleSize(100, 5)).toBe(5);
    expect(sampleSize(10, 100)).toBe(10);
  });

  it('mulberry32 is a fixed sequence in [0, 1)', () => {
    const a = mulberry32(12345);
    const b = mulberry32(12345);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBe(1000);
    // The published reference value of mulberry32 for seed 1.
    expect(mulberry32(1)()).toBeCloseTo(0.6270739405881613, 12);
  });

  it('is reproducible from the seed whatever the order of the ids', () => {
    const one = drawSample({ dossierIds: ids, checkFailedIds: new Set(), percent: 5, seed: 987654321 });
    const two = drawSample({ dossierIds: [...ids].reverse(), checkFailedIds: new Set(), percent: 5, seed: 987654321 });
    expect(one).toEqual(two);
    expect(one.randomCount).toBe(3);
    expect(one.selected).toHaveLength(3);
    expect(one.selected.every((s) => s.reason === 'random' && ids.includes(s.dossierId))).toBe(true);
  });

  it('depends on the seed', () => {
    const picks = new Set<string>();
    for (let seed = 1; seed <= 20; seed++) {
      picks.add(drawSample({ dossierIds: ids, checkFailedIds: new Set(), percent: 5, seed }).selected.map((s) => s.dossierId).join(','));
    }
    expect(picks.size).toBeGreaterThan(15);
  });

  it('spreads picks over the whole batch', () => {
    const counts = new Map<string, number>();
    for (let seed = 0; seed < 3000; seed++) {
      for (const s of drawSample({ dossierIds: ids.slice(0, 10), checkFailedIds: new Set(), percent: 10, seed }).selected) {
        counts.set(s.dossierId, (counts.get(s.dossierId) ?? 0) + 1);
      }
    }
    expect(counts.size).toBe(10);
    for (const n of counts.values()) expect(n).toBeGreaterThan(200);
  });

  it('inspects every dossier with check failures in full, in addition to the random ones', () => {
    const failed = new Set(['d005', 'd017']);
    const r = drawSample({ dossierIds: ids, checkFailedIds: failed, percent: 5, seed: 7 });
    expect(r.randomCount).toBe(3);
    expect(r.selected.filter((s) => s.reason === 'check_failed').map((s) => s.dossierId)).toEqual(['d005', 'd017']);
    const random = r.selected.filter((s) => s.reason === 'random').map((s) => s.dossierId);
    expect(random).toHaveLength(3);
    expect(random.some((id) => failed.has(id))).toBe(false);
    expect(r.selected.map((s) => s.dossierId)).toEqual([...r.selected.map((s) => s.dossierId)].sort());
  });

  it('takes one of a batch of three, and nothing random when every dossier failed its checks', () => {
    expect(drawSample({ dossierIds: ['a', 'b', 'c'], checkFailedIds: new Set(), percent: 5, seed: 1 }).selected).toHaveLength(1);
    const all = drawSample({ dossierIds: ['a', 'b'], checkFailedIds: new Set(['a', 'b']), percent: 5, seed: 1 });
    expect(all).toEqual({ randomCount: 0, selected: [{ dossierId: 'a', reason: 'check_failed' }, { dossierId: 'b', reason: 'check_failed' }] });
  });
});

describe('pass rate', () => {
  it('counts the final verdict of each inspected sampled dossier', () => {
    const r = passRate([
      { dossierId: 'a', verdicts: ['pass'] },
      { dossierId: 'b', verdicts: ['fail', 'pass'] },
      { dossierId: 'c', verdicts: ['fail'] },
      { dossierId: 'd', verdicts: ['fail', 'fail'] },
      { dossierId: 'e', verdicts: [] },
    ]);
    expect(r).toEqual({ inspected: 4, passed: 2, rate: 0.5, firstPassed: 1, firstRate: 0.25 });
  });

  it('is null with nothing inspected', () => {
    expect(passRate([{ dossierId: 'a', verdicts: [] }])).toEqual({ inspected: 0, passed: 0, rate: null, firstPassed: 0, firstRate: null });
    expect(percentText(null)).toBe('—');
  });

  it('compares with the threshold exactly, in integers', () => {
    expect(meetsThreshold(19, 20, 95)).toBe(true);
    expect(meetsThreshold(18, 20, 95)).toBe(false);
    expect(meetsThreshold(2, 3, 95)).toBe(false);
    expect(meetsThreshold(3, 3, 100)).toBe(true);
    expect(meetsThreshold(0, 0, 50)).toBe(false);
    expect(percentText(2 / 3)).toBe('66.7%');
    expect(percentText(19 / 20)).toBe('95.0%');
  });
});

describe('acceptance', () => {
  const base = { sampleDrawn: true, thresholdPercent: 95, outstandingRework: 0, dossiersNotInspected: 0 };
  const passed = [
    { dossierId: 'a', verdicts: ['pass' as const] },
    { dossierId: 'b', verdicts: ['fail' as const, 'pass' as const] },
  ];

  it('accepts a fully inspected sample at or above the threshold with nothing outstanding', () => {
    const r = acceptanceDecision({ ...base, sample: passed });
    expect(r.ok).toBe(true);
    expect(r.rate.rate).toBe(1);
  });

  it('refuses, naming the rate, below the threshold', () => {
    const r = acceptanceDecision({ ...base, sample: [...passed, { dossierId: 'c', verdicts: ['fail'] }], outstandingRework: 1 });
    expect(r).toMatchObject({ ok: false, code: 'PASS_RATE_BELOW_THRESHOLD' });
    expect(!r.ok && r.reason).toBe('抽检合格率 66.7%（2/3）低于验收标准 95%，不能验收');
  });

  it('refuses without a sample, with sampled dossiers uninspected, with rework outstanding, with 质检 unfinished', () => {
    expect(acceptanceDecision({ ...base, sampleDrawn: false, sample: [] })).toMatchObject({ ok: false, code: 'SAMPLE_NOT_DRAWN' });
    expect(acceptanceDecision({ ...base, sample: [...passed, { dossierId: 'c', verdicts: [] }] })).toMatchObject({
      ok: false, code: 'SAMPLE_NOT_INSPECTED', reason: '抽检样本中尚有 1 卷未质检，不能验收',
    });
    expect(acceptanceDecision({ ...base, sample: passed, outstandingRework: 2 })).toMatchObject({ ok: false, code: 'REWORK_OUTSTANDING' });
    expect(acceptanceDecision({ ...base, sample: passed, dossiersNotInspected: 1 })).toMatchObject({ ok: false, code: 'DOSSIERS_NOT_INSPECTED' });
  });

  it('accepts at a lower threshold what 95 % refuses', () => {
    const sample = [...passed, { dossierId: 'c', verdicts: ['fail' as const] }];
    expect(acceptanceDecision({ ...base, thresholdPercent: 60, sample }).ok).toBe(true);
  });
});
