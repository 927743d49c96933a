import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertDetail, AlertItem, AlertList } from '@dangan/contracts';
import type { AuditContext } from '../audit/audit.log.js';
import type { AuditAction } from '../audit/audit.actions.js';
import { Agent, BOOT_PASSWORD, OFFICER_PASSWORD, createTestApp, json, roleId, rootUnitId, type TestApp } from '../../../test/harness.js';

const PASSWORD = 'Alrt-Passw0rd1';

let t: TestApp;
let sec: Agent;
let clerk: Agent;
const ids: Record<string, string> = {};
const passwords: Record<string, string> = {};

async function ok<T>(res: Promise<LightMyRequestResponse>): Promise<T> {
  const r = await res;
  expect(r.statusCode, r.body).toBe(200);
  return json<T>(r);
}

async function refused(res: Promise<LightMyRequestResponse>, status: number, code: string) {
  const r = await res;
  expect(r.statusCode, r.body).toBe(status);
  expect(json<{ code: string }>(r).code).toBe(code);
}

/** The context a signed-in user's own requests are audited with. */
function as(username: string, clientIp = '10.6.0.1'): AuditContext {
  return { userId: ids[username]!, username, roles: username.startsWith('rd') ? 'reader' : 'archivist', clientIp };
}

/** What the reading module appends for each page a reader views, `everyMs` apart. */
async function record(ctx: AuditContext, action: AuditAction, times: number, everyMs: number, label = 'D001·干部履历表 第1页') {
  for (let i = 0; i < times; i++) {
    await t.core.audit.record(ctx, { action, objectType: action === 'reading.page.view' ? 'page' : 'dossier', objectId: `obj-${i}`, objectLabel: label });
    t.clock.advance(everyMs);
  }
}

async function alertsOf(rule: string, state?: string): Promise<AlertItem[]> {
  const list = await ok<AlertList>(sec.get('/api/alerts', { query: { rule, pageSize: 200, ...(state ? { state } : {}) } }));
  return list.items;
}

const scan = () => t.core.alerts.scan();

