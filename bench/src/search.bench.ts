import { sql } from 'kysely';
import { pinyinInitials } from '@dangan/domain';
import { openCore, type Core } from '../../apps/server/src/app.js';
import { SEARCH_CAP } from '../../apps/server/src/modules/search/search.service.js';
import type { CadreTable, DossierTable, MaterialTable, PageTable, PageTextTable } from '../../apps/server/src/platform/db/schema.js';
import type { SearchQuery } from '@dangan/contracts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withDatabase } from './databases.js';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建国文斌志海东晓燕宇飞鹏辉云峰波宁琳雪梅兰凤春晨浩然佳欣怡子涵';
const PHRASES = [
  '参加工作', '任科员', '任副科长', '任科长', '任副处长', '任处长', '加入中国共产党', '毕业于', '大学本科学历', '中央党校', '进修学习',
  '年度考核', '被评为优秀', '考核等次为称职', '工作认真负责', '思想政治素质好', '组织纪律性强', '群众基础较好', '受到表彰', '调任',
  '挂职锻炼', '参加培训班', '政治面貌', '籍贯', '出生于', '汉族', '工学学士学位', '经济学硕士学位', '县委组织部', '市委办公室', '财政局',
  '发展和改革委员会', '人民政府', '乡镇党委', '街道办事处', '主任', '副主任', '党委书记', '副书记', '干部履历表', '干部任免审批表',
  '考察材料', '民主推荐', '公示无异议', '试用期满', '经研究决定', '同意任命', '免去原职务', '廉洁自律', '联系群众',
];
const MATERIALS: [string, string][] = [
  ['1', '干部履历表'], ['2', '自传'], ['3', '年度考核登记表'], ['4-1', '学历学位材料'], ['5', '政审材料'], ['6', '入党志愿书'],
  ['7', '奖励材料'], ['9', '干部任免审批表'], ['9', '工资审批表'], ['10', '其他材料'],
];

function rng(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}
const next = rng(7);
const pick = <T>(xs: ArrayLike<T>): T => xs[Math.floor(next() * xs.length)]!;
const randomName = () => pick(SURNAMES) + pick(GIVEN) + (next() < 0.6 ? pick(GIVEN) : '');

