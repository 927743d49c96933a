import { z } from 'zod';
import { Id, IdParams, PageQuery, Timestamp, page } from './common.js';
import { endpoint } from './endpoint.js';

/** Paper lending (借阅): handing out the dossiers of approved lend-mode requests, returns, overdue reminders. */

const CalendarDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式为 YYYY-MM-DD');
const Note = z.string().trim().max(200).refine((s) => !/[\u0000-\u001f\u007f]/.test(s), { message: '不能包含控制字符' });
const Person = z.object({ id: Id, name: z.string() });

export const LENDING_STATES = ['open', 'overdue', 'returned'] as const;
export const LendingState = z.enum(LENDING_STATES);
export type LendingState = z.infer<typeof LendingState>;
export const LENDING_STATE_LABELS: Record<LendingState, string> = { open: '借出中', overdue: '已逾期', returned: '已归还' };

/** One approved lend-mode request's dossier waiting to be handed out. */
export const LendingCandidate = z.object({
  requestId: Id,
  requestNo: z.string(),
  requester: Person,
  requesterUnitName: z.string(),
  purpose: z.string(),
  purposeLabel: z.string(),
  dossierId: Id,
  dossierNo: z.string(),
  cadreName: z.string(),
  dossierState: z.string(),
  dossierStateLabel: z.string(),
  grantedFrom: Timestamp,
  grantedUntil: Timestamp,
  defaultDueOn: CalendarDay.describe('默认归还日期：今天 + 设置 use.lendingDays，且不晚于授权截止日'),
  latestDueOn: CalendarDay.describe('授权截止日（北京时间），归还日期不能晚于此日'),
  blockedReason: z.string().nullable().describe('不能借出的原因（如档案正在出库加工）；null = 可以借出'),
});
export type LendingCandidate = z.infer<typeof LendingCandidate>;

export const Lending = z.object({
  id: Id,
  requestId: Id,
  requestNo: z.string(),
  dossierId: Id,
  dossierNo: z.string(),
  cadreName: z.string(),
  borrower: Person,
  borrowerUnitName: z.string(),
  lentBy: Person,
  lentAt: Timestamp,
  dueOn: CalendarDay,
  lendNote: z.string(),
  returnedBy: Person.nullable(),
  returnedAt: Timestamp.nullable(),
  returnNote: z.string().nullable(),
  remindedAt: Timestamp.nullable(),
  reminders: z.number().int(),
  state: LendingState,
  stateLabel: z.string(),
  overdueDays: z.number().int().describe('逾期天数（未逾期为 0；已归还的按归还日计）'),
});
export type Lending = z.infer<typeof Lending>;

export const LendingQuery = PageQuery.extend({
  state: LendingState.optional().describe('open = 借出中（含逾期）；overdue = 已逾期未还；returned = 已归还'),
  q: z.string().trim().max(40).optional().describe('档案号、干部姓名、借阅人或申请编号'),
});
export type LendingQuery = z.infer<typeof LendingQuery>;

export const LendingCreate = z.object({
  requestId: Id,
  dossierId: Id,
  dueOn: CalendarDay.optional().describe('归还日期；缺省为今天 + use.lendingDays（不晚于授权截止日）'),
  note: Note.default(''),
});
export const LendingReturn = z.object({ note: Note.default('') });

export const lendingApi = {
  lendings: {
    pending: endpoint({
      method: 'GET', path: '/api/lendings/pending', summary: '待借出（已批准的借阅申请）', tag: '档案借阅', access: 'use.manage',
      response: z.array(LendingCandidate),
    }),
    list: endpoint({
      method: 'GET', path: '/api/lendings', summary: '借阅登记（借出中、已逾期、已归还）', tag: '档案借阅', access: 'use.manage',
      query: LendingQuery, response: page(Lending),
    }),
    mine: endpoint({
      method: 'GET', path: '/api/lendings/mine', summary: '我借阅的档案', tag: '档案借阅', access: 'user',
      response: z.array(Lending),
    }),
    lend: endpoint({
      method: 'POST', path: '/api/lendings', summary: '借出档案', tag: '档案借阅', access: 'use.manage',
      body: LendingCreate, response: Lending,
    }),
    return: endpoint({
      method: 'POST', path: '/api/lendings/:id/return', summary: '归还档案', tag: '档案借阅', access: 'use.manage',
      params: IdParams, body: LendingReturn, response: Lending,
    }),
  },
} as const;
