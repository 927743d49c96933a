// `npm run bench -- watermark [--db sqlite|postgres]`: 20 readers fetching 1600-px watermarked pages
// through a listening server over real HTTP. Prints figures; asserts nothing.
import { loadavg } from 'node:os';
import sharp from 'sharp';
import { v7 as uuidv7 } from 'uuid';
import { withDatabase } from './databases.js';
import { mulberry32, syntheticPage } from '../../packages/imaging/src/testing/synthetic.js';
import { bootstrapCore, buildApp, openCore } from '../../apps/server/src/app.js';
import { ManualClock } from '../../apps/server/src/platform/clock.js';
import { blobPort } from '../../apps/server/src/modules/scans/adapters.js';
import { Agent, BOOT_PASSWORD, json, roleId, rootUnitId, type TestApp } from '../../apps/server/test/harness.js';

const READERS = 20;
const SOURCE_PAGES = 8;
const PACED_S = 30;
const BURST_S = 10;
const PASSWORD = 'Bench-Passw0rd1';

/** Real time, which the harness may move forward (TOTP steps) but never back. */
class LiveClock extends ManualClock {
  private offset = 0;
  override now(): Date {
    return new Date(Date.now() + this.offset);
  }
  override advance(ms: number): void {
    this.offset += ms;
  }
}

