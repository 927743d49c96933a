import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { syntheticPage } from '../../packages/imaging/src/testing/synthetic.js';
import { setJfifDensity } from '../../packages/imaging/src/process.js';
import { openCore } from '../../apps/server/src/app.js';
import { SYSTEM_CONTEXT } from '../../apps/server/src/modules/audit/audit.log.js';
import { importScans } from '../../apps/server/src/modules/scans/import.command.js';
import { withDatabase } from './databases.js';

/**
 * The whole way in, as `dangan import` does it: read each 300-dpi A4 scan, check it (type, limits, a
 * full decode), hash, encrypt and store the original, register and link its page, then process it on
 * two threads (orient, deskew, crop, despeckle, measure, master + web + thumbnail, each encrypted and
 * stored) and record the results. Prints pages per second and where the time goes.
 */
export async function ingestBench(kind: 'sqlite' | 'postgres', scale = 1): Promise<void> {
  const pages = Math.max(4, Math.round(48 * scale));
  console.log(`\n扫描图像入库全流程（${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}，本地磁盘加密存储，${pages} 页 300 dpi A4 灰度 JPEG，2 个处理线程）`);
  const inbox = mkdtempSync(join(tmpdir(), 'dangan-ingest-'));
  try {
    for (let i = 0; i < pages; i++) {
      const page = syntheticPage({ dpi: 300, skewDeg: ((i % 9) - 4) * 0.9, borderMm: i % 2 ? 8 : 0, speckles: 300, seed: 500 + i });
      const { width, height } = page.image;
      const jpeg = await sharp(page.image.pixels, { raw: { width, height, channels: 1 } }).toColourspace('b-w').jpeg({ quality: 90 }).toBuffer();
      writeFileSync(join(inbox, `B0001_01-001_${String(i + 1).padStart(3, '0')}.jpg`), setJfifDensity(jpeg, 300));
    }
    await withDatabase(kind, async (url, dataDir) => {
      const core = await openCore({ databaseUrl: url, dataDir, masterKey: '33'.repeat(32), imagingThreads: 2 });
      try {
        const db = core.handle.db;
        const now = new Date().toISOString();
        await db.insertInto('units').values({ id: 'u1', parent_id: null, code: 'U1', name: '单位', type: null, sort_order: 0, disabled: 0, created_at: now, updated_at: now }).execute();
        await db.insertInto('cadres').values({
          id: 'c1', name: '王伟', name_initials: 'WW', gender: '1', birth_date: '1970-05', id_number: null, id_number_check: null, ethnicity: null,
          native_place: null, birth_place: null, political_status: null, party_join_date: null, work_start_date: null, education: null, degree: null,
          position: null, rank: null, personnel_status: null, managing_unit_id: 'u1', created_at: now, updated_at: now,
        }).execute();
        await db.insertInto('dossiers').values({
          id: 'd1', dossier_no: 'B0001', cadre_id: 'c1', custodian_unit_id: 'u1', location: '', state: 'in_store', secrecy_level: null,
          material_count: 1, page_count: pages, completeness_status: null, missing_count: null, created_at: now, updated_at: now,
        }).execute();
        await db.insertInto('materials').values({
          id: 'm1', dossier_id: 'd1', class_code: '1', piece_no: 1, seq: '1-1', name: '干部履历表', formed_on: '1990', copies: 1, pages, remark: '',
          importance: null, manual_position: null, created_seq: 1, source_piece_no: null, deleted_at: null, deleted_by: null, delete_reason: null,
          created_at: now, updated_at: now,
        }).execute();
        await core.runner.start();
        const started = performance.now();
        const startedAt = Date.now();
        const summary = await importScans(
          { db, scans: core.scans, runner: core.runner },
          { path: inbox, actor: { ...SYSTEM_CONTEXT, username: 'bench' }, progress: false },
        );
        const seconds = (performance.now() - started) / 1000;
        const linked = await db.selectFrom('pages').select('id').where('material_id', '=', 'm1').execute();
        console.log(`  接收文件 ${summary.files.stored} 个，处理 ${summary.pages.processed} 页，失败 ${summary.pages.failed} 页，挂接 ${linked.length} 页`);
        console.log(`  接收（检查、哈希、加密存储、登记挂接）${(summary.receivedMs / 1000).toFixed(1)} s，处理与之并行`);
        console.log(`  全流程（含文字识别）：${seconds.toFixed(1)} s，${(pages / seconds).toFixed(2)} 页/秒（${((pages / seconds) * 60).toFixed(0)} 页/分钟）`);
        const last = async (column: 'processed_at' | 'ocr_at') => {
          const rows = await db.selectFrom('page_status').select(column).execute();
          const times = rows.map((r) => r[column]).filter((v): v is string => !!v).map((v) => Date.parse(v));
          return times.length ? (Math.max(...times) - startedAt) / 1000 : NaN;
        };
        const imaged = await last('processed_at');
        const read = await last('ocr_at');
        console.log(`  图像处理全部完成：${imaged.toFixed(1)} s，${(pages / imaged).toFixed(2)} 页/秒（含接收）`);
        console.log(`  文字识别全部完成：${read.toFixed(1)} s（本测量的页面是合成的字形块而非真实文字，识别耗时不具代表性；识别速度见 npm run bench -- ocr）`);
        const steps = await db.selectFrom('pages').select('steps').execute();
        const totals = new Map<string, number>();
        for (const r of steps) for (const s of JSON.parse(r.steps ?? '[]') as { name: string; ms: number }[]) totals.set(s.name, (totals.get(s.name) ?? 0) + s.ms);
        console.log(`  图像处理各步平均（单线程）：${[...totals].map(([k, v]) => `${k} ${(v / pages).toFixed(0)} ms`).join('，')}`);
      } finally {
        await core.close();
      }
    });
  } finally {
    rmSync(inbox, { recursive: true, force: true });
  }
}
