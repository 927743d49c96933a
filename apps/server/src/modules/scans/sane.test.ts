import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cadre, DossierPages, SaneDevice, SaneScanResult, ScanBatch } from '@dangan/contracts';
import { Agent, createTestApp, json, roleId, rootUnitId, signInOfficers, type TestApp } from '../../../test/harness.js';
import { AppError } from '../../platform/errors.js';
import { checkDeviceName, parseDeviceList, parseFormattedList, LIST_FORMAT } from './sane.js';
import { Command } from 'commander';
import { registerScanCommand, runConsoleScan } from './scan.command.js';

/**
 * SANE end to end with scanimage's virtual `test` backend (libsane1). The system's /etc/sane.d leaves
 * that backend disabled, so the tests point SANE_CONFIG_DIR at the project's own config
 * (apps/server/test/sane: dll.conf with `test`, test.conf drawing a grid on an A5 page).
 * The virtual scanner sends byte-identical pages within a run, so distinct pages come from runs at
 * different resolutions.
 */
process.env.SANE_CONFIG_DIR = fileURLToPath(new URL('../../../test/sane', import.meta.url));

let t: TestApp;
let scanner: Agent;
let sysadmin: Agent;
let dossierId: string;
let materialId: string;

async function setting(key: string, value: unknown): Promise<void> {
  const res = await sysadmin.put(`/api/settings/${key}`, { body: { value } });
  expect(res.statusCode, res.body).toBe(200);
}

