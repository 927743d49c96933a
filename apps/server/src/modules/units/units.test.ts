import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, Unit, User } from '@dangan/contracts';
import { Agent, BOOT_PASSWORD, createTestApp, json, rootUnitId, type TestApp } from '../../../test/harness.js';

const INITIAL = 'Init-Passw0rd!';
const MISSING_ID = '01900000-0000-7000-8000-000000000000';

let t: TestApp;
let sec: Agent;
let auditor: Agent;
let rootId: string;

beforeAll(async () => {
  t = await createTestApp();
  sec = new Agent(t, '10.0.0.2');
  auditor = new Agent(t, '10.0.0.3');
  await sec.signIn('secadmin', BOOT_PASSWORD);
  await auditor.signIn('auditor', BOOT_PASSWORD);
  rootId = await rootUnitId(sec);
});
afterAll(async () => {
  await t.close();
});

async function createUnit(code: string, name: string, parentId: string | null = rootId, extra: Record<string, unknown> = {}): Promise<Unit> {
  const res = await sec.post('/api/units', { body: { parentId, code, name, ...extra } });
  expect(res.statusCode, res.body).toBe(200);
  return json<Unit>(res);
}

async function allUnits(): Promise<Unit[]> {
  const res = await sec.get('/api/units');
  expect(res.statusCode).toBe(200);
  return json<Unit[]>(res);
}

async function unitById(id: string): Promise<Unit | undefined> {
  return (await allUnits()).find((u) => u.id === id);
}

async function auditEvents(query: Record<string, string>): Promise<AuditEvent[]> {
  const res = await auditor.get('/api/audit/events', { query });
  expect(res.statusCode, res.body).toBe(200);
  return json<{ items: AuditEvent[] }>(res).items;
}

