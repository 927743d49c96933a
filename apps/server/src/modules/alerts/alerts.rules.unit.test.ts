import { describe as group, expect, it } from 'vitest';
import {
  beijingTime, describe, evaluate, isArchiveAccess, isExport, isWorkingTime, type AlertThresholds, type Burst, type EvaluationInput,
  type ScanEvent,
} from './alerts.rules.js';

const T: AlertThresholds = {
  fastPagingPages: 20, fastPagingSeconds: 60, workHours: '08:00-18:00', workDays: '1,2,3,4,5', failedLogins: 3, bulkExports: 10,
};
// Monday 2026-03-02 10:00 Beijing time.
const MONDAY_10 = Date.parse('2026-03-02T02:00:00.000Z');

let seq = 0;
function ev(action: string, offsetSeconds: number, extra: Partial<ScanEvent> = {}): ScanEvent {
  seq += 1;
  return {
    seq, at: new Date(MONDAY_10 + offsetSeconds * 1000).toISOString(), userId: 'u1', username: 'reader', clientIp: '10.0.0.9',
    roles: 'reader', action, result: 'success', ...extra,
  };
}

function input(over: Partial<EvaluationInput> = {}): EvaluationInput {
  return { thresholds: T, sensitiveRoles: new Set(['leader']), addresses: new Map(), latest: new Map(), ...over };
}

const pages = (n: number, everySeconds: number, from = 0) => Array.from({ length: n }, (_, i) => ev('reading.page.view', from + i * everySeconds));

group('fast paging', () => {
  it('21 pages in 40 seconds raise one alert that keeps the seqs and the figures', () => {
    const burst = pages(21, 2);
    const { bursts } = evaluate(input(), [], burst);
    expect(bursts).toHaveLength(1);
    const b = bursts[0]!;
    expect(b).toMatchObject({ rule: 'fast_paging', subject: 'user:u1', raised: true, firstSeq: burst[0]!.seq, lastSeq: burst[20]!.seq });
    expect(b.figures).toMatchObject({ count: 21, threshold: 20, windowSeconds: 60 });
    expect(b.figures.seqs).toEqual(burst.map((e) => e.seq));
    expect(describe('fast_paging', '张三', null, b.figures)).toBe('张三 在 40 秒内查阅 21 页（阈值：60 秒内超过 20 页）');
  });

  it('20 pages, or 21 spread over more than a minute, raise nothing', () => {
    expect(evaluate(input(), [], pages(20, 2)).bursts).toHaveLength(0);
    expect(evaluate(input(), [], pages(21, 4)).bursts).toHaveLength(0);
  });

  it('a burst that goes on extends its alert; the next burst after a pause raises another', () => {
    const first = pages(30, 1);
    const later = pages(25, 1, 600);
    const { bursts } = evaluate(input(), [], [...first, ...later]);
    expect(bursts).toHaveLength(2);
    expect(bursts[0]!.figures.count).toBe(21 + 9);
    expect(bursts[1]!.figures.count).toBe(21 + 4);
  });

  it('pages read before the cursor count toward the window', () => {
    const before = pages(15, 1);
    const after = pages(6, 1, 15);
    expect(evaluate(input(), [], after).bursts).toHaveLength(0);
    expect(evaluate(input(), before, after).bursts).toHaveLength(1);
  });

  it('an open alert loaded from the store is extended, a closed one is not', () => {
    const open: Burst = {
      id: 'a1', key: 'k', rule: 'fast_paging', subject: 'user:u1', userId: 'u1', username: 'reader', clientIp: null, firstSeq: 1,
      lastSeq: 0, closed: false, raised: false, touched: false,
      figures: { count: 21, firstAt: new Date(MONDAY_10 - 10_000).toISOString(), lastAt: new Date(MONDAY_10 - 1000).toISOString(), seqs: [] },
    };
    const burst = pages(21, 1);
    const extended = evaluate(input({ latest: new Map([['fast_paging|user:u1', open]]) }), [], burst).bursts;
    expect(extended).toHaveLength(1);
    expect(extended[0]).toMatchObject({ id: 'a1', raised: false });
    expect(extended[0]!.figures.count).toBe(22);
    const closed = evaluate(input({ latest: new Map([['fast_paging|user:u1', { ...open, closed: true }]]) }), [], burst).bursts;
    expect(closed).toHaveLength(1);
    expect(closed[0]!.raised).toBe(true);
  });
});