beforeAll(async () => {
  t = await createTestApp();
  const officers = await signInOfficers(t);
  sysadmin = officers.sysadmin;
  const sec = officers.secadmin;
  const root = await rootUnitId(sec);
  for (const [username, role] of [['clerk', 'archivist'], ['scanop', 'scanner']] as const) {
    const res = await sec.post('/api/users', {
      body: { username, displayName: username, unitId: root, password: 'Sane-Passw0rd1', roleIds: [await roleId(sec, role)], scope: { kind: 'unit_and_below', unitIds: [] } },
    });
    expect(res.statusCode, res.body).toBe(200);
  }
  const clerk = new Agent(t);
  await clerk.signIn('clerk', 'Sane-Passw0rd1');
  scanner = new Agent(t);
  await scanner.signIn('scanop', 'Sane-Passw0rd1');
  const cadre = json<Cadre>(await clerk.post('/api/cadres', { body: { name: '李明', managingUnitId: root, dossier: { dossierNo: 'S0100', custodianUnitId: root } } }));
  dossierId = cadre.dossier!.id;
  const res = await clerk.post(`/api/dossiers/${dossierId}/materials`, { body: { classCode: '4-1', name: '学历证明', formedOn: '1991-07', pages: 3 } });
  expect(res.statusCode, res.body).toBe(200);
  const catalogue = json<{ classes: { code: string; materials: { id: string }[] }[] }>(await clerk.get(`/api/dossiers/${dossierId}/catalogue`));
  materialId = catalogue.classes.find((c) => c.code === '4-1')!.materials[0]!.id;
  await setting('scan.sane.device', 'test');
  await setting('scan.sane.mode', 'Gray');
  await setting('scan.sane.resolution', 100);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

async function board(): Promise<DossierPages> {
  return json<DossierPages>(await scanner.get(`/api/dossiers/${dossierId}/pages`));
}

describe('SANE scanners through scanimage', () => {
  it('lists the virtual test scanners', async () => {
    const res = await scanner.get('/api/scanners');
    expect(res.statusCode, res.body).toBe(200);
    const devices = json<SaneDevice[]>(res);
    expect(devices.map((d) => d.name)).toEqual(expect.arrayContaining(['test:0', 'test:1']));
    expect(devices[0]).toMatchObject({ vendor: 'Noname', model: 'frontend-tester', type: 'virtual device' });
  });

  it('scans pages into a batch, named so they link to the material in order, and processes them', async () => {
    const batch = json<ScanBatch>(await scanner.post('/api/scan-batches', { body: { dossierId } }));
    const first = await scanner.post(`/api/scan-batches/${batch.id}/sane`, { body: { materialId, pages: 2 } });
    expect(first.statusCode, first.body).toBe(200);
    const r1 = json<SaneScanResult>(first);
    expect(r1.scanned).toBe(2);
    expect(r1.warning).toBeNull();
    // The virtual scanner's two pages are the same bytes: the second is kept out as a duplicate.
    expect(r1.batch.files.map((f) => [f.name, f.status])).toEqual([
      ['S0100/04-1/001/001.tif', 'stored'],
      ['S0100/04-1/001/002.tif', 'duplicate'],
    ]);
    expect(r1.batch.files[0]).toMatchObject({ format: 'tiff', pageCount: 1 });

    await setting('scan.sane.resolution', 120);
    const second = json<SaneScanResult>(await scanner.post(`/api/scan-batches/${batch.id}/sane`, { body: { materialId, pages: 1 } }));
    expect(second.batch.files.at(-1)).toMatchObject({ name: 'S0100/04-1/001/002.tif', status: 'stored' });
    expect(second.batch.pages).toMatchObject({ total: 2, pending: 2 });

    await t.core.runner.runUntilIdle();
    const b = await board();
    const material = b.materials.find((m) => m.id === materialId)!;
    expect(material.pageIds).toHaveLength(2);
    const pages = material.pageIds.map((id) => b.pages.find((p) => p.id === id)!);
    expect(pages.map((p) => [p.pageNo, p.fileName, p.status])).toEqual([
      [1, 'S0100/04-1/001/001.tif', 'processed'],
      [2, 'S0100/04-1/001/002.tif', 'processed'],
    ]);
    expect(pages[0]!.analysis).toMatchObject({ dpi: 100, dpiLow: true });
    expect(pages[1]!.analysis).toMatchObject({ dpi: 120 });
    const view = json<ScanBatch>(await scanner.get(`/api/scan-batches/${batch.id}`));
    expect(view.pages).toMatchObject({ total: 2, processed: 2, failed: 0 });
  });

  it('scans from the console into a new batch with source sane, one page from a flatbed when no count is given', async () => {
    await setting('scan.sane.resolution', 140);
    const lines: string[] = [];
    // No page count: the virtual scanner's current source is its flatbed, so one page.
    await runConsoleScan(t.core, { dossier: 'S0100', device: 'test:1', class: '4-1', piece: 1 }, (l) => lines.push(l));
    expect(lines.join('\n')).toContain('已扫描 1 页，接收 1 页');
    const batch = await t.core.handle.db.selectFrom('scan_batches').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(batch).toMatchObject({ source: 'sane', station: 'test:1', dossier_id: dossierId, created_by: 'sane:test:1' });
    const b = await board();
    const material = b.materials.find((m) => m.id === materialId)!;
    expect(material.pageIds.map((id) => b.pages.find((p) => p.id === id)!.pageNo)).toEqual([1, 2, 3]);
    expect(b.pages.find((p) => p.id === material.pageIds[2])!.fileName).toBe('S0100/04-1/001/003.tif');
  });

  it('registers `dangan scan` on the command line', async () => {
    await setting('scan.sane.resolution', 160);
    const program = new Command('dangan').exitOverride().configureOutput({ writeErr: () => undefined });
    registerScanCommand(program, (fn) => fn(t.core));
    const log = console.log;
    const lines: string[] = [];
    console.log = (line: string) => lines.push(line);
    try {
      await program.parseAsync(['scan', '--dossier', 'S0100', '--device', 'test:0', '--pages', '1', '--class', '4-1', '--piece', '1', '--start', '9'], { from: 'user' });
    } finally {
      console.log = log;
    }
    expect(lines.join('\n')).toContain('S0100/04-1/001/009.tif\t已接收');
    await expect(program.parseAsync(['scan', '--dossier', 'S0100', '--pages', '0'], { from: 'user' })).rejects.toThrow();
  });

  it('refuses a bad device name with a Chinese reason and reports a device that cannot be opened', async () => {
    const batch = json<ScanBatch>(await scanner.post('/api/scan-batches', { body: { dossierId } }));
    await setting('scan.sane.device', '--help');
    const bad = await scanner.post(`/api/scan-batches/${batch.id}/sane`, { body: { materialId } });
    expect(bad.statusCode).toBe(422);
    expect(json(bad)).toMatchObject({ code: 'SANE_DEVICE_INVALID' });
    expect(String(json(bad).message)).toMatch(/设备名/);
    await expect(runConsoleScan(t.core, { dossier: 'S0100', device: 'test;rm -rf /' }, () => undefined)).rejects.toMatchObject({ code: 'SANE_DEVICE_INVALID' });
    for (const name of ['', '-L', 'a\nb', 'x'.repeat(201), "test:0'$(id)"]) {
      expect(() => checkDeviceName(name), name).toThrow(AppError);
    }
    for (const name of ['test', 'test:0', 'fujitsu:fi-7160:12345', 'escl:https://10.0.0.5:443', 'airscan:e0:Canon MF743C', 'hpaio:/usb/Officejet?serial=CN12']) {
      expect(checkDeviceName(name)).toBe(name);
    }

    await setting('scan.sane.device', 'nosuch:0');
    const missing = await scanner.post(`/api/scan-batches/${batch.id}/sane`, { body: { pages: 1 } });
    expect(missing.statusCode).toBe(409);
    expect(json(missing)).toMatchObject({ code: 'SANE_SCAN_FAILED' });
    expect(String(json(missing).message)).toContain('无法打开扫描仪');
    await setting('scan.sane.device', 'test');

    const frozen = await scanner.post(`/api/scan-batches/${batch.id}/sane`, { body: { materialId: '00000000-0000-7000-8000-000000000000' } });
    expect(json(frozen).code).toBe('MATERIAL_NOT_FOUND');
  });

  it('parses both listing formats', () => {
    expect(parseDeviceList("device `test:0' is a Noname frontend-tester virtual device\ndevice `fujitsu:fi-7160:1' is a FUJITSU fi-7160 scanner\n")).toEqual([
      { name: 'test:0', vendor: 'Noname', model: 'frontend-tester', type: 'virtual device' },
      { name: 'fujitsu:fi-7160:1', vendor: 'FUJITSU', model: 'fi-7160', type: 'scanner' },
    ]);
    const formatted = LIST_FORMAT.replace('%d', 'escl:https://10.0.0.5:443').replace('%v', 'Canon').replace('%m', 'MF743C').replace('%t', 'multi-function peripheral').replace('%n', '\n');
    expect(parseFormattedList(formatted)).toEqual([{ name: 'escl:https://10.0.0.5:443', vendor: 'Canon', model: 'MF743C', type: 'multi-function peripheral' }]);
  });
});
