/** Where a dossier physically is, and the moves between those places (DOMAIN.md §6, §7). */

export type DossierState =
  | 'pending_receipt'
  | 'in_store'
  | 'out_for_digitization'
  | 'lent'
  | 'transferred_out'
  | 'closed';

export type DossierEvent =
  | 'receive'
  | 'check_out_for_digitization'
  | 'return_from_digitization'
  | 'lend'
  | 'return_loan'
  | 'transfer_out'
  | 'close'
  | 'reopen';

export const DOSSIER_STATES: readonly DossierState[] = [
  'pending_receipt', 'in_store', 'out_for_digitization', 'lent', 'transferred_out', 'closed',
];

export const DOSSIER_STATE_LABELS: Record<DossierState, string> = {
  pending_receipt: '待接收',
  in_store: '在库',
  out_for_digitization: '出库加工',
  lent: '借出',
  transferred_out: '转出',
  closed: '已销档',
};

export const DOSSIER_EVENT_LABELS: Record<DossierEvent, string> = {
  receive: '接收入库',
  check_out_for_digitization: '出库加工',
  return_from_digitization: '加工完毕归还入库',
  lend: '借出',
  return_loan: '借出归还',
  transfer_out: '转出',
  close: '销档',
  reopen: '撤销销档',
};

/**
 * A dossier is registered either already in the store, or as announced by a 转递通知单 and still on
 * its way: the receiver must review it before filing (§7), so it is not 在库 until received.
 */
export const INITIAL_DOSSIER_STATES: readonly DossierState[] = ['in_store', 'pending_receipt'];

/*
 * Every move out of the store starts from 在库, so a dossier is never in two places at once: it is
 * not lent while at the scanning vendor, nor transferred while lent. A transferred dossier can come
 * back (the receiver returns it, or the cadre comes back under our management) and is received
 * again. A 销档 recorded in error must be correctable, so it can be undone (撤销销档).
 */
const TRANSITIONS: Record<DossierEvent, { from: readonly DossierState[]; to: DossierState }> = {
  receive: { from: ['pending_receipt', 'transferred_out'], to: 'in_store' },
  check_out_for_digitization: { from: ['in_store'], to: 'out_for_digitization' },
  return_from_digitization: { from: ['out_for_digitization'], to: 'in_store' },
  lend: { from: ['in_store'], to: 'lent' },
  return_loan: { from: ['lent'], to: 'in_store' },
  transfer_out: { from: ['in_store'], to: 'transferred_out' },
  close: { from: ['in_store'], to: 'closed' },
  reopen: { from: ['closed'], to: 'in_store' },
};

/** What the clerk must do first, by the state the dossier is in. */
const HINTS: Record<DossierState, string> = {
  pending_receipt: '档案尚未接收入库，须先办理接收',
  in_store: '档案已在库',
  out_for_digitization: '档案正在出库加工，须先办理加工归还入库',
  lent: '档案已借出，须先办理归还',
  transferred_out: '档案已转出，不在本单位',
  closed: '档案已销档',
};

export type TransitionResult = { ok: true; to: DossierState } | { ok: false; reason: string };

export function transition(from: DossierState, event: DossierEvent): TransitionResult {
  const t = TRANSITIONS[event];
  if (t.from.includes(from)) return { ok: true, to: t.to };
  return {
    ok: false,
    reason: `不能${DOSSIER_EVENT_LABELS[event]}：当前状态为「${DOSSIER_STATE_LABELS[from]}」（${HINTS[from]}）`,
  };
}

/** The events allowed in a state, for offering only the buttons that work. */
export function availableEvents(state: DossierState): DossierEvent[] {
  return (Object.keys(TRANSITIONS) as DossierEvent[]).filter((e) => TRANSITIONS[e].from.includes(state));
}