beforeAll(async () => {
  t = await createTestApp();
  sec = new Agent(t, '10.0.0.2');
  await sec.signIn('secadmin', BOOT_PASSWORD);
  const root = await rootUnitId(sec);
  for (const [username, role] of [['rdfast', 'reader'], ['rdslow', 'reader'], ['aclerk', 'archivist'], ['aleader', 'leader'], ['rdplain', 'reader']] as const) {
    const res = await sec.post('/api/users', {
      body: { username, displayName: `${username}名`, unitId: root, password: PASSWORD, roleIds: [await roleId(sec, role)], scope: { kind: 'all', unitIds: [] } },
    });
    expect(res.statusCode, res.body).toBe(200);
    ids[username] = json<{ id: string }>(res).id;
  }
  clerk = new Agent(t, '10.6.0.5');
  passwords.aclerk = await clerk.signIn('aclerk', PASSWORD);
  // The leader's (sensitive role) first address, and a reader's.
  passwords.aleader = await new Agent(t, '10.7.0.1').signIn('aleader', PASSWORD);
  passwords.rdplain = await new Agent(t, '10.7.0.1').signIn('rdplain', PASSWORD);
  // Everything before the tests (sign-ins, set-up) is judged once, so each test counts only its own alerts.
  await scan();
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('who may see alerts', () => {
  it('only alert.manage: the archivist is refused, the security officer gets an empty list with counts', async () => {
    await refused(clerk.get('/api/alerts'), 403, 'FORBIDDEN');
    await refused(clerk.get('/api/alerts/summary'), 403, 'FORBIDDEN');
    const list = await ok<AlertList>(sec.get('/api/alerts'));
    expect(list).toMatchObject({ total: 0, counts: { new: 0, acknowledged: 0, closed: 0 } });
    await refused(sec.get('/api/alerts', { query: { state: 'bogus' } }), 400, 'VALIDATION_FAILED');
    await refused(sec.get('/api/alerts/nope'), 404, 'ALERT_NOT_FOUND');
  });
});

describe('fast paging', () => {
  it('21 pages in 40 seconds raise exactly one alert; 20 pages raise none', async () => {
    await record(as('rdslow'), 'reading.page.view', 20, 2000);
    await record(as('rdfast'), 'reading.page.view', 21, 2000);
    const r = await scan();
    expect(r.raised).toBe(1);
    const alerts = await alertsOf('fast_paging');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      rule: 'fast_paging', ruleLabel: '查阅翻页过快', severity: 'high', state: 'new', eventCount: 21, clientIp: '10.6.0.1',
      user: { id: ids.rdfast, username: 'rdfast', name: 'rdfast名' },
    });
    expect(alerts[0]!.description).toBe('rdfast名（rdfast） 在 40 秒内查阅 21 页（阈值：60 秒内超过 20 页）');
  });

  it('the cursor has moved: the next scan reads only the alert events and raises nothing, the one after reads nothing', async () => {
    const cursor = async () => (await t.core.handle.db.selectFrom('alert_cursor').select('last_seq').executeTakeFirstOrThrow()).last_seq;
    const before = Number(await cursor());
    const again = await scan();
    expect(again).toMatchObject({ read: 1, raised: 0 }); // the alert.raise event of the previous scan
    expect(Number(await cursor())).toBe(before + 1);
    expect(await scan()).toEqual({ read: 0, raised: 0 });
  });

  it('more pages in the same burst update the alert instead of raising another', async () => {
    await record(as('rdfast'), 'reading.page.view', 5, 1000);
    expect((await scan()).raised).toBe(0);
    const alerts = await alertsOf('fast_paging');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.eventCount).toBe(26);
    const detail = await ok<AlertDetail>(sec.get(`/api/alerts/${alerts[0]!.id}`));
    expect(detail.events).toHaveLength(26);
    expect(detail.events[0]).toMatchObject({ username: 'rdfast', action: 'reading.page.view', actionLabel: '查阅页面', clientIp: '10.6.0.1' });
    // The security officer sees who, when, what and from where, never the archive content's labels.
    expect(detail.events[0]!.objectLabel).toBe('页面（内容不予显示）');
    expect(JSON.stringify(detail)).not.toContain('干部履历表');
  });

  it('two scanners at once raise the alert once', async () => {
    t.clock.advanceMinutes(5);
    await record(as('rdslow'), 'reading.page.view', 25, 1000);
    const [a, b] = await Promise.all([scan(), scan()]);
    expect(a.raised + b.raised).toBe(1);
    expect((await alertsOf('fast_paging')).filter((x) => x.user.username === 'rdslow')).toHaveLength(1);
  });
});

describe('failed logins', () => {
  it('three wrong passwords for one account in ten minutes raise one alert; two do not', async () => {
    const guesser = new Agent(t, '10.8.0.1');
    for (let i = 0; i < 4; i++) {
      await refused(guesser.login('rdplain', 'Wrong-Passw0rd'), 401, 'AUTH_INVALID_CREDENTIALS');
      t.clock.advance(30_000);
    }
    const other = new Agent(t, '10.8.0.2');
    for (let i = 0; i < 2; i++) await refused(other.login('aclerk', 'Wrong-Passw0rd'), 401, 'AUTH_INVALID_CREDENTIALS');
    expect((await scan()).raised).toBe(1);
    const alerts = await alertsOf('failed_logins');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'high', eventCount: 4, clientIp: '10.8.0.1', user: { id: ids.rdplain, username: 'rdplain' } });
    expect(alerts[0]!.description).toMatch(/^账号 rdplain名（rdplain） 在 2 分钟内登录失败 4 次/);
  });

  it('one address trying several accounts, known or not, raises an alert on the address', async () => {
    t.clock.advanceMinutes(11);
    const sprayer = new Agent(t, '10.8.0.9');
    for (const name of ['nobody1', 'nobody2', 'rdslow']) await refused(sprayer.login(name, 'Wrong-Passw0rd'), 401, 'AUTH_INVALID_CREDENTIALS');
    expect((await scan()).raised).toBe(1);
    const byAddress = (await alertsOf('failed_logins')).find((a) => a.clientIp === '10.8.0.9')!;
    expect(byAddress.user).toEqual({ id: null, username: null, name: null });
    expect(byAddress.description).toContain('涉及账号 nobody1、nobody2、rdslow');
  });
});