describe('the unit tree', () => {
  it('creates units under a parent, with a type from the code table', async () => {
    const res = await sec.post('/api/units', { body: { parentId: rootId, code: 'ORG-A', name: '组织部', type: '01', sortOrder: 5 } });
    expect(res.statusCode, res.body).toBe(200);
    const a = json<Unit>(res);
    expect(a).toMatchObject({ parentId: rootId, code: 'ORG-A', name: '组织部', type: '01', sortOrder: 5, disabled: false });
    expect(a.createdAt).toBe(t.clock.now().toISOString());
    const child = await createUnit('ORG-A-1', '干部一科', a.id);
    expect(child).toMatchObject({ parentId: a.id, type: null, sortOrder: 0 });
    const units = await allUnits();
    expect(units.find((u) => u.id === a.id)).toEqual(a);
    expect(units.find((u) => u.id === child.id)).toEqual(child);
  });

  it('renames, retypes, re-sorts, moves and disables a unit', async () => {
    const a = await createUnit('MOVE-A', '甲单位');
    const b = await createUnit('MOVE-B', '乙单位');
    const res = await sec.patch(`/api/units/${a.id}`, { body: { parentId: b.id, name: '甲单位（更名）', type: '08', sortOrder: 3, code: 'MOVE-A2' } });
    expect(res.statusCode, res.body).toBe(200);
    const expected = { ...a, parentId: b.id, name: '甲单位（更名）', type: '08', sortOrder: 3, code: 'MOVE-A2' };
    expect(json<Unit>(res)).toEqual(expected);
    expect(await unitById(a.id)).toEqual(expected);

    const top = await sec.patch(`/api/units/${a.id}`, { body: { parentId: null, type: null } });
    expect(json<Unit>(top)).toMatchObject({ parentId: null, type: null });

    const disabled = await sec.patch(`/api/units/${b.id}`, { body: { disabled: true } });
    expect(json<Unit>(disabled).disabled).toBe(true);
    const under = await sec.post('/api/units', { body: { parentId: b.id, code: 'UNDER-B', name: '停用单位的下级' } });
    expect(under.statusCode).toBe(422);
    expect(json(under).code).toBe('UNIT_PARENT_DISABLED');
  });

  it('a PATCH changes only the fields it names: renaming keeps the type and the sort order', async () => {
    const unit = await createUnit('KEEP-1', '保留字段', rootId, { type: '05', sortOrder: 7 });
    const res = await sec.patch(`/api/units/${unit.id}`, { body: { name: '保留字段（改名）' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(json<Unit>(res)).toEqual({ ...unit, name: '保留字段（改名）' });
    expect(await unitById(unit.id)).toEqual({ ...unit, name: '保留字段（改名）' });
  });

  it('refuses to move a unit under itself or any of its descendants, and leaves it where it was', async () => {
    const top = await createUnit('CYC', '循环测试');
    const mid = await createUnit('CYC-1', '中间', top.id);
    const leaf = await createUnit('CYC-1-1', '末端', mid.id);
    for (const target of [top.id, mid.id, leaf.id]) {
      const res = await sec.patch(`/api/units/${top.id}`, { body: { parentId: target } });
      expect(res.statusCode, target).toBe(422);
      expect(json(res).code).toBe('UNIT_CYCLE');
      expect(json<{ fields: Record<string, string> }>(res).fields.parentId).toBeTruthy();
    }
    const self = await sec.patch(`/api/units/${leaf.id}`, { body: { parentId: leaf.id } });
    expect(json(self).code).toBe('UNIT_CYCLE');
    expect((await unitById(top.id))?.parentId).toBe(rootId);
    expect((await unitById(leaf.id))?.parentId).toBe(mid.id);
    // Moving up or sideways is fine.
    expect((await sec.patch(`/api/units/${leaf.id}`, { body: { parentId: top.id } })).statusCode).toBe(200);
  });

  it('refuses a type not in the unit_type code table, or disabled there', async () => {
    const unknown = await sec.post('/api/units', { body: { parentId: rootId, code: 'TYPE-X', name: '类型错误', type: 'ZZ' } });
    expect(unknown.statusCode).toBe(422);
    expect(json(unknown).code).toBe('UNIT_TYPE_UNKNOWN');
    expect(json<{ fields: Record<string, string> }>(unknown).fields.type).toBeTruthy();
    // A code of another table is no unit type either ('1' is 男 in gender).
    const otherTable = await sec.post('/api/units', { body: { parentId: rootId, code: 'TYPE-X', name: '类型错误', type: '1' } });
    expect(json(otherTable).code).toBe('UNIT_TYPE_UNKNOWN');

    const unit = await createUnit('TYPE-OK', '类型正确', rootId, { type: '09' });
    const patch = await sec.patch(`/api/units/${unit.id}`, { body: { type: 'ZZ' } });
    expect(patch.statusCode).toBe(422);
    expect(json(patch).code).toBe('UNIT_TYPE_UNKNOWN');
    expect((await unitById(unit.id))?.type).toBe('09');

    const types = json<{ id: string; code: string }[]>(await sec.get('/api/dictionary/unit_type'));
    const other = types.find((e) => e.code === '99')!;
    expect((await sec.patch(`/api/dictionary/unit_type/${other.id}`, { body: { enabled: false } })).statusCode).toBe(200);
    const disabledType = await sec.post('/api/units', { body: { parentId: rootId, code: 'TYPE-99', name: '其他', type: '99' } });
    expect(json(disabledType).code).toBe('UNIT_TYPE_UNKNOWN');
    expect((await allUnits()).map((u) => u.code)).not.toContain('TYPE-X');
  });

  it('refuses a duplicate code, on creation and on change', async () => {
    const first = await createUnit('DUP-1', '第一');
    const dup = await sec.post('/api/units', { body: { parentId: rootId, code: 'DUP-1', name: '第二' } });
    expect(dup.statusCode).toBe(409);
    expect(json(dup).code).toBe('UNIT_CODE_TAKEN');
    expect(json(dup).message).toContain('DUP-1');
    const rootDup = await sec.post('/api/units', { body: { parentId: rootId, code: 'ROOT', name: '第二' } });
    expect(json(rootDup).code).toBe('UNIT_CODE_TAKEN');

    const second = await createUnit('DUP-2', '第二');
    const change = await sec.patch(`/api/units/${second.id}`, { body: { code: 'DUP-1' } });
    expect(change.statusCode).toBe(409);
    expect(json(change).code).toBe('UNIT_CODE_TAKEN');
    expect((await unitById(second.id))?.code).toBe('DUP-2');
    // Keeping its own code is no conflict.
    expect((await sec.patch(`/api/units/${first.id}`, { body: { code: 'DUP-1', name: '第一（改）' } })).statusCode).toBe(200);
  });

  it('answers simultaneous creations of one code with one success and 409 for the rest, never 500', async () => {
    const results = await Promise.all(
      [1, 2, 3, 4].map((i) => sec.post('/api/units', { body: { parentId: rootId, code: 'RACE-1', name: `并发单位${i}` } })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409]);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(json(r).code).toBe('UNIT_CODE_TAKEN');
    expect((await allUnits()).filter((u) => u.code === 'RACE-1')).toHaveLength(1);
  });

  it('refuses an unknown parent with 422 and an unknown unit with 404', async () => {
    const parent = await sec.post('/api/units', { body: { parentId: MISSING_ID, code: 'ORPHAN', name: '孤儿' } });
    expect(parent.statusCode).toBe(422);
    expect(json(parent).code).toBe('UNIT_PARENT_NOT_FOUND');
    const missing = await sec.patch(`/api/units/${MISSING_ID}`, { body: { name: '无此单位' } });
    expect(missing.statusCode).toBe(404);
    expect(json(missing).code).toBe('UNIT_NOT_FOUND');
  });

  it('validates code and name', async () => {
    for (const body of [
      { parentId: rootId, code: '带中文', name: '代码非法' },
      { parentId: rootId, code: 'OK-1', name: '' },
      { parentId: rootId, code: 'OK-1', name: '换行\n名称' },
    ]) {
      const res = await sec.post('/api/units', { body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(json(res).code).toBe('VALIDATION_FAILED');
    }
  });

  it('is changed by the security officer only', async () => {
    const res = await auditor.post('/api/units', { body: { parentId: rootId, code: 'BY-AUD', name: '审计员建的' } });
    expect(res.statusCode).toBe(403);
    expect(json(res).code).toBe('FORBIDDEN');
    const patch = await auditor.patch(`/api/units/${rootId}`, { body: { name: '改名' } });
    expect(patch.statusCode).toBe(403);
    expect((await allUnits()).map((u) => u.code)).not.toContain('BY-AUD');
    expect((await unitById(rootId))?.name).toBe('本级机关');
  });

  it('shows an officer without unit.read only his own unit', async () => {
    const res = await auditor.get('/api/units');
    expect(res.statusCode).toBe(200);
    expect(json<Unit[]>(res).map((u) => u.id)).toEqual([rootId]);
  });
});

describe('what each user sees of the tree (data scope)', () => {
  /**
   *   ROOT
   *   ├── S-A
   *   │   ├── S-A1
   *   │   │   └── S-A1X
   *   │   └── S-A2
   *   └── S-B
   *       └── S-B1
   */
  let ids: Record<string, string>;
  let archivist: User;
  let agent: Agent;

  beforeAll(async () => {
    const a = await createUnit('S-A', '甲局');
    const a1 = await createUnit('S-A1', '甲局一处', a.id);
    const a1x = await createUnit('S-A1X', '甲局一处一科', a1.id);
    const a2 = await createUnit('S-A2', '甲局二处', a.id);
    const b = await createUnit('S-B', '乙局');
    const b1 = await createUnit('S-B1', '乙局一处', b.id);
    ids = { a: a.id, a1: a1.id, a1x: a1x.id, a2: a2.id, b: b.id, b1: b1.id };
    const roles = json<{ id: string; code: string }[]>(await sec.get('/api/roles'));
    const res = await sec.post('/api/users', {
      body: {
        username: 'scopeuser', displayName: '范围测试', unitId: a.id, password: INITIAL,
        roleIds: [roles.find((r) => r.code === 'archivist')!.id], scope: { kind: 'unit_and_below', unitIds: [] },
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    archivist = json<User>(res);
    agent = new Agent(t, '10.8.0.1');
    await agent.signIn('scopeuser', INITIAL);
  });

  async function seen(): Promise<string[]> {
    const res = await agent.get('/api/units');
    expect(res.statusCode).toBe(200);
    return json<Unit[]>(res).map((u) => u.id).sort();
  }

  async function setScope(kind: string, unitIds: string[] = []): Promise<void> {
    const res = await sec.patch(`/api/users/${archivist.id}`, { body: { scope: { kind, unitIds } } });
    expect(res.statusCode, res.body).toBe(200);
  }

  it('unit_and_below: his unit and every unit below it', async () => {
    expect(await seen()).toEqual([ids.a!, ids.a1!, ids.a1x!, ids.a2!].sort());
  });

  it('named_units: the named units and the units below them, not his own', async () => {
    await setScope('named_units', [ids.a1!, ids.b!]);
    expect(await seen()).toEqual([ids.a1!, ids.a1x!, ids.b!, ids.b1!].sort());
  });

  it('own_unit: his own unit only', async () => {
    await setScope('own_unit');
    expect(await seen()).toEqual([ids.a!]);
  });

  it('all: every unit', async () => {
    await setScope('all');
    expect(await seen()).toEqual((await allUnits()).map((u) => u.id).sort());
  });

  it('a unit added below his unit enters a unit_and_below scope at once', async () => {
    await setScope('unit_and_below');
    const added = await createUnit('S-A3', '甲局三处', ids.a!);
    expect(await seen()).toContain(added.id);
    expect(await seen()).not.toContain(ids.b!);
  });
});

describe('audit', () => {
  it('records creation with the new unit, and changes with before and after', async () => {
    const unit = await createUnit('AUD-1', '留痕单位', rootId, { type: '01' });
    const created = await auditEvents({ action: 'unit.create', objectId: unit.id });
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ actionLabel: '新建单位', objectType: 'unit', objectLabel: '留痕单位', username: 'secadmin', result: 'success' });
    expect(created[0]!.detail).toEqual({ after: unit });

    const res = await sec.patch(`/api/units/${unit.id}`, { body: { name: '留痕单位（改）', type: '08' } });
    expect(res.statusCode).toBe(200);
    const updated = await auditEvents({ action: 'unit.update', objectId: unit.id });
    expect(updated).toHaveLength(1);
    expect(updated[0]).toMatchObject({ actionLabel: '修改单位', objectLabel: '留痕单位（改）', username: 'secadmin' });
    expect(updated[0]!.detail).toEqual({ before: unit, after: json<Unit>(res) });
  });

  it('records nothing for a refused change', async () => {
    const unit = await createUnit('AUD-2', '拒绝留痕');
    await sec.patch(`/api/units/${unit.id}`, { body: { parentId: unit.id } });
    expect(await auditEvents({ action: 'unit.update', objectId: unit.id })).toEqual([]);
  });
});
