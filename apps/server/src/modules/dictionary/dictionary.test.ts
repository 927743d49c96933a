import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, DictionaryEntry } from '@dangan/contracts';
import { createTestApp, json, rootUnitId, signInOfficers, Agent, type Officers, type TestApp } from '../../../test/harness.js';

const INITIAL = 'Init-Passw0rd!';
const MISSING_ID = '01900000-0000-7000-8000-000000000000';

let t: TestApp;
let officers: Officers;
let archivist: Agent;

beforeAll(async () => {
  t = await createTestApp();
  officers = await signInOfficers(t);
  const { secadmin } = officers;
  const roles = json<{ id: string; code: string }[]>(await secadmin.get('/api/roles'));
  const res = await secadmin.post('/api/users', {
    body: {
      username: 'dictreader', displayName: '字典读者', unitId: await rootUnitId(secadmin), password: INITIAL,
      roleIds: [roles.find((r) => r.code === 'archivist')!.id],
    },
  });
  expect(res.statusCode, res.body).toBe(200);
  archivist = new Agent(t, '10.6.0.1');
  await archivist.signIn('dictreader', INITIAL);
});
afterAll(async () => {
  await t.close();
});

interface TypeInfo {
  type: string;
  label: string;
  standard: string | null;
  hierarchical: boolean;
  entryCount: number;
}

async function entries(type: string, agent: Agent = officers.sysadmin): Promise<DictionaryEntry[]> {
  const res = await agent.get(`/api/dictionary/${type}`);
  expect(res.statusCode, res.body).toBe(200);
  return json<DictionaryEntry[]>(res);
}

async function entry(type: string, code: string): Promise<DictionaryEntry | undefined> {
  return (await entries(type)).find((e) => e.code === code);
}

async function auditEvents(query: Record<string, string>): Promise<AuditEvent[]> {
  const res = await officers.auditor.get('/api/audit/events', { query });
  expect(res.statusCode, res.body).toBe(200);
  return json<{ items: AuditEvent[] }>(res).items;
}

describe('the seeded code tables', () => {
  it('lists every table with its label, standard, hierarchy and size, to any signed-in user', async () => {
    const res = await archivist.get('/api/dictionary');
    expect(res.statusCode).toBe(200);
    const types = json<TypeInfo[]>(res);
    expect(types.map((x) => x.type).sort()).toEqual([
      'archive_class', 'clearance', 'degree', 'education', 'ethnicity', 'gender', 'personnel_status', 'political_status',
      'rank', 'relation', 'secrecy_level', 'unit_type', 'use_purpose',
    ]);
    const byType = new Map(types.map((x) => [x.type, x]));
    expect(byType.get('ethnicity')).toEqual({ type: 'ethnicity', label: '民族', standard: 'GB/T 3304-1991', hierarchical: false, entryCount: 58 });
    expect(byType.get('archive_class')).toMatchObject({ label: '档案分类', hierarchical: true, entryCount: 18 });
    expect(byType.get('gender')).toMatchObject({ label: '性别', hierarchical: false, entryCount: 4 });
  });

  it('has the 56 ethnic groups plus 其他 and 外国血统中国籍人士, in code order', async () => {
    const list = await entries('ethnicity', archivist);
    expect(list).toHaveLength(58);
    const expected = [...Array.from({ length: 56 }, (_, i) => String(i + 1).padStart(2, '0')), '97', '98'];
    expect(list.map((e) => e.code)).toEqual(expected);
    expect(list[0]).toMatchObject({ code: '01', label: '汉族', parentCode: null, enabled: true, type: 'ethnicity' });
    expect(list.find((e) => e.code === '56')?.label).toBe('基诺族');
    expect(list.find((e) => e.code === '97')?.label).toBe('其他');
    expect(list.find((e) => e.code === '98')?.label).toBe('外国血统中国籍人士');
    expect(list.every((e) => e.enabled)).toBe(true);
  });

  it('has the ten classes with the sub-classes 4-1…4-4 and 9-1…9-4, each under its class', async () => {
    const list = await entries('archive_class', archivist);
    expect(list.map((e) => e.code)).toEqual([
      '1', '2', '3', '4', '4-1', '4-2', '4-3', '4-4', '5', '6', '7', '8', '9', '9-1', '9-2', '9-3', '9-4', '10',
    ]);
    const top = list.filter((e) => e.parentCode === null).map((e) => e.code);
    expect(top).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    for (const code of ['4-1', '4-2', '4-3', '4-4']) expect(list.find((e) => e.code === code)?.parentCode, code).toBe('4');
    for (const code of ['9-1', '9-2', '9-3', '9-4']) expect(list.find((e) => e.code === code)?.parentCode, code).toBe('9');
    expect(list.find((e) => e.code === '9-2')?.label).toBe('任免');
    expect(list.find((e) => e.code === '10')?.label).toBe('其他可供组织参考的材料');
  });

  it('answers 404 for an unknown table and 400 for a malformed name', async () => {
    const unknown = await archivist.get('/api/dictionary/no_such_table');
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown).code).toBe('DICTIONARY_TYPE_NOT_FOUND');
    const malformed = await archivist.get('/api/dictionary/Ethnicity');
    expect(malformed.statusCode).toBe(400);
    expect(json(malformed).code).toBe('VALIDATION_FAILED');
  });
});

