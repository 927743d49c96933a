import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cadre, CompletenessReport } from '@dangan/contracts';
import { Agent, BOOT_PASSWORD, createTestApp, json, roleId, rootUnitId, type TestApp } from '../../../test/harness.js';

let t: TestApp;
let clerk: Agent;
let root: string;

beforeAll(async () => {
  t = await createTestApp();
  const sec = new Agent(t);
  await sec.signIn('secadmin', BOOT_PASSWORD);
  root = await rootUnitId(sec);
  const res = await sec.post('/api/users', {
    body: { username: 'checker', displayName: '审核员甲', unitId: root, password: 'Filing-Passw0rd', roleIds: [await roleId(sec, 'archivist')] },
  });
  expect(res.statusCode, res.body).toBe(200);
  clerk = new Agent(t);
  await clerk.signIn('checker', 'Filing-Passw0rd');
});
afterAll(async () => {
  await t.close();
});

async function report(dossierId: string): Promise<CompletenessReport> {
  const res = await clerk.get(`/api/dossiers/${dossierId}/completeness`);
  expect(res.statusCode, res.body).toBe(200);
  return json<CompletenessReport>(res);
}

const rule = (r: CompletenessReport, code: string) => r.results.find((x) => x.code === code)!;

describe('completeness', () => {
  it('reports present, missing and unknown per rule from the cadre\'s facts and the catalogue', async () => {
    const cadre = json<Cadre>(
      await clerk.post('/api/cadres', {
        body: {
          name: '陈明', managingUnitId: root, politicalStatus: '01', partyJoinDate: '1995.07', workStartDate: '2015.07', personnelStatus: '1',
          dossier: { dossierNo: 'Q001', custodianUnitId: root },
        },
      }),
    );
    const id = cadre.dossier!.id;
    await clerk.post(`/api/dossiers/${id}/materials`, { body: { classCode: '1', name: '干部履历表', formedOn: '2016.03', pages: 6 } });
    const r = await report(id);
    expect(r.status).toBe('incomplete');
    expect(rule(r, 'resume').status).toBe('present');
    expect(rule(r, 'party_application').status).toBe('missing');
    expect(rule(r, 'resume_1988').status).toBe('not_applicable');
    const appraisal = rule(r, 'annual_appraisal');
    expect(appraisal.status).toBe('missing');
    expect(appraisal.missingItems).toContain('2015 年度考核登记表');

    await clerk.post(`/api/dossiers/${id}/materials`, { body: { classCode: '6', name: '中国共产党入党志愿书', formedOn: '1995.07.01', pages: 8 } });
    expect(rule(await report(id), 'party_application').status).toBe('present');

    const unknownFacts = json<Cadre>(await clerk.post('/api/cadres', { body: { name: '未知', managingUnitId: root, dossier: { dossierNo: 'Q002', custodianUnitId: root } } }));
    const u = await report(unknownFacts.dossier!.id);
    expect(rule(u, 'party_application').status).toBe('unknown');
    expect(rule(u, 'party_application').reason).toMatch(/政治面貌|党员/);
  });

  it('keeps the result on the dossier for the list filter, refreshed when the catalogue changes', async () => {
    const incomplete = json<{ items: { name: string; missingCount: number | null }[] }>(await clerk.get('/api/cadres', { query: { completeness: 'incomplete' } }));
    expect(incomplete.items.map((i) => i.name)).toContain('陈明');
    expect(incomplete.items.find((i) => i.name === '陈明')!.missingCount).toBeGreaterThan(0);
  });

  it('tracks a missing material from 待收集 to 已催要 to 已归档, in order only', async () => {
    const list = json<{ items: { dossierId: string }[] }>(await clerk.get('/api/cadres', { query: { q: '陈明' } }));
    const id = list.items[0]!.dossierId;
    const noted = await clerk.post(`/api/dossiers/${id}/missing`, { body: { item: '2015 年度考核登记表', ruleCode: 'annual_appraisal', remark: '向原单位索要' } });
    expect(noted.statusCode, noted.body).toBe(200);
    const entry = json<{ id: string; state: string; stateLabel: string }[]>(noted)[0]!;
    expect(entry).toMatchObject({ state: 'pending', stateLabel: '待收集' });
    expect(json(await clerk.post(`/api/dossiers/${id}/missing`, { body: { item: '2015 年度考核登记表' } })).code).toBe('MISSING_ALREADY_NOTED');
    const requested = json<{ state: string; requestedAt: string | null }[]>(await clerk.patch(`/api/missing-materials/${entry.id}`, { body: { state: 'requested' } }));
    expect(requested[0]).toMatchObject({ state: 'requested' });
    expect(requested[0]!.requestedAt).not.toBeNull();
    const filed = json<{ state: string }[]>(await clerk.patch(`/api/missing-materials/${entry.id}`, { body: { state: 'filed' } }));
    expect(filed[0]!.state).toBe('filed');
    const back = await clerk.patch(`/api/missing-materials/${entry.id}`, { body: { state: 'requested' } });
    expect(back.statusCode).toBe(422);
    expect((await report(id)).register).toHaveLength(1);
  });

  it('lets the archive manager edit a rule (synonyms, off) and the report follows', async () => {
    const list = json<{ items: { dossierId: string }[] }>(await clerk.get('/api/cadres', { query: { q: '陈明' } }));
    const id = list.items[0]!.dossierId;
    await clerk.post(`/api/dossiers/${id}/materials`, { body: { classCode: '3', name: '公务员考评表（2016）', formedOn: '2017.01', pages: 2 } });
    const before = rule(await report(id), 'annual_appraisal');
    const rules = json<{ code: string; synonyms: string[] }[]>(await clerk.get('/api/completeness-rules'));
    const appraisal = rules.find((r) => r.code === 'annual_appraisal')!;
    const res = await clerk.patch('/api/completeness-rules/annual_appraisal', { body: { synonyms: [...appraisal.synonyms, '公务员考评表'] } });
    expect(res.statusCode, res.body).toBe(200);
    // Results computed under the old rule no longer count as known.
    const stale = json<{ items: { name: string }[] }>(await clerk.get('/api/cadres', { query: { completeness: 'unknown' } }));
    expect(stale.items.map((i) => i.name)).toContain('陈明');
    const after = rule(await report(id), 'annual_appraisal');
    expect(after.missingItems!.length).toBeLessThan(before.missingItems!.length);
    expect(after.missingItems).not.toContain('2016 年度考核登记表');

    await clerk.patch('/api/completeness-rules/annual_appraisal', { body: { enabled: false } });
    expect((await report(id)).results.some((r) => r.code === 'annual_appraisal')).toBe(false);
    expect(json(await clerk.patch('/api/completeness-rules/annual_appraisal', { body: { synonyms: [' '] } })).code).toBe('RULE_SYNONYMS_EMPTY');
  });
});
