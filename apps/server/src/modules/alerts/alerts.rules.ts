import type { AlertRule, AlertSeverity } from '@dangan/contracts';

/**
 * The alert rules over the audit log, without I/O. Windows are measured on the events' own `at`, never
 * the wall clock, so a scan that runs late judges exactly as one that ran on time.
 */

/** An audit event as the rules see it. */
export interface ScanEvent {
  seq: number;
  at: string;
  userId: string | null;
  username: string | null;
  clientIp: string | null;
  /** Role codes held at the time, comma-separated. */
  roles: string;
  action: string;
  result: string;
}

export interface AlertThresholds {
  fastPagingPages: number;
  fastPagingSeconds: number;
  workHours: string;
  workDays: string;
  failedLogins: number;
  bulkExports: number;
}

export const FAILED_LOGIN_WINDOW_SECONDS = 600;
export const BULK_EXPORT_WINDOW_SECONDS = 3600;
/** The triggering seqs kept in an alert's detail. */
export const MAX_SEQS = 50;
const MAX_NAMES = 20;

export const RULE_TITLES: Record<AlertRule, string> = {
  fast_paging: '查阅翻页过快',
  off_hours: '非工作时间访问档案',
  failed_logins: '多次登录失败',
  new_address: '敏感角色从新地址登录',
  bulk_export: '批量导出',
};

export const RULE_SEVERITY: Record<AlertRule, AlertSeverity> = {
  fast_paging: 'high',
  off_hours: 'medium',
  failed_logins: 'high',
  new_address: 'medium',
  bulk_export: 'high',
};

/** What an alert records: its figures and the audit events that raised it. */
export interface AlertFigures {
  count: number;
  firstAt: string;
  lastAt: string;
  /** The rule's threshold and window when it was raised. */
  threshold?: number;
  windowSeconds?: number;
  /** off_hours: the day (Beijing time) and the working hours it was judged against. */
  day?: string;
  workHours?: string;
  /** failed_logins by address: the accounts tried. */
  usernames?: string[];
  /** new_address: the addresses known before this one. */
  knownAddresses?: string[];
  seqs: number[];
}

/** One alert as the scan sees it: loaded (the latest of its rule and subject) or raised by this scan. */
export interface Burst {
  /** Null until stored. */
  id: string | null;
  key: string;
  rule: AlertRule;
  subject: string;
  userId: string | null;
  username: string | null;
  clientIp: string | null;
  firstSeq: number;
  lastSeq: number;
  closed: boolean;
  figures: AlertFigures;
  /** Raised by this scan (insert) rather than loaded (update). */
  raised: boolean;
  touched: boolean;
}

export interface AddressSeen {
  userId: string;
  clientIp: string;
  at: string;
}

// ---------------------------------------------------------------- classification

const EXPORT_ACTIONS = new Set(['reading.print', 'catalogue.print', 'material.pdf.export', 'dossier.pdf.export']);
const ARCHIVE_PREFIXES = ['reading.', 'dossier.', 'material.', 'catalogue.', 'cadre.', 'relative.', 'page.', 'scan.pages.'];

export function isExport(action: string): boolean {
  return action.endsWith('.export') || EXPORT_ACTIONS.has(action);
}

/** Archive content seen or changed. The audit log itself is not archive content (the auditor's own work). */
export function isArchiveAccess(action: string): boolean {
  if (action.startsWith('audit.')) return false;
  return ARCHIVE_PREFIXES.some((p) => action.startsWith(p)) || action === 'search.query' || isExport(action);
}

export function isLoginFailure(e: ScanEvent): boolean {
  return (e.action === 'auth.login' || e.action === 'auth.totp') && e.result === 'failure';
}

export function isLoginSuccess(e: ScanEvent): boolean {
  return e.action === 'auth.login' && e.result === 'success';
}

/** The scanner's own events never raise alerts. */
export function isOwnEvent(e: ScanEvent): boolean {
  return e.action.startsWith('alert.');
}

/** Actions the windowed rules count, for loading the events before the cursor that still fall in a window. */
export function isWindowed(e: ScanEvent): boolean {
  return e.action === 'reading.page.view' || isLoginFailure(e) || isExport(e.action);
}