interface Reader {
  cookie: string;
  session: string;
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

export async function watermarkBench(kind: 'sqlite' | 'postgres'): Promise<void> {
  console.log(`\n水印页面（${READERS} 名查阅人并发，1600 像素，真实 HTTP，${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}）`);
  await withDatabase(kind, async (url, dataDir) => {
    const clock = new LiveClock();
    const core = await openCore({ databaseUrl: url, dataDir, masterKey: '22'.repeat(32), clock });
    const app = await buildApp(core, { loginRateLimit: { max: 100_000, timeWindow: 60_000 } });
    const t = { app, core, clock } as unknown as TestApp;
    try {
      await bootstrapCore(core, BOOT_PASSWORD, dataDir);
      const sec = new Agent(t);
      await sec.signIn('secadmin', BOOT_PASSWORD);
      const { pageIds, dossierId } = await archive(t, sec);
      const readers = await signInReaders(t, sec, dossierId);
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      const view = async (r: Reader, page: string): Promise<number> => {
        const s = performance.now();
        const res = await fetch(`${address}/api/reading/sessions/${r.session}/pages/${page}/image?w=1600`, { headers: { cookie: `dangan_sid=${r.cookie}` } });
        const body = Buffer.from(await res.arrayBuffer());
        if (res.status !== 200 || body[0] !== 0xff) throw new Error(`页面请求失败：${res.status} ${body.toString().slice(0, 200)}`);
        return performance.now() - s;
      };
      const sample = await fetch(`${address}/api/reading/sessions/${readers[0]!.session}/pages/${pageIds[0]}/image?w=1600`, {
        headers: { cookie: `dangan_sid=${readers[0]!.cookie}` },
      });
      const meta = await sharp(Buffer.from(await sample.arrayBuffer())).metadata();
      console.log(`  输出：${meta.width}×${meta.height} JPEG（${meta.channels === 1 ? '灰度' : '彩色'}样页），源为处理流水线生成的 web 版（长边 1600）`);
      // Warm-up: every reader's tile rendered once, hot paths compiled.
      await Promise.all(readers.map((r, i) => view(r, pageIds[i % pageIds.length]!)));

      const run = async (label: string, seconds: number, think: (rnd: () => number) => number) => {
        const times: number[] = [];
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        const end = t0 + seconds * 1000;
        await Promise.all(readers.map(async (r, i) => {
          const rnd = mulberry32(100 + i);
          for (let n = i; performance.now() < end; n++) {
            times.push(await view(r, pageIds[n % pageIds.length]!));
            const wait = think(rnd);
            if (wait > 0) await new Promise((res) => setTimeout(res, wait));
          }
        }));
        const wall = (performance.now() - t0) / 1000;
        const cpu = process.cpuUsage(cpu0);
        times.sort((a, b) => a - b);
        console.log(
          `  ${label}：${times.length} 页，p50 ${pct(times, 50).toFixed(0)} ms、p95 ${pct(times, 95).toFixed(0)} ms、最大 ${times.at(-1)!.toFixed(0)} ms；` +
            `${(times.length / wall).toFixed(1)} 页/秒；每页 CPU ${((cpu.user + cpu.system) / 1000 / times.length).toFixed(1)} ms（含压测客户端）`,
        );
      };
      // A reader turns a page every 0.5–1.5 s, faster than anyone reads one (the alert rule flags far less).
      await run(`翻页间隔 0.5–1.5 秒，${PACED_S} 秒`, PACED_S, (rnd) => 500 + 1000 * rnd());
      // Saturation: every reader asks for the next page the moment the last one arrives.
      await run(`无间隔连续请求（饱和），${BURST_S} 秒`, BURST_S, () => 0);
      const logged = await core.handle.db.selectFrom('reading_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      console.log(`  阅读记录 ${Number(logged.n)} 行；负载 ${loadavg().map((l) => l.toFixed(2)).join(' ')}；CPU 核数 2`);
    } finally {
      await app.close();
      await core.close();
    }
  });
}

/** A dossier whose pages are web renditions made by the real pipeline from 300-dpi A4 scans. */
async function archive(t: TestApp, sec: Agent): Promise<{ dossierId: string; pageIds: string[] }> {
  const root = await rootUnitId(sec);
  const res = await sec.post('/api/users', {
    body: { username: 'benchclerk', displayName: '档案员', unitId: root, password: PASSWORD, roleIds: [await roleId(sec, 'archivist')], scope: { kind: 'unit_and_below', unitIds: [] } },
  });
  if (res.statusCode !== 200) throw new Error(res.body);
  const clerk = new Agent(t);
  await clerk.signIn('benchclerk', PASSWORD);
  const cadre = json<{ dossier: { id: string } }>(await clerk.post('/api/cadres', { body: { name: '王伟', managingUnitId: root, dossier: { dossierNo: 'BENCH01', custodianUnitId: root } } }));
  const dossierId = cadre.dossier.id;
  const catalogue = json<{ classes: { materials: { id: string }[] }[] }>(
    await clerk.post(`/api/dossiers/${dossierId}/materials`, { body: { classCode: '1', name: '干部履历表', formedOn: '1995-06', pages: SOURCE_PAGES } }),
  );
  const materialId = catalogue.classes[0]!.materials[0]!.id;

  const db = t.core.handle.db;
  const store = blobPort(t.core.blobs, async () => 'sm4');
  const now = new Date().toISOString();
  const batch = uuidv7();
  await db.insertInto('scan_batches').values({ id: batch, dossier_id: dossierId, source: 'upload', station: null, created_by: 'bench', created_by_id: null, created_at: now }).execute();
  const pageIds: string[] = [];
  for (let i = 0; i < SOURCE_PAGES; i++) {
    const color = i % 4 === 3;
    const page = syntheticPage({ dpi: 300, skewDeg: 0.4 * (i - 3), speckles: 200, content: 'text', seed: 700 + i, color, seal: color });
    const { width, height, channels } = page.image;
    const scan = await sharp(page.image.pixels, { raw: { width, height, channels } }).jpeg({ quality: 90 }).toBuffer();
    const processed = await t.core.imaging.process({ bytes: scan, page: 0 }, { minDpi: 300 });
    const ids: Record<string, string> = {};
    for (const [kind, bytes] of [['original', scan], ['master', processed.master], ['web', processed.web]] as const) {
      const { id } = await store.put(bytes, 'sha256');
      await db.insertInto('blobs').values({ id, algorithm: 'sha256', hash: id.slice(7), size: bytes.length, kind, format: 'jpeg', created_at: now }).execute();
      ids[kind] = id;
    }
    const file = uuidv7();
    await db.insertInto('scan_files').values({ id: file, batch_id: batch, dossier_id: dossierId, name: `p${i}.jpg`, size: scan.length, blob_id: ids.original!, format: 'jpeg', page_count: 1, status: 'stored', created_at: now }).execute();
    const id = uuidv7();
    await db.insertInto('pages').values({
      id, dossier_id: dossierId, material_id: materialId, page_no: i + 1, file_id: file, source_page: 1, original_blob_id: ids.original!,
      master_blob_id: ids.master!, web_blob_id: ids.web!, thumb_blob_id: null, ops: '{}', status: 'processed', version: 1, created_at: now, updated_at: now,
    }).execute();
    pageIds.push(id);
  }
  return { dossierId, pageIds };
}

/** Readers with a running grant each (as the requests module stores one) and an open reading window. */
async function signInReaders(t: TestApp, sec: Agent, dossierId: string): Promise<Reader[]> {
  const root = await rootUnitId(sec);
  const readerRole = await roleId(sec, 'reader');
  const db = t.core.handle.db;
  const cadre = await db.selectFrom('dossiers').innerJoin('cadres', 'cadres.id', 'dossiers.cadre_id').select(['cadres.id', 'cadres.managing_unit_id'])
    .where('dossiers.id', '=', dossierId).executeTakeFirstOrThrow();
  const readers: Reader[] = [];
  for (let i = 0; i < READERS; i++) {
    const res = await sec.post('/api/users', {
      body: { username: `reader${i}`, displayName: `查阅人${i + 1}`, unitId: root, password: PASSWORD, roleIds: [readerRole], scope: { kind: 'own_unit', unitIds: [] } },
    });
    if (res.statusCode !== 200) throw new Error(res.body);
    const userId = json<{ id: string }>(res).id;
    const now = new Date();
    const until = new Date(now.getTime() + 86_400_000).toISOString();
    const requestId = uuidv7();
    await db.insertInto('access_requests').values({
      id: requestId, request_no: `CY2026-${String(i + 1).padStart(4, '0')}`, year: 2026, seq: i + 1, requester_id: userId, requester_unit_id: root,
      purpose: '01', purpose_note: '', mode: 'read', scope_kind: 'classes', scope_classes: '["1"]', period_from: now.toISOString(), period_to: until,
      print_limit: 0, prints_used: 0, levels_required: 1, levels_done: 1, state: 'approved', created_at: now.toISOString(), updated_at: now.toISOString(),
      decided_at: now.toISOString(), granted_from: new Date(now.getTime() - 1000).toISOString(), granted_until: until,
    }).execute();
    await db.insertInto('access_request_dossiers').values({ request_id: requestId, dossier_id: dossierId, cadre_id: cadre.id, managing_unit_id: cadre.managing_unit_id }).execute();
    const agent = new Agent(t, '127.0.0.1');
    await agent.signIn(`reader${i}`, PASSWORD);
    const session = json<{ id: string }>(await agent.post('/api/reading/sessions', { body: { requestId, dossierId } }));
    readers.push({ cookie: agent.cookie!, session: session.id });
  }
  return readers;
}
