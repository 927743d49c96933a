import { describe, expect, it } from 'vitest';
import {
  DOSSIER_EVENT_LABELS,
  DOSSIER_STATES,
  DOSSIER_STATE_LABELS,
  INITIAL_DOSSIER_STATES,
  type DossierEvent,
  type DossierState,
  availableEvents,
  transition,
} from './dossier-state.js';

const EVENTS = Object.keys(DOSSIER_EVENT_LABELS) as DossierEvent[];

/** The expected machine, written out independently of the implementation's table. */
const ALLOWED: [DossierState, DossierEvent, DossierState][] = [
  ['pending_receipt', 'receive', 'in_store'],
  ['in_store', 'check_out_for_digitization', 'out_for_digitization'],
  ['out_for_digitization', 'return_from_digitization', 'in_store'],
  ['in_store', 'lend', 'lent'],
  ['lent', 'return_loan', 'in_store'],
  ['in_store', 'transfer_out', 'transferred_out'],
  ['transferred_out', 'receive', 'in_store'],
  ['in_store', 'close', 'closed'],
  ['closed', 'reopen', 'in_store'],
];

const allowed = (s: DossierState, e: DossierEvent) => ALLOWED.find(([from, ev]) => from === s && ev === e);

describe('labels', () => {
  it('names every state as the archive does', () => {
    expect(DOSSIER_STATE_LABELS).toEqual({
      pending_receipt: '待接收',
      in_store: '在库',
      out_for_digitization: '出库加工',
      lent: '借出',
      transferred_out: '转出',
      closed: '已销档',
    });
    expect(DOSSIER_STATES).toEqual(Object.keys(DOSSIER_STATE_LABELS));
  });

  it('names every event in Chinese', () => {
    expect(EVENTS).toHaveLength(8);
    for (const e of EVENTS) expect(DOSSIER_EVENT_LABELS[e]).toMatch(/^[\u4e00-\u9fff]+$/);
  });

  it('starts a dossier in the store or awaiting receipt', () => {
    expect(INITIAL_DOSSIER_STATES).toEqual(['in_store', 'pending_receipt']);
  });
});

describe('transition: every allowed move', () => {
  it.each(ALLOWED)('%s --%s--> %s', (from, event, to) => {
    expect(transition(from, event)).toEqual({ ok: true, to });
  });
});

describe('transition: every other move is refused with a Chinese reason', () => {
  const refused = DOSSIER_STATES.flatMap((s) => EVENTS.filter((e) => !allowed(s, e)).map((e) => [s, e] as const));

  it('covers the whole matrix', () => {
    expect(refused.length + ALLOWED.length).toBe(DOSSIER_STATES.length * EVENTS.length);
  });

  it.each(refused)('%s cannot %s', (from, event) => {
    const r = transition(from, event);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toContain(`不能${DOSSIER_EVENT_LABELS[event]}`);
      expect(r.reason).toContain(`当前状态为「${DOSSIER_STATE_LABELS[from]}」`);
    }
  });

  it('tells the clerk what to do first', () => {
    expect(transition('lent', 'transfer_out')).toEqual({
      ok: false,
      reason: '不能转出：当前状态为「借出」（档案已借出，须先办理归还）',
    });
    expect(transition('out_for_digitization', 'lend')).toEqual({
      ok: false,
      reason: '不能借出：当前状态为「出库加工」（档案正在出库加工，须先办理加工归还入库）',
    });
    expect(transition('pending_receipt', 'check_out_for_digitization')).toMatchObject({
      reason: expect.stringContaining('须先办理接收'),
    });
    expect(transition('in_store', 'return_loan')).toMatchObject({ reason: expect.stringContaining('档案已在库') });
    expect(transition('closed', 'lend')).toMatchObject({ reason: expect.stringContaining('档案已销档') });
    expect(transition('transferred_out', 'close')).toMatchObject({ reason: expect.stringContaining('不在本单位') });
  });
});

describe('availableEvents', () => {
  it('offers exactly the allowed events per state', () => {
    for (const s of DOSSIER_STATES) {
      const expected = ALLOWED.filter(([from]) => from === s).map(([, e]) => e).sort();
      expect(availableEvents(s).sort()).toEqual(expected);
    }
  });

  it('offers every way out of the store from 在库 only', () => {
    expect(availableEvents('in_store').sort()).toEqual(['check_out_for_digitization', 'close', 'lend', 'transfer_out']);
    expect(availableEvents('lent')).toEqual(['return_loan']);
  });
});

describe('a dossier\'s life', () => {
  it('is received, digitized, lent, returned, transferred, comes back and is closed', () => {
    const events: DossierEvent[] = [
      'receive', 'check_out_for_digitization', 'return_from_digitization', 'lend', 'return_loan',
      'transfer_out', 'receive', 'close', 'reopen',
    ];
    let state: DossierState = 'pending_receipt';
    const seen: DossierState[] = [state];
    for (const e of events) {
      const r = transition(state, e);
      if (!r.ok) throw new Error(r.reason);
      state = r.to;
      seen.push(state);
    }
    expect(seen).toEqual([
      'pending_receipt', 'in_store', 'out_for_digitization', 'in_store', 'lent', 'in_store',
      'transferred_out', 'in_store', 'closed', 'in_store',
    ]);
  });
});
