import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cadre, Catalogue } from '@dangan/contracts';
import { Agent, BOOT_PASSWORD, createTestApp, json, roleId, rootUnitId, type TestApp } from '../../../test/harness.js';

let t: TestApp;
let clerk: Agent;
let root: string;
let branch: string;

beforeAll(async () => {
  t = await createTestApp();
  const sec = new Agent(t);
  await sec.signIn('secadmin', BOOT_PASSWORD);
  root = await rootUnitId(sec);
  branch = json<{ id: string }>(await sec.post('/api/units', { body: { parentId: root, code: 'B1', name: '二处' } })).id;
  const archivist = await roleId(sec, 'archivist');
  for (const [username, scope] of [['filer', 'unit_and_below'], ['outsider', 'own_unit']] as const) {
    const res = await sec.post('/api/users', {
      body: { username, displayName: username, unitId: username === 'filer' ? root : branch, password: 'Filing-Passw0rd', roleIds: [archivist], scope: { kind: scope, unitIds: [] } },
    });
    expect(res.statusCode, res.body).toBe(200);
  }
  clerk = new Agent(t);
  await clerk.signIn('filer', 'Filing-Passw0rd');
});
afterAll(async () => {
  await t.close();
});

async function register(name: string, dossierNo: string, extra: Record<string, unknown> = {}): Promise<Cadre> {
  const res = await clerk.post('/api/cadres', {
    body: { name, managingUnitId: root, ...extra, dossier: { dossierNo, custodianUnitId: root, location: '一号库房-3架-2层-5格' } },
  });
  expect(res.statusCode, res.body).toBe(200);
  return json<Cadre>(res);
}

async function add(dossierId: string, body: Record<string, unknown>): Promise<Catalogue> {
  const res = await clerk.post(`/api/dossiers/${dossierId}/materials`, { body: { pages: 2, ...body } });
  expect(res.statusCode, res.body).toBe(200);
  return json<Catalogue>(res);
}

const seqs = (c: Catalogue, code: string) => c.classes.find((k) => k.code === code)!.materials.map((m) => `${m.seq} ${m.name}`);

describe('cadres and dossiers', () => {
  it('registers a cadre with his dossier, checks the ID number and flags a birth date that disagrees', async () => {
    const cadre = await register('王伟', 'A0001', { gender: '1', birthDate: '1970.5', idNumber: '11010519700512012x' });
    expect(cadre.idNumber).toBe('11010519700512012X');
    expect(cadre.idNumberCheck.status).toBe('valid');
    expect(cadre.birthDate).toBe('1970-05');
    expect(cadre.nameInitials).toBe('WW');
    expect(cadre.dossier).toMatchObject({ dossierNo: 'A0001', state: 'in_store', stateLabel: '在库', materialCount: 0 });

    const mismatch = await register('李娜', 'A0002', { birthDate: '1971.01.02', idNumber: '110105197103150023' });
    expect(mismatch.idNumberCheck.status).toBe('mismatch');

    const bad = await clerk.post('/api/cadres', { body: { name: '赵六', managingUnitId: root, idNumber: '110105197003150010' } });
    expect(bad.statusCode).toBe(422);
    expect(json(bad).code).toBe('ID_NUMBER_INVALID');

    const dup = await clerk.post('/api/cadres', { body: { name: '王伟二', managingUnitId: root, idNumber: '11010519700512012X' } });
    expect(dup.statusCode).toBe(409);
    expect(json(dup).code).toBe('CADRE_ID_NUMBER_TAKEN');

    const takenNo = await clerk.post('/api/cadres', { body: { name: '孙七', managingUnitId: root, dossier: { dossierNo: 'A0001', custodianUnitId: root } } });
    expect(json(takenNo).code).toBe('DOSSIER_NO_TAKEN');
    const list = json<{ items: { name: string }[] }>(await clerk.get('/api/cadres', { query: { q: '孙七' } }));
    expect(list.items).toEqual([]);

    const badCode = await clerk.post('/api/cadres', { body: { name: '周八', managingUnitId: root, ethnicity: '99' } });
    expect(json(badCode).code).toBe('CODE_UNKNOWN');
    const badDate = await clerk.post('/api/cadres', { body: { name: '吴九', managingUnitId: root, birthDate: '1970.13' } });
    expect(badDate.statusCode).toBe(422);
    expect(json<{ fields: Record<string, string> }>(badDate).fields.birthDate).toBeTruthy();
  });

  it('lists and finds cadres by name, pinyin initials, ID number and dossier number, only within scope', async () => {
    const find = async (agent: Agent, q: string) => json<{ items: { name: string }[]; total: number }>(await agent.get('/api/cadres', { query: { q } })).items.map((i) => i.name);
    expect(await find(clerk, '王伟')).toEqual(['王伟']);
    expect(await find(clerk, 'ww')).toEqual(['王伟']);
    expect(await find(clerk, '11010519700512012x')).toEqual(['王伟']);
    expect(await find(clerk, 'A0002')).toEqual(['李娜']);
    const inBranch = await clerk.post('/api/cadres', { body: { name: '分处干部', managingUnitId: branch } });
    expect(inBranch.statusCode, inBranch.body).toBe(200);
    const byUnit = async (unitId: string) =>
      json<{ items: { name: string; updatedAt: string }[] }>(await clerk.get('/api/cadres', { query: { unitId, pageSize: 100 } })).items;
    expect((await byUnit(root)).map((i) => i.name)).toEqual(expect.arrayContaining(['王伟', '分处干部']));
    expect((await byUnit(branch)).map((i) => i.name)).toEqual(['分处干部']);
    expect((await byUnit(branch))[0]!.updatedAt).toMatch(/^\d{4}-/);
    const outsider = new Agent(t);
    await outsider.signIn('outsider', 'Filing-Passw0rd');
    expect(await find(outsider, '王伟')).toEqual([]);
    const cadre = json<{ items: { id: string; dossierId: string }[] }>(await clerk.get('/api/cadres', { query: { q: '王伟' } })).items[0]!;
    expect((await outsider.get(`/api/cadres/${cadre.id}`)).statusCode).toBe(404);
    expect((await outsider.get(`/api/dossiers/${cadre.dossierId}/catalogue`)).statusCode).toBe(404);
  });
});