/** About `chars` characters of résumé-like text: names, dates and stock phrases. */
function pageText(name: string, names: string[], chars: number): string[] {
  let text = '';
  while (text.length < chars) {
    const year = 1970 + Math.floor(next() * 50);
    const who = next() < 0.3 ? name : pick(names);
    text += `${who}同志${year}年${1 + Math.floor(next() * 12)}月${pick(PHRASES)}${pick(PHRASES)}，${pick(PHRASES)}${pick(PHRASES)}。`;
  }
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += 25) lines.push(text.slice(i, i + 25));
  return lines;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function seed(core: Core, cadres: number, pagesPerDossier: number, onProgress: (pages: number) => void): Promise<{ units: string[]; names: string[] }> {
  const db = core.handle.db;
  const now = new Date().toISOString();
  const units: string[] = [];
  await db.insertInto('units').values({ id: 'root', parent_id: null, code: 'ROOTX', name: '根', type: null, sort_order: 0, disabled: 0, created_at: now, updated_at: now }).execute();
  for (let u = 0; u < 50; u++) {
    units.push(`unit-${u}`);
    await db.insertInto('units').values({ id: `unit-${u}`, parent_id: 'root', code: `U${u}`, name: `单位${u}`, type: null, sort_order: u, disabled: 0, created_at: now, updated_at: now }).execute();
  }
  await db.insertInto('blobs').values({ id: 'sha256:bench', algorithm: 'sha256', hash: 'bench', size: 1, kind: 'original', format: 'jpeg', created_at: now }).execute();
  await db.insertInto('scan_batches').values({ id: 'batch', dossier_id: null, source: 'console', station: null, created_by: 'bench', created_by_id: null, created_at: now }).execute();
  await db.insertInto('scan_files').values({
    id: 'file', batch_id: 'batch', dossier_id: null, name: 'bench.jpg', size: 1, blob_id: 'sha256:bench', format: 'jpeg', page_count: 1, status: 'stored',
    error_code: null, error_message: null, duplicate_of: null, created_at: now,
  }).execute();
  const names = Array.from({ length: cadres }, randomName);
  const states = ['in_store', 'in_store', 'in_store', 'out_for_digitization', 'lent'];
  const perMaterial = Math.max(1, Math.round(pagesPerDossier / MATERIALS.length));
  let pagesDone = 0;
  for (let i = 0; i < cadres; i += 20) {
    const cs: CadreTable[] = [];
    const ds: DossierTable[] = [];
    const ms: MaterialTable[] = [];
    const ps: PageTable[] = [];
    const ts: PageTextTable[] = [];
    for (let j = i; j < Math.min(cadres, i + 20); j++) {
      const id = `c${String(j).padStart(7, '0')}`;
      const did = `d${String(j).padStart(7, '0')}`;
      const unit = units[j % units.length]!;
      cs.push({
        id, name: names[j]!, name_initials: pinyinInitials(names[j]!), gender: '1', birth_date: null, id_number: `1101${String(j).padStart(13, '0')}X`,
        id_number_check: null, ethnicity: null, native_place: null, birth_place: null, political_status: null, party_join_date: null, work_start_date: null,
        education: null, degree: null, position: null, rank: null, personnel_status: null, managing_unit_id: unit, created_at: now, updated_at: now,
      });
      ds.push({
        id: did, dossier_no: `A${String(j).padStart(7, '0')}`, cadre_id: id, custodian_unit_id: unit, location: '', state: states[j % states.length]!,
        secrecy_level: null, material_count: MATERIALS.length, page_count: pagesPerDossier, completeness_status: null, missing_count: null, created_at: now, updated_at: now,
      });
      MATERIALS.forEach(([classCode, name], k) => {
        const mid = `${did}-m${k}`;
        const formed = `${1980 + Math.floor(next() * 40)}-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}`;
        ms.push({
          id: mid, dossier_id: did, class_code: classCode, piece_no: k + 1, seq: `${classCode}-${k + 1}`, name, formed_on: formed, copies: 1, pages: perMaterial,
          remark: '', importance: null, manual_position: null, created_seq: k + 1, source_piece_no: null, deleted_at: null, deleted_by: null, delete_reason: null,
          created_at: now, updated_at: now,
        });
        for (let p = 0; p < perMaterial; p++) {
          const pid = `${mid}-p${p}`;
          ps.push({
            id: pid, dossier_id: did, material_id: mid, page_no: p + 1, unlinked_order: null, file_id: 'file', source_page: 1, original_blob_id: 'sha256:bench',
            master_blob_id: null, web_blob_id: null, thumb_blob_id: null, ops: '{}', analysis: null, steps: null, status: 'processed', error_code: null,
            error_message: null, version: 1, skew_deg: null, rotation: null, blank: null, blurry: null, blur_score: null, dpi: null, dpi_low: null, color_mode: null,
            edge_cut: null, phash: null, processed_at: now, replaces_page_id: null, deleted_at: null, deleted_by: null, delete_reason: null, created_at: now, updated_at: now,
          });
          const lines = pageText(names[j]!, names, 500);
          ts.push({
            page_id: pid, version: 1, engine: 'bench', text: lines.join('\n'), mean_confidence: 0.97, low_confidence_chars: 0, edited: 0, created_at: now, updated_at: now,
            lines: JSON.stringify(lines.map((text, n) => ({ text, box: [120, 150 + n * 60, 25 * 48, 48], confidence: 0.97 }))),
          });
        }
      });
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('cadres').values(cs).execute();
      await trx.insertInto('dossiers').values(ds).execute();
      await trx.insertInto('materials').values(ms).execute();
      for (let k = 0; k < ps.length; k += 200) await trx.insertInto('pages').values(ps.slice(k, k + 200)).execute();
      for (let k = 0; k < ts.length; k += 200) await trx.insertInto('page_text').values(ts.slice(k, k + 200)).execute();
    });
    pagesDone += ps.length;
    onProgress(pagesDone);
  }
  return { units, names };
}

/**
 * `npm run bench -- search [--db postgres] [--scale 0.1]`: 20,000 cadres × 50 pages of ~500 characters
 * (1,000,000 pages) at scale 1, indexed by `SearchService.reindex`; then p50/p95 of name, phrase,
 * boolean and filtered queries over all units.
 */