describe('maintaining codes', () => {
  it('lets the system administrator add a code, placed after the others, enabled', async () => {
    const before = await entries('unit_type');
    const res = await officers.sysadmin.post('/api/dictionary/unit_type', { body: { code: '10', label: '社会组织' } });
    expect(res.statusCode, res.body).toBe(200);
    const created = json<DictionaryEntry>(res);
    expect(created).toMatchObject({ type: 'unit_type', code: '10', label: '社会组织', parentCode: null, enabled: true });
    expect(created.sortOrder).toBe(Math.max(...before.map((e) => e.sortOrder)) + 10);
    const after = await entries('unit_type');
    expect(after.at(-1)).toEqual(created);
    expect(after).toHaveLength(before.length + 1);
  });

  it('lets the security officer add a code with a given sort order', async () => {
    const res = await officers.secadmin.post('/api/dictionary/personnel_status', { body: { code: '10', label: '挂职', sortOrder: 15 } });
    expect(res.statusCode, res.body).toBe(200);
    expect(json<DictionaryEntry>(res)).toMatchObject({ code: '10', label: '挂职', sortOrder: 15 });
    expect(await entry('personnel_status', '10')).toEqual(json<DictionaryEntry>(res));
  });

  it('lets either officer rename and disable a code, and enable it again', async () => {
    const target = (await entry('political_status', '13'))!;
    const renamed = await officers.sysadmin.patch(`/api/dictionary/political_status/${target.id}`, { body: { label: '群众（普通）' } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(json<DictionaryEntry>(renamed)).toEqual({ ...target, label: '群众（普通）' });

    const disabled = await officers.secadmin.patch(`/api/dictionary/political_status/${target.id}`, { body: { enabled: false } });
    expect(disabled.statusCode).toBe(200);
    expect(await entry('political_status', '13')).toEqual({ ...target, label: '群众（普通）', enabled: false });

    const enabled = await officers.sysadmin.patch(`/api/dictionary/political_status/${target.id}`, { body: { enabled: true, sortOrder: 99 } });
    expect(json<DictionaryEntry>(enabled)).toEqual({ ...target, label: '群众（普通）', enabled: true, sortOrder: 99 });
  });

  it('refuses everyone else with 403, and nothing changes', async () => {
    const gender = (await entry('gender', '9'))!;
    for (const [who, agent] of [['auditor', officers.auditor], ['archivist', archivist]] as const) {
      const add = await agent.post('/api/dictionary/gender', { body: { code: 'X', label: '越权' } });
      expect(add.statusCode, who).toBe(403);
      expect(json(add).code, who).toBe('FORBIDDEN');
      const edit = await agent.patch(`/api/dictionary/gender/${gender.id}`, { body: { enabled: false } });
      expect(edit.statusCode, who).toBe(403);
      expect(json(edit).code, who).toBe('FORBIDDEN');
    }
    expect(await entry('gender', 'X')).toBeUndefined();
    expect(await entry('gender', '9')).toEqual(gender);
  });

  it('leaves the secrecy tables to the security officer', async () => {
    for (const type of ['clearance', 'secrecy_level']) {
      const res = await officers.sysadmin.post(`/api/dictionary/${type}`, { body: { code: 'S9', label: '测试密级' } });
      expect(res.statusCode).toBe(403);
      expect(json(res).message).toContain('安全保密管理员');
      const first = (await officers.sysadmin.get(`/api/dictionary/${type}`)).json()[0] as { id: string };
      expect((await officers.sysadmin.patch(`/api/dictionary/${type}/${first.id}`, { body: { label: '改名' } })).statusCode).toBe(403);
    }
    expect((await officers.secadmin.post('/api/dictionary/secrecy_level', { body: { code: 'S9', label: '测试密级' } })).statusCode).toBe(200);
  });

  it('refuses a code already in the table, but allows the same code in another table', async () => {
    const dup = await officers.sysadmin.post('/api/dictionary/ethnicity', { body: { code: '01', label: '重复' } });
    expect(dup.statusCode).toBe(409);
    expect(json(dup).code).toBe('DICTIONARY_CODE_TAKEN');
    expect(json(dup).message).toContain('01');
    expect((await entry('ethnicity', '01'))?.label).toBe('汉族');

    expect((await officers.sysadmin.post('/api/dictionary/gender', { body: { code: 'Q1', label: '测试一' } })).statusCode).toBe(200);
    expect((await officers.secadmin.post('/api/dictionary/clearance', { body: { code: 'Q1', label: '测试一' } })).statusCode).toBe(200);
    const again = await officers.secadmin.post('/api/dictionary/gender', { body: { code: 'Q1', label: '测试二' } });
    expect(again.statusCode).toBe(409);
    expect(json(again).code).toBe('DICTIONARY_CODE_TAKEN');
  });

  it('answers simultaneous additions of one code with one success and 409 for the rest, never 500', async () => {
    const results = await Promise.all(
      [1, 2, 3, 4].map((i) => officers.sysadmin.post('/api/dictionary/rank', { body: { code: 'RACE', label: `并发${i}` } })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409]);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(json(r).code).toBe('DICTIONARY_CODE_TAKEN');
    expect((await entries('rank')).filter((e) => e.code === 'RACE')).toHaveLength(1);
  });

  it('in a hierarchical table, takes a parent that exists and refuses one that does not', async () => {
    const res = await officers.sysadmin.post('/api/dictionary/archive_class', { body: { code: '4-5', label: '其他教育培训', parentCode: '4' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(json<DictionaryEntry>(res)).toMatchObject({ code: '4-5', parentCode: '4' });

    const orphan = await officers.sysadmin.post('/api/dictionary/archive_class', { body: { code: '11-1', label: '无上级', parentCode: '11' } });
    expect(orphan.statusCode).toBe(422);
    expect(json(orphan).code).toBe('DICTIONARY_PARENT_NOT_FOUND');
    expect(json<{ fields: Record<string, string> }>(orphan).fields.parentCode).toBeTruthy();
    expect(await entry('archive_class', '11-1')).toBeUndefined();
  });

  it('in a flat table, refuses any parent', async () => {
    const res = await officers.secadmin.post('/api/dictionary/ethnicity', { body: { code: '99', label: '子项', parentCode: '01' } });
    expect(res.statusCode).toBe(422);
    expect(json(res).code).toBe('DICTIONARY_NOT_HIERARCHICAL');
    expect(json(res).message).toContain('民族');
    expect(await entry('ethnicity', '99')).toBeUndefined();
  });

  it('answers 404 for an unknown table or entry, or an entry of another table', async () => {
    const table = await officers.sysadmin.post('/api/dictionary/no_such_table', { body: { code: '1', label: '无' } });
    expect(table.statusCode).toBe(404);
    expect(json(table).code).toBe('DICTIONARY_TYPE_NOT_FOUND');

    const missing = await officers.sysadmin.patch(`/api/dictionary/gender/${MISSING_ID}`, { body: { label: '无' } });
    expect(missing.statusCode).toBe(404);
    expect(json(missing).code).toBe('DICTIONARY_ENTRY_NOT_FOUND');

    const han = (await entry('ethnicity', '01'))!;
    const wrongTable = await officers.sysadmin.patch(`/api/dictionary/gender/${han.id}`, { body: { label: '张冠李戴' } });
    expect(wrongTable.statusCode).toBe(404);
    expect(json(wrongTable).code).toBe('DICTIONARY_ENTRY_NOT_FOUND');
    expect((await entry('ethnicity', '01'))?.label).toBe('汉族');
  });

  it('validates code and label', async () => {
    for (const body of [
      { code: '中文', label: '代码非法' },
      { code: 'A'.repeat(17), label: '代码过长' },
      { code: 'OK', label: '' },
      { code: 'OK', label: '标签\t含控制字符' },
    ]) {
      const res = await officers.sysadmin.post('/api/dictionary/rank', { body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(json(res).code).toBe('VALIDATION_FAILED');
    }
  });

  it('records additions and changes in the audit log, with before and after', async () => {
    const created = json<DictionaryEntry>(
      await officers.secadmin.post('/api/dictionary/degree', { body: { code: 'AUD1', label: '留痕学位' } }),
    );
    const added = await auditEvents({ action: 'dictionary.create', objectId: 'degree:AUD1' });
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ actionLabel: '新增代码', objectType: 'dictionary', username: 'secadmin', result: 'success' });
    expect(added[0]!.objectLabel).toContain('留痕学位');
    expect(added[0]!.detail).toEqual({ after: created });

    const changed = json<DictionaryEntry>(
      await officers.sysadmin.patch(`/api/dictionary/degree/${created.id}`, { body: { label: '留痕学位（改）', enabled: false } }),
    );
    const updated = await auditEvents({ action: 'dictionary.update', objectId: 'degree:AUD1' });
    expect(updated).toHaveLength(1);
    expect(updated[0]).toMatchObject({ actionLabel: '修改代码', username: 'sysadmin' });
    expect(updated[0]!.detail).toEqual({ before: created, after: changed });
  });
});