describe('the catalogue', () => {
  it('orders each class by its rule and numbers it, whatever the order of entry', async () => {
    const cadre = await register('张三', 'C0001');
    const id = cadre.dossier!.id;
    await add(id, { classCode: '3', name: '2005年度考核登记表', formedOn: '2005.12' });
    await add(id, { classCode: '3', name: '2003年度考核登记表', formedOn: '2003' });
    await add(id, { classCode: '3', name: '干部考察材料', formedOn: '2003.05.07' });
    await add(id, { classCode: '6', name: '入党申请书', formedOn: '1990.03' });
    await add(id, { classCode: '6', name: '中国共产党入党志愿书', formedOn: '1991.07.01' });
    await add(id, { classCode: '4-1', name: '大学毕业生登记表', formedOn: '1992.07' });
    const c = await add(id, { classCode: '4-1', name: '高等学校招生考生登记表', formedOn: '1988.07' });
    expect(seqs(c, '3')).toEqual(['3-1 2003年度考核登记表', '3-2 干部考察材料', '3-3 2005年度考核登记表']);
    expect(seqs(c, '6')).toEqual(['6-1 中国共产党入党志愿书', '6-2 入党申请书']);
    expect(seqs(c, '4-1')).toEqual(['4-1-1 高等学校招生考生登记表', '4-1-2 大学毕业生登记表']);
    expect(c.classes.find((k) => k.code === '4')!.materialCount).toBe(2);
    expect(c.materialCount).toBe(7);
    expect(c.pageCount).toBe(14);
    expect(c.dossier.materialCount).toBe(7);

    const notLeaf = await clerk.post(`/api/dossiers/${id}/materials`, { body: { classCode: '4', name: '学历材料', pages: 1 } });
    expect(notLeaf.statusCode).toBe(422);
    expect(json(notLeaf).code).toBe('CLASS_CODE_INVALID');
  });

  it('renumbers on insert and delete while ids stay, and restores a deleted material', async () => {
    const cadre = await register('李四', 'C0002');
    const id = cadre.dossier!.id;
    await add(id, { classCode: '1', name: '干部履历表', formedOn: '1999.05' });
    let c = await add(id, { classCode: '1', name: '干部履历表', formedOn: '2010.03' });
    const later = c.classes[0]!.materials[1]!;
    c = await add(id, { classCode: '1', name: '干部履历表（1988年版）', formedOn: '1988' });
    expect(c.classes[0]!.materials.map((m) => m.seq)).toEqual(['1-1', '1-2', '1-3']);
    expect(c.classes[0]!.materials[2]!.id).toBe(later.id);

    const first = c.classes[0]!.materials[0]!;
    const del = await clerk.post(`/api/materials/${first.id}/deletion`, { body: { reason: '重复著录' } });
    expect(del.statusCode, del.body).toBe(200);
    c = json<Catalogue>(del);
    expect(c.classes[0]!.materials.map((m) => m.seq)).toEqual(['1-1', '1-2']);
    expect(c.deleted).toHaveLength(1);
    expect(c.deleted[0]).toMatchObject({ id: first.id, deletedBy: 'filer', deleteReason: '重复著录' });

    const restored = json<Catalogue>(await clerk.post(`/api/materials/${first.id}/restoration`));
    expect(restored.classes[0]!.materials.map((m) => m.id)[0]).toBe(first.id);
    expect(restored.deleted).toEqual([]);
  });

  it('lets the clerk order materials of one date, and warns where a material sits against the rule', async () => {
    const cadre = await register('钱五', 'C0003');
    const id = cadre.dossier!.id;
    await add(id, { classCode: '7', name: '嘉奖令', formedOn: '2001.06.01' });
    let c = await add(id, { classCode: '7', name: '优秀共产党员证书', formedOn: '2001.06.01' });
    const [a, b] = c.classes.find((k) => k.code === '7')!.materials;
    const res = await clerk.put(`/api/dossiers/${id}/order`, { body: { classCode: '7', materialIds: [b!.id, a!.id] } });
    expect(res.statusCode, res.body).toBe(200);
    c = json<Catalogue>(res);
    expect(seqs(c, '7')).toEqual(['7-1 优秀共产党员证书', '7-2 嘉奖令']);

    c = await add(id, { classCode: '1', name: '中国共产党入党志愿书', formedOn: null });
    const warnings = c.classes[0]!.materials[0]!.warnings.join('；');
    expect(warnings).toMatch(/时间/);
    expect(warnings).toMatch(/第 ?6 ?类|6/);
  });

  it('prints the catalogue as a PDF and audits views, changes and prints', async () => {
    const list = json<{ items: { dossierId: string }[] }>(await clerk.get('/api/cadres', { query: { q: '张三' } }));
    const res = await clerk.get(`/api/dossiers/${list.items[0]!.dossierId}/catalogue.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const auditor = new Agent(t);
    await auditor.signIn('auditor', BOOT_PASSWORD);
    const actions = json<{ items: { action: string }[] }>(await auditor.get('/api/audit/events', { query: { username: 'filer', pageSize: 500 } })).items.map((e) => e.action);
    for (const a of ['cadre.create', 'dossier.create', 'material.create', 'material.delete', 'material.restore', 'catalogue.reorder', 'catalogue.print']) {
      expect(actions).toContain(a);
    }
  });

  it('follows the dossier state machine and freezes the catalogue of a transferred dossier', async () => {
    const cadre = await register('郑十', 'C0004');
    const id = cadre.dossier!.id;
    const lend = await clerk.post(`/api/dossiers/${id}/transitions`, { body: { event: 'lend' } });
    expect(lend.statusCode, lend.body).toBe(200);
    const again = await clerk.post(`/api/dossiers/${id}/transitions`, { body: { event: 'transfer_out' } });
    expect(again.statusCode).toBe(409);
    expect(json(again).code).toBe('DOSSIER_TRANSITION_REFUSED');
    await clerk.post(`/api/dossiers/${id}/transitions`, { body: { event: 'return_loan' } });
    expect(json(await clerk.post(`/api/dossiers/${id}/transitions`, { body: { event: 'transfer_out' } })).stateLabel).toBe('转出');
    const frozen = await clerk.post(`/api/dossiers/${id}/materials`, { body: { classCode: '1', name: '干部履历表', pages: 4 } });
    expect(frozen.statusCode).toBe(409);
    expect(json(frozen).code).toBe('DOSSIER_NOT_EDITABLE');
  });
});