describe('bulk export', () => {
  it('ten exports or prints within an hour raise one alert; nine do not', async () => {
    await record(as('aclerk'), 'catalogue.export', 6, 20_000);
    await record(as('aclerk'), 'material.pdf.export', 4, 20_000);
    await record(as('rdslow'), 'reading.print', 9, 20_000);
    expect((await scan()).raised).toBe(1);
    const alerts = await alertsOf('bulk_export');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ ruleLabel: '批量导出', eventCount: 10, user: { username: 'aclerk' } });
  });
});

describe('new address', () => {
  it('a sensitive role signing in from a new address raises one alert; his known address and a plain reader do not', async () => {
    await ok(new Agent(t, '10.7.0.1').login('aleader', passwords.aleader!));
    await ok(new Agent(t, '10.7.0.99').login('rdplain', passwords.rdplain!));
    expect((await scan()).raised).toBe(0);
    const away = new Agent(t, '10.7.0.50');
    const res = await ok<{ stage: string }>(away.login('aleader', passwords.aleader!));
    expect(res.stage).toBe('totp');
    await ok(new Agent(t, '10.7.0.50').login('aleader', passwords.aleader!));
    expect((await scan()).raised).toBe(1);
    const alerts = await alertsOf('new_address');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'medium', clientIp: '10.7.0.50', user: { id: ids.aleader } });
    expect(alerts[0]!.description).toContain('此前的登录地址：10.7.0.1');
    const known = await t.core.handle.db.selectFrom('user_login_addresses').select('client_ip').where('user_id', '=', ids.aleader!).orderBy('client_ip').execute();
    expect(known.map((k) => k.client_ip)).toEqual(['10.7.0.1', '10.7.0.50']);
  });
});

