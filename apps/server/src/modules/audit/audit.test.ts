import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Agent, createTestApp, json, roleId, rootUnitId, signInOfficers, type Officers, type TestApp } from '../../../test/harness.js';

let t: TestApp;
let o: Officers;
beforeEach(async () => {
  t = await createTestApp();
  o = await signInOfficers(t);
});
afterEach(async () => {
  await t.close();
});

interface Event {
  seq: number;
  action: string;
  username: string | null;
  result: string;
  objectLabel: string | null;
  clientIp: string | null;
  roles: string;
  detail: { before?: Record<string, unknown>; after?: Record<string, unknown> } | null;
}

async function events(query: Record<string, string | number> = {}): Promise<Event[]> {
  const res = await o.auditor.get('/api/audit/events', { query: { pageSize: 500, ...query } });
  expect(res.statusCode).toBe(200);
  return json<{ items: Event[] }>(res).items;
}

async function verify() {
  return json<{ intact: boolean; checked: number; firstBroken: { seq: number; reason: string } | null }>(await o.auditor.post('/api/audit/verify'));
}

describe('the audit log', () => {
  it('records logins, failures, changes with before/after, and denials, with who, role and address', async () => {
    const unit = json<{ id: string }>(await o.secadmin.post('/api/units', { body: { parentId: await rootUnitId(o.secadmin), code: 'B01', name: '第一局' } }));
    await o.secadmin.patch(`/api/units/${unit.id}`, { body: { name: '第一局（改）' } });
    await new Agent(t, '10.7.7.7').login('secadmin', 'not-the-password');
    const denied = await o.sysadmin.get('/api/users');
    expect(denied.statusCode).toBe(403);

    const all = await events();
    const login = all.find((e) => e.action === 'auth.login' && e.username === 'secadmin' && e.result === 'success')!;
    expect(login.clientIp).toBe('10.0.0.2');
    const failed = all.find((e) => e.action === 'auth.login' && e.result === 'failure' && e.clientIp === '10.7.7.7')!;
    expect(failed.username).toBe('secadmin');
    const update = all.find((e) => e.action === 'unit.update')!;
    expect(update.username).toBe('secadmin');
    expect(update.roles).toBe('secadmin');
    expect(update.detail?.before?.name).toBe('第一局');
    expect(update.detail?.after?.name).toBe('第一局（改）');
    const denial = all.find((e) => e.action === 'access.denied')!;
    expect(denial.username).toBe('sysadmin');
    expect(denial.result).toBe('denied');
    expect(all.some((e) => e.action === 'auth.totp_enrol' && e.username === 'auditor')).toBe(true);
    expect(all.some((e) => e.action === 'auth.password_change' && e.username === 'sysadmin')).toBe(true);
  });

  it('filters by user, action, result and time', async () => {
    await new Agent(t).login('sysadmin', 'bad-password-1');
    const failures = await events({ result: 'failure' });
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((e) => e.result === 'failure')).toBe(true);
    const mine = await events({ username: 'secad' });
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((e) => e.username === 'secadmin')).toBe(true);
    const enrols = await events({ action: 'auth.totp_enrol' });
    expect(enrols.map((e) => e.username).sort()).toEqual(['auditor', 'secadmin', 'sysadmin']);
    const future = await events({ from: '2030-01-01T00:00:00Z' });
    expect(future).toEqual([]);
    const wildcard = await events({ username: '%' });
    expect(wildcard).toEqual([]);
  });

  it("audits the auditor's own queries, exports and verifications", async () => {
    await events();
    await verify();
    await o.auditor.get('/api/audit/export', { query: { format: 'csv' } });
    const own = (await events({ username: 'auditor' })).map((e) => e.action);
    expect(own).toEqual(expect.arrayContaining(['audit.query', 'audit.verify', 'audit.export']));
  });

  it('offers no way to change or delete an event through the application', async () => {
    const list = await events();
    const seq = list[0]!.seq;
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      const res = await o.auditor.call(method, `/api/audit/events/${seq}`, { body: {} });
      expect(res.statusCode).toBe(404);
    }
  });
});