group('off hours', () => {
  it('recognises working time in Beijing time, including a range past midnight', () => {
    expect(isWorkingTime('2026-03-02T02:00:00Z', '08:00-18:00', '1,2,3,4,5')).toBe(true); // Mon 10:00
    expect(isWorkingTime('2026-03-02T10:00:00Z', '08:00-18:00', '1,2,3,4,5')).toBe(false); // Mon 18:00
    expect(isWorkingTime('2026-03-01T02:00:00Z', '08:00-18:00', '1,2,3,4,5')).toBe(false); // Sunday
    expect(isWorkingTime('2026-03-01T23:30:00Z', '08:00-18:00', '1,2,3,4,5')).toBe(false); // Mon 07:30
    expect(isWorkingTime('2026-03-02T15:00:00Z', '22:00-06:00', '1,2,3,4,5')).toBe(true); // Mon 23:00
    expect(beijingTime('2026-03-01T16:30:00Z')).toEqual({ day: '2026-03-02', weekday: 1, minute: 30 });
  });

  it('one alert per user per day for archive access outside working hours; audit work does not count', () => {
    const night = 12 * 3600; // Monday 22:00
    const events = [
      ev('reading.page.view', night), ev('material.update', night + 60), ev('audit.export', night + 120),
      ev('catalogue.view', night + 86_400), ev('auth.login', night + 200),
    ];
    const { bursts } = evaluate(input(), [], events);
    expect(bursts.map((b) => [b.rule, b.key, b.figures.count])).toEqual([
      ['off_hours', 'off_hours|user:u1|2026-03-02', 2],
      ['off_hours', 'off_hours|user:u1|2026-03-03', 1],
    ]);
    expect(evaluate(input(), [], pages(3, 60))).toMatchObject({ bursts: [] });
  });

  it('classifies archive access and exports', () => {
    for (const a of ['reading.open', 'page.image.view', 'dossier.update', 'search.query', 'stats.export', 'reading.print', 'cadre.view']) {
      expect(isArchiveAccess(a), a).toBe(true);
    }
    for (const a of ['auth.login', 'audit.export', 'user.create', 'alert.close']) expect(isArchiveAccess(a), a).toBe(false);
    expect(isExport('catalogue.print') && isExport('dossier.pdf.export') && !isExport('reading.page.view')).toBe(true);
  });
});

group('failed logins', () => {
  const fail = (at: number, username: string, ip = '10.9.9.9') =>
    ev('auth.login', at, { result: 'failure', username, clientIp: ip, userId: null, roles: '' });

  it('three failures of one account in ten minutes raise one alert on the account, not also one on the address', () => {
    const { bursts } = evaluate(input(), [], [fail(0, 'zhang'), fail(100, 'zhang'), fail(200, 'zhang'), fail(300, 'zhang')]);
    expect(bursts).toHaveLength(1);
    expect(bursts[0]).toMatchObject({ rule: 'failed_logins', subject: 'name:zhang', username: 'zhang' });
    expect(bursts[0]!.figures.count).toBe(4);
  });

  it('two failures, or three spread over more than ten minutes, raise nothing', () => {
    expect(evaluate(input(), [], [fail(0, 'zhang'), fail(100, 'zhang')]).bursts).toHaveLength(0);
    expect(evaluate(input(), [], [fail(0, 'zhang'), fail(400, 'zhang'), fail(800, 'zhang')]).bursts).toHaveLength(0);
  });

  it('one address trying several accounts raises an alert on the address', () => {
    const { bursts } = evaluate(input(), [], [fail(0, 'a'), fail(10, 'b'), fail(20, 'c')]);
    expect(bursts).toHaveLength(1);
    expect(bursts[0]).toMatchObject({ subject: 'ip:10.9.9.9', userId: null, username: null, clientIp: '10.9.9.9' });
    expect(bursts[0]!.figures.usernames).toEqual(['a', 'b', 'c']);
  });
});

group('new address', () => {
  const login = (ip: string, roles = 'leader') => ev('auth.login', 0, { clientIp: ip, roles });

  it('a sensitive role from an address never seen for him, when he has one already', () => {
    const { bursts, addresses } = evaluate(input({ addresses: new Map([['u1', ['10.0.0.1']]]) }), [], [login('10.0.0.1'), login('10.0.0.7'), login('10.0.0.7')]);
    expect(bursts).toHaveLength(1);
    expect(bursts[0]).toMatchObject({ rule: 'new_address', key: 'new_address|user:u1|10.0.0.7', clientIp: '10.0.0.7' });
    expect(bursts[0]!.figures.knownAddresses).toEqual(['10.0.0.1']);
    expect(addresses.map((a) => a.clientIp)).toEqual(['10.0.0.1', '10.0.0.7', '10.0.0.7']);
  });

  it('not for the first address ever, nor for a role that is not sensitive, nor for a failed login', () => {
    expect(evaluate(input(), [], [login('10.0.0.1')]).bursts).toHaveLength(0);
    expect(evaluate(input({ addresses: new Map([['u1', ['10.0.0.1']]]) }), [], [login('10.0.0.2', 'reader')]).bursts).toHaveLength(0);
    const failed = ev('auth.login', 0, { clientIp: '10.0.0.2', roles: 'leader', result: 'failure' });
    expect(evaluate(input({ addresses: new Map([['u1', ['10.0.0.1']]]) }), [], [failed]).bursts.filter((b) => b.rule === 'new_address')).toHaveLength(0);
  });
});

group('bulk export', () => {
  it('ten exports or prints within an hour raise one alert; nine do not', () => {
    const actions = ['catalogue.export', 'reading.print', 'material.pdf.export', 'dossier.pdf.export', 'stats.export'];
    const ten = Array.from({ length: 10 }, (_, i) => ev(actions[i % actions.length]!, i * 300));
    const { bursts } = evaluate(input(), [], ten);
    expect(bursts.filter((b) => b.rule === 'bulk_export')).toHaveLength(1);
    expect(evaluate(input(), [], ten.slice(0, 9)).bursts).toHaveLength(0);
  });

  it('the scanner never judges its own alert events', () => {
    const own = Array.from({ length: 30 }, (_, i) => ev('alert.raise', i, { userId: null, username: 'system' }));
    expect(evaluate(input(), [], own).bursts).toHaveLength(0);
  });
});