/** The (rule, subject) pairs an event may raise or extend: whose latest alert the scan must load. */
export function subjectsOf(e: ScanEvent): { rule: AlertRule; subject: string }[] {
  if (isOwnEvent(e)) return [];
  const out: { rule: AlertRule; subject: string }[] = [];
  if (e.userId) {
    const user = `user:${e.userId}`;
    if (e.action === 'reading.page.view') out.push({ rule: 'fast_paging', subject: user });
    if (isArchiveAccess(e.action)) out.push({ rule: 'off_hours', subject: user });
    if (isExport(e.action)) out.push({ rule: 'bulk_export', subject: user });
  }
  if (isLoginFailure(e)) {
    if (e.username) out.push({ rule: 'failed_logins', subject: `name:${e.username}` });
    if (e.clientIp) out.push({ rule: 'failed_logins', subject: `ip:${e.clientIp}` });
  }
  return out;
}

// ---------------------------------------------------------------- time

const BEIJING_OFFSET_MS = 8 * 3600_000;

/** Beijing day (YYYY-MM-DD), ISO weekday (1 = Monday) and minute of the day. */
export function beijingTime(at: string): { day: string; weekday: number; minute: number } {
  const local = new Date(new Date(at).getTime() + BEIJING_OFFSET_MS);
  return {
    day: local.toISOString().slice(0, 10),
    weekday: local.getUTCDay() === 0 ? 7 : local.getUTCDay(),
    minute: local.getUTCHours() * 60 + local.getUTCMinutes(),
  };
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/** Inside working hours: a working day and a minute in [start, end); a range past midnight wraps. */
export function isWorkingTime(at: string, workHours: string, workDays: string): boolean {
  const { weekday, minute } = beijingTime(at);
  if (!workDays.split(',').map(Number).includes(weekday)) return false;
  const [from, to] = workHours.split('-').map(minutes) as [number, number];
  return from <= to ? minute >= from && minute < to : minute >= from || minute < to;
}

// ---------------------------------------------------------------- evaluation

interface Mark {
  seq: number;
  at: number;
  username: string | null;
}

export interface EvaluationInput {
  thresholds: AlertThresholds;
  /** Codes of the roles flagged sensitive. */
  sensitiveRoles: ReadonlySet<string>;
  /** Each user's known sign-in addresses (for the users who signed in among the new events). */
  addresses: ReadonlyMap<string, readonly string[]>;
  /** The latest alert of each (rule, subject) the new events touch, keyed `rule|subject`. */
  latest: ReadonlyMap<string, Burst>;
}

export interface Evaluation {
  /** Alerts raised or extended, in the order first touched. */
  bursts: Burst[];
  addresses: AddressSeen[];
}

/**
 * Runs the rules over `history` (events before the cursor, feeding the windows only) and `fresh`
 * (events after it, which may raise or extend alerts), both in seq order.
 */
export function evaluate(input: EvaluationInput, history: readonly ScanEvent[], fresh: readonly ScanEvent[]): Evaluation {
  return new Evaluator(input).run(history, fresh);
}

class Evaluator {
  private readonly windows = new Map<string, Mark[]>();
  private readonly latest: Map<string, Burst>;
  private readonly addresses: Map<string, Set<string>>;
  private readonly touched: Burst[] = [];
  private readonly seen: AddressSeen[] = [];

  constructor(private readonly input: EvaluationInput) {
    this.latest = new Map([...input.latest].map(([k, b]) => [k, { ...b, figures: { ...b.figures, seqs: [...b.figures.seqs] } }]));
    this.addresses = new Map([...input.addresses].map(([u, list]) => [u, new Set(list)]));
  }

  run(history: readonly ScanEvent[], fresh: readonly ScanEvent[]): Evaluation {
    for (const e of history) if (isWindowed(e) && !isOwnEvent(e)) this.count(e);
    for (const e of fresh) if (!isOwnEvent(e)) this.judge(e);
    return { bursts: this.touched, addresses: this.seen };
  }

  /** Adds the event to the windows it belongs to; returns each window's events after adding. */
  private count(e: ScanEvent): Map<string, Mark[]> {
    const out = new Map<string, Mark[]>();
    const t = this.input.thresholds;
    const at = Date.parse(e.at);
    const add = (key: string, seconds: number) => {
      const kept = (this.windows.get(key) ?? []).filter((m) => m.at > at - seconds * 1000);
      kept.push({ seq: e.seq, at, username: e.username });
      this.windows.set(key, kept);
      out.set(key, kept);
    };
    for (const { rule, subject } of subjectsOf(e)) {
      if (rule === 'fast_paging') add(`${rule}|${subject}`, t.fastPagingSeconds);
      if (rule === 'bulk_export') add(`${rule}|${subject}`, BULK_EXPORT_WINDOW_SECONDS);
      if (rule === 'failed_logins') add(`${rule}|${subject}`, FAILED_LOGIN_WINDOW_SECONDS);
    }
    return out;
  }

  private judge(e: ScanEvent): void {
    const t = this.input.thresholds;
    const windows = this.count(e);
    for (const [key, marks] of windows) {
      const [rule, subject] = key.split('|') as [AlertRule, string];
      if (rule === 'fast_paging' && marks.length > t.fastPagingPages) {
        this.windowed(e, rule, subject, marks, t.fastPagingPages, t.fastPagingSeconds);
      }
      if (rule === 'bulk_export' && marks.length >= t.bulkExports) {
        this.windowed(e, rule, subject, marks, t.bulkExports, BULK_EXPORT_WINDOW_SECONDS);
      }
      if (rule === 'failed_logins' && marks.length >= t.failedLogins) {
        // One address failing for one account is that account's alert; the address's own alert is for
        // guessing across accounts (password spraying).
        const names = [...new Set(marks.map((m) => m.username ?? ''))];
        if (subject.startsWith('name:') || names.length >= 2) {
          this.windowed(e, rule, subject, marks, t.failedLogins, FAILED_LOGIN_WINDOW_SECONDS, subject.startsWith('ip:') ? names : undefined);
        }
      }
    }
    if (e.userId && isArchiveAccess(e.action) && !isWorkingTime(e.at, t.workHours, t.workDays)) this.offHours(e, e.userId);
    if (e.userId && e.clientIp && isLoginSuccess(e)) this.login(e, e.userId, e.clientIp);
  }

  /** A window over its threshold: extends the subject's open burst if it is still going, else raises. */
  private windowed(e: ScanEvent, rule: AlertRule, subject: string, marks: Mark[], threshold: number, seconds: number, usernames?: string[]) {
    const open = this.open(rule, subject);
    if (open && Date.parse(e.at) - Date.parse(open.figures.lastAt) <= seconds * 1000) {
      this.extend(open, e);
      if (usernames) open.figures.usernames = [...new Set([...(open.figures.usernames ?? []), ...usernames])].slice(0, MAX_NAMES);
      return;
    }
    const first = marks[0]!;
    const raised = this.raise(e, rule, subject, `${rule}|${subject}|${e.seq}`, {
      count: marks.length,
      firstAt: new Date(first.at).toISOString(),
      lastAt: e.at,
      threshold,
      windowSeconds: seconds,
      ...(usernames ? { usernames: usernames.slice(0, MAX_NAMES) } : {}),
      seqs: marks.map((m) => m.seq).slice(-MAX_SEQS),
    }, first.seq);
    // An address's alert is about the address, not about whichever account was tried last.
    if (subject.startsWith('ip:')) Object.assign(raised, { userId: null, username: null });
  }

  private offHours(e: ScanEvent, userId: string) {
    const subject = `user:${userId}`;
    const { day } = beijingTime(e.at);
    const open = this.open('off_hours', subject);
    if (open && open.figures.day === day) {
      this.extend(open, e);
      return;
    }
    // A day whose alert was closed and that goes on gets an alert of its own.
    const closedToday = this.latest.get(`off_hours|${subject}`)?.figures.day === day;
    const key = `off_hours|${subject}|${day}${closedToday ? `#${e.seq}` : ''}`;
    const { workHours, workDays } = this.input.thresholds;
    this.raise(e, 'off_hours', subject, key, {
      count: 1, firstAt: e.at, lastAt: e.at, day, workHours: `${workHours}（工作日 ${workDays}）`, seqs: [e.seq],
    });
  }

  private login(e: ScanEvent, userId: string, ip: string) {
    const known = this.addresses.get(userId) ?? new Set<string>();
    const sensitive = e.roles.split(',').some((r) => this.input.sensitiveRoles.has(r));
    if (sensitive && known.size > 0 && !known.has(ip)) {
      const subject = `user:${userId}`;
      this.raise(e, 'new_address', subject, `new_address|${subject}|${ip}`, {
        count: 1, firstAt: e.at, lastAt: e.at, knownAddresses: [...known].slice(0, MAX_NAMES), seqs: [e.seq],
      });
    }
    known.add(ip);
    this.addresses.set(userId, known);
    this.seen.push({ userId, clientIp: ip, at: e.at });
  }

  private open(rule: AlertRule, subject: string): Burst | undefined {
    const b = this.latest.get(`${rule}|${subject}`);
    return b && !b.closed ? b : undefined;
  }

  private extend(b: Burst, e: ScanEvent) {
    if (e.seq <= b.lastSeq) return;
    b.lastSeq = e.seq;
    b.figures.count += 1;
    b.figures.lastAt = e.at;
    b.figures.seqs = [...b.figures.seqs, e.seq].slice(-MAX_SEQS);
    this.touch(b);
  }

  private raise(e: ScanEvent, rule: AlertRule, subject: string, key: string, figures: AlertFigures, firstSeq = e.seq): Burst {
    const b: Burst = {
      id: null, key, rule, subject,
      userId: e.userId,
      username: e.username,
      clientIp: e.clientIp,
      firstSeq,
      lastSeq: e.seq,
      closed: false,
      figures,
      raised: true,
      touched: false,
    };
    this.latest.set(`${rule}|${subject}`, b);
    this.touch(b);
    return b;
  }

  private touch(b: Burst) {
    if (b.touched) return;
    b.touched = true;
    this.touched.push(b);
  }
}

// ---------------------------------------------------------------- description

function span(f: AlertFigures): number {
  return Math.max(0, Math.round((Date.parse(f.lastAt) - Date.parse(f.firstAt)) / 1000));
}

function beijingClock(at: string): string {
  const m = beijingTime(at).minute;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** The alert's 说明 in Chinese, from its figures: who, how many, over how long, against which threshold. */
export function describe(rule: AlertRule, who: string, clientIp: string | null, f: AlertFigures): string {
  switch (rule) {
    case 'fast_paging':
      return `${who} 在 ${span(f)} 秒内查阅 ${f.count} 页（阈值：${f.windowSeconds} 秒内超过 ${f.threshold} 页）`;
    case 'off_hours':
      return `${who} 于 ${f.day} ${beijingClock(f.firstAt)}–${beijingClock(f.lastAt)}（北京时间）非工作时间访问或修改档案 ${f.count} 次；工作时间 ${f.workHours}`;
    case 'failed_logins':
      return f.usernames
        ? `地址 ${clientIp ?? '未知'} 在 ${Math.ceil(span(f) / 60)} 分钟内登录失败 ${f.count} 次，涉及账号 ${f.usernames.join('、')}（阈值：10 分钟内 ${f.threshold} 次）`
        : `账号 ${who} 在 ${Math.ceil(span(f) / 60)} 分钟内登录失败 ${f.count} 次（阈值：10 分钟内 ${f.threshold} 次）`;
    case 'new_address':
      return `${who}（敏感角色）从新地址 ${clientIp ?? '未知'} 登录；此前的登录地址：${(f.knownAddresses ?? []).join('、')}`;
    case 'bulk_export':
      return `${who} 在 ${Math.ceil(span(f) / 60)} 分钟内导出或打印 ${f.count} 次（阈值：1 小时内 ${f.threshold} 次）`;
  }
}