describe('the hash chain', () => {
  it('verifies intact, then reports the first event changed directly in the database', async () => {
    const before = await verify();
    expect(before.intact).toBe(true);
    expect(before.checked).toBeGreaterThan(10);

    const target = (await events({ action: 'auth.password_change' }))[0]!;
    await sql`update audit_events set client_ip = '1.1.1.1' where seq = ${target.seq}`.execute(t.core.handle.db);
    const after = await verify();
    expect(after.intact).toBe(false);
    expect(after.firstBroken?.seq).toBe(target.seq);
    expect(after.firstBroken?.reason).toContain('被改动');
    expect(after.checked).toBe(target.seq - 1);
  });

  it('catches a row recomputed to look right: the next link breaks', async () => {
    const target = (await events({ action: 'unit.create' }))[0] ?? (await events())[5]!;
    const row = await t.core.handle.db.selectFrom('audit_events').selectAll().where('seq', '=', target.seq).executeTakeFirstOrThrow();
    const { eventHash } = await import('./audit.chain.js');
    const forged = { ...row, seq: Number(row.seq), username: 'someone-else' };
    const hash = eventHash(forged);
    await t.core.handle.db.updateTable('audit_events').set({ username: 'someone-else', hash }).where('seq', '=', target.seq).execute();
    const result = await verify();
    expect(result.intact).toBe(false);
    expect(result.firstBroken?.seq).toBe(target.seq + 1);
  });

  it('catches a deleted event in the middle and a deleted last event', async () => {
    const all = await events();
    const middle = all[Math.floor(all.length / 2)]!.seq;
    await sql`delete from audit_events where seq = ${middle}`.execute(t.core.handle.db);
    const gap = await verify();
    expect(gap.intact).toBe(false);
    expect(gap.firstBroken?.seq).toBe(middle + 1);
    expect(gap.firstBroken?.reason).toContain('序号不连续');
  });

  it('catches a removed tail through the chain head', async () => {
    const { last_seq } = await t.core.handle.db.selectFrom('audit_head').select('last_seq').executeTakeFirstOrThrow();
    await sql`delete from audit_events where seq = ${Number(last_seq)}`.execute(t.core.handle.db);
    // Verify directly: the API call would itself append a new event after the hole.
    const result = await t.core.auditService.verify(null);
    expect(result.intact).toBe(false);
    expect(result.firstBroken?.reason).toContain('链尾');
  });

  it('catches an event added after the head that the head never recorded', async () => {
    const { last_seq } = await t.core.handle.db.selectFrom('audit_head').select('last_seq').executeTakeFirstOrThrow();
    const row = await t.core.handle.db.selectFrom('audit_events').selectAll().where('seq', '=', Number(last_seq)).executeTakeFirstOrThrow();
    await t.core.handle.db.insertInto('audit_events').values({ ...row, seq: Number(last_seq) + 1, object_label: 'ghost' }).execute();
    const result = await t.core.auditService.verify(null);
    expect(result.intact).toBe(false);
    expect(result.firstBroken?.seq).toBe(Number(last_seq) + 1);
    expect(result.firstBroken?.reason).toContain('链头之后');
  });

  it('catches an inserted event', async () => {
    const all = await events();
    const victim = all[all.length - 3]!.seq;
    const row = await t.core.handle.db.selectFrom('audit_events').selectAll().where('seq', '=', victim).executeTakeFirstOrThrow();
    await sql`update audit_events set seq = seq + 1000000 where seq >= ${victim}`.execute(t.core.handle.db);
    await t.core.handle.db.insertInto('audit_events').values({ ...row, action: 'user.create', object_label: 'ghost' }).execute();
    await sql`update audit_events set seq = seq - 1000000 + 1 where seq >= 1000000`.execute(t.core.handle.db);
    const result = await t.core.auditService.verify(null);
    expect(result.intact).toBe(false);
    expect(result.firstBroken?.seq).toBe(victim);
  });

  it('keeps a strict sequence under concurrent writers', async () => {
    const root = await rootUnitId(o.secadmin);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => o.secadmin.post('/api/units', { body: { parentId: root, code: `C${i}`, name: `并发单位${i}` } })),
    );
    const result = await verify();
    expect(result.intact).toBe(true);
    expect((await events({ action: 'unit.create' })).length).toBe(20);
  });
});

describe('export', () => {
  it('exports the filtered log to Excel with Chinese headers, one row per event', async () => {
    const archivist = await roleId(o.secadmin, 'archivist');
    const created = await o.secadmin.post('/api/users', {
      body: { username: 'clerk1', displayName: '=HYPERLINK("http://x")', unitId: await rootUnitId(o.secadmin), password: 'Filing-Passw0rd', roleIds: [archivist] },
    });
    expect(created.statusCode).toBe(200);
    const res = await o.auditor.get('/api/audit/export', { query: { format: 'xlsx', action: 'user.create' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain("filename*=UTF-8''");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('审计日志')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('序号');
    const rows = sheet.getSheetValues().filter(Boolean).length - 1;
    expect(rows).toBe(4);
    expect((await events({ action: 'user.create' })).length).toBe(4);
    const eventCell = sheet.getRow(2).getCell(6).value;
    expect(eventCell).toBe('新建用户');
  });

  it('exports CSV with a BOM for Excel and neutralises formula cells', async () => {
    await o.secadmin.post('/api/units', { body: { parentId: null, code: 'F1', name: '=1+2' } });
    const res = await o.auditor.get('/api/audit/export', { query: { format: 'csv', action: 'unit.create' } });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.subarray(0, 3).toString('hex')).toBe('efbbbf');
    const lines = res.body.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]!.startsWith('序号,时间（北京时间）,用户')).toBe(true);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("'=1+2");
    expect(lines[1]).not.toMatch(/,=1\+2/);
  });

  it('is refused to anyone without audit.export', async () => {
    expect((await o.secadmin.get('/api/audit/export')).statusCode).toBe(403);
    expect((await new Agent(t).get('/api/audit/export')).statusCode).toBe(401);
  });
});