export async function searchBench(kind: 'sqlite' | 'postgres', scale = 1): Promise<void> {
  const cadres = Math.max(20, Math.round(20_000 * scale));
  const perDossier = 50;
  console.log(`\n全文检索（${kind === 'sqlite' ? 'SQLite FTS5' : 'PostgreSQL tsvector + GIN'}，规模 ${scale}：${cadres.toLocaleString()} 名干部、${(cadres * perDossier).toLocaleString()} 页，每页约 500 字）`);
  // DANGAN_BENCH_PG_URL / DANGAN_BENCH_SQLITE_PATH: measure against an existing database, seeded on
  // first use and kept afterwards (for EXPLAIN and for re-measuring without rebuilding).
  const keep = kind === 'postgres' ? process.env.DANGAN_BENCH_PG_URL : process.env.DANGAN_BENCH_SQLITE_PATH;
  const within = keep
    ? async (fn: (url: string, dataDir: string) => Promise<void>) => {
      const dir = mkdtempSync(join(tmpdir(), 'dangan-bench-'));
      try { await fn(keep, dir); } finally { rmSync(dir, { recursive: true, force: true }); }
    }
    : (fn: (url: string, dataDir: string) => Promise<void>) => withDatabase(kind, fn);
  await within(async (url, dataDir) => {
    const core = await openCore({ databaseUrl: url, dataDir, masterKey: '44'.repeat(32) });
    try {
      const existing = keep ? await core.handle.db.selectFrom('cadres').select('name').orderBy('id').execute() : [];
      if (existing.length) {
        await runQueries(core, existing.map((c) => c.name), Array.from({ length: 50 }, (_, u) => `unit-${u}`), existing.length);
        return;
      }
      const t0 = performance.now();
      let last = 0;
      const { units, names } = await seed(core, cadres, perDossier, (n) => {
        if (performance.now() - last > 15_000) {
          last = performance.now();
          console.log(`  造数中：${n.toLocaleString()} 页（${((performance.now() - t0) / 1000).toFixed(0)} s）`);
        }
      });
      console.log(`  造数 ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      const built = await core.search.reindex();
      const size = await core.search.index.sizeBytes(core.handle.db);
      const docs = built.cadres + built.materials + built.pages;
      console.log(`  建索引：${docs.toLocaleString()} 个文档（页面 ${built.pages.toLocaleString()}）用时 ${built.seconds.toFixed(0)} s，${(built.pages / built.seconds).toFixed(0)} 页/秒；索引大小 ${(size / 2 ** 20).toFixed(0)} MB`);
      if (kind === 'postgres') await sql`analyze`.execute(core.handle.db);
      await runQueries(core, names, units, cadres);
    } finally {
      await core.close();
    }
  });
}

async function runQueries(core: Core, names: string[], units: string[], cadres: number): Promise<void> {
  {
    {

      const base: SearchQuery = { q: '', page: 1, pageSize: 20, sort: 'relevance' };
      const kinds: [string, () => SearchQuery, ReadonlySet<string> | null][] = [
        ['姓名（2–3 字）', () => ({ ...base, q: pick(names) }), null],
        ['短语', () => ({ ...base, q: `"${pick(PHRASES)}${pick(PHRASES)}"` }), null],
        ['布尔 与/或/非', () => ({ ...base, q: `${pick(names)} OR ${pick(names)} ${pick(PHRASES)} -${pick(PHRASES)}` }), null],
        ['筛选（单位、类别、日期、范围）', () => ({ ...base, q: pick(names), unitId: 'root', classCode: '9', from: '1990', to: '2010' }), new Set(units.slice(0, 10))],
        ['按日期排序', () => ({ ...base, q: pick(names), sort: 'date' }), null],
        ['档案号', () => ({ ...base, q: `A${String(Math.floor(next() * cadres)).padStart(7, '0')}` }), null],
      ];
      for (const [label, make, scope] of kinds) {
        const times: number[] = [];
        let hits = 0;
        let capped = 0;
        let slowest = { ms: 0, q: '' };
        for (let i = 0; i < 45; i++) {
          const q = make();
          const s = performance.now();
          const r = await core.search.run(scope, q);
          const ms = performance.now() - s;
          if (i >= 5) times.push(ms);
          if (i >= 5 && ms > slowest.ms) slowest = { ms, q: q.q };
          hits += r.total;
          if (r.capped) capped++;
        }
        console.log(`  ${label.padEnd(16, '　')} p50 ${percentile(times, 50).toFixed(1)} ms  p95 ${percentile(times, 95).toFixed(1)} ms  （平均命中 ${(hits / 45).toFixed(0)}${capped ? `，${capped}/45 次超过上限 ${SEARCH_CAP}` : ''}）`);
        if (process.env.DANGAN_BENCH_SLOWEST) console.log(`      最慢：${slowest.q}（${slowest.ms.toFixed(1)} ms）`);
      }
      console.log('  目标：每类查询 p95 ≤ 200 ms');
    }
  }
}