describe('handling an alert', () => {
  it('new → acknowledged → closed, each audited; other moves are refused with a stable code', async () => {
    const [alert] = await alertsOf('fast_paging');
    const acked = await ok<AlertItem>(sec.post(`/api/alerts/${alert!.id}/acknowledge`, { body: { note: '已电话核实' } }));
    expect(acked).toMatchObject({ state: 'acknowledged', note: '已电话核实', acknowledgedBy: { name: expect.any(String) } });
    await refused(sec.post(`/api/alerts/${alert!.id}/acknowledge`, { body: {} }), 409, 'ALERT_NOT_NEW');
    await refused(sec.post(`/api/alerts/${alert!.id}/close`, { body: {} }), 400, 'VALIDATION_FAILED');
    await refused(sec.post(`/api/alerts/${alert!.id}/close`, { body: { note: '   ' } }), 400, 'VALIDATION_FAILED');
    expect((await ok<AlertItem>(sec.get(`/api/alerts/${alert!.id}`))).state).toBe('acknowledged');
    const closed = await ok<AlertItem>(sec.post(`/api/alerts/${alert!.id}/close`, { body: { note: '系统测试，非异常' } }));
    expect(closed).toMatchObject({ state: 'closed', closeNote: '系统测试，非异常', note: '已电话核实' });
    await refused(sec.post(`/api/alerts/${alert!.id}/close`, { body: { note: '再次关闭' } }), 409, 'ALERT_ALREADY_CLOSED');
    await refused(sec.post(`/api/alerts/${alert!.id}/acknowledge`, { body: {} }), 409, 'ALERT_NOT_NEW');
    // The archivist's session idled out while the clock moved: he signs in again.
    clerk = new Agent(t, '10.6.0.5');
    await clerk.signIn('aclerk', passwords.aclerk!);
    await refused(clerk.post(`/api/alerts/${alert!.id}/close`, { body: { note: '越权' } }), 403, 'FORBIDDEN');

    const [exported] = await alertsOf('bulk_export');
    expect((await ok<AlertItem>(sec.post(`/api/alerts/${exported!.id}/close`, { body: { note: '批量导出为年度核查' } }))).state).toBe('closed');

    const actions = await t.core.handle.db.selectFrom('audit_events').select(['action', 'object_id', 'user_id']).where('action', 'like', 'alert.%').execute();
    expect(actions.filter((a) => a.action === 'alert.acknowledge' && a.object_id === alert!.id)).toHaveLength(1);
    expect(actions.filter((a) => a.action === 'alert.close').map((a) => a.object_id).sort()).toEqual([alert!.id, exported!.id].sort());
  });

  it('the list pages newest first, filters by state, counts by state; the badge counts the new ones', async () => {
    const all = await ok<AlertList>(sec.get('/api/alerts'));
    expect(all.total).toBe(6);
    expect(all.counts).toEqual({ new: 4, acknowledged: 0, closed: 2 });
    const raised = all.items.map((a) => a.raisedAt);
    expect([...raised].sort().reverse()).toEqual(raised);
    const closed = await ok<AlertList>(sec.get('/api/alerts', { query: { state: 'closed' } }));
    expect(closed.items.every((a) => a.state === 'closed') && closed.total === 2).toBe(true);
    const paged = await ok<AlertList>(sec.get('/api/alerts', { query: { page: 2, pageSize: 4 } }));
    expect(paged.items).toHaveLength(2);
    expect(await ok(sec.get('/api/alerts/summary'))).toEqual({ new: 4 });
  });

  it('a closed burst that goes on raises a new alert rather than reopening the closed one', async () => {
    await record(as('aclerk'), 'dossier.pdf.export', 1, 1000);
    expect((await scan()).raised).toBe(1);
    const exports = await alertsOf('bulk_export');
    expect(exports.map((a) => a.state).sort()).toEqual(['closed', 'new']);
  });
});

describe('off hours', () => {
  it('archive access at night raises one alert per user per day; the officer\'s own work at night does not', async () => {
    // Monday 22:00 in Beijing.
    const now = t.clock.now();
    t.clock.advance(Date.parse('2026-03-02T14:00:00.000Z') - now.getTime());
    await record(as('rdplain', '10.7.0.1'), 'reading.page.view', 3, 120_000);
    await record(as('rdplain', '10.7.0.1'), 'catalogue.view', 1, 1000);
    const night = new Agent(t, '10.0.0.2');
    night.totpSecret = sec.totpSecret;
    await night.signIn('secadmin', OFFICER_PASSWORD);
    sec = night;
    expect((await scan()).raised).toBe(1);
    const [alert] = await alertsOf('off_hours');
    expect(alert).toMatchObject({ ruleLabel: '非工作时间访问档案', severity: 'medium', eventCount: 4, user: { username: 'rdplain' } });
    expect(alert!.description).toContain('2026-03-02 22:00–22:06');
    // The same night again: the same alert grows.
    await record(as('rdplain', '10.7.0.1'), 'search.query', 1, 1000);
    expect((await scan()).raised).toBe(0);
    expect((await alertsOf('off_hours'))[0]!.eventCount).toBe(5);
    await ok(sec.post(`/api/alerts/${alert!.id}/acknowledge`, { body: {} }));
    expect((await scan()).raised).toBe(0);
  });
});

describe('the audit trail', () => {
  it('each alert has its alert.raise event by the system, and the chain still verifies', async () => {
    const raised = await t.core.handle.db.selectFrom('audit_events').select(['object_id', 'username', 'detail']).where('action', '=', 'alert.raise').execute();
    const alerts = await t.core.handle.db.selectFrom('alerts').select('id').execute();
    expect(raised.map((r) => r.object_id).sort()).toEqual(alerts.map((a) => a.id).sort());
    expect(raised.every((r) => r.username === 'system')).toBe(true);
    expect((await t.core.auditService.verify(null)).intact).toBe(true);
  });
});
