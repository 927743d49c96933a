// `npm run bench -- [audit] [--db sqlite|postgres]`: prints figures; asserts nothing.
import { auditBench } from './audit.bench.js';
import { catalogueBench } from './catalogue.bench.js';
import { ingestBench } from './ingest.bench.js';
import { imagingBench } from './imaging.bench.js';
import { ocrBench } from './ocr.bench.js';
import { searchBench } from './search.bench.js';
import { watermarkBench } from './watermark.bench.js';

const args = process.argv.slice(2);
const dbIndex = args.indexOf('--db');
const valueIndexes = new Set([args.indexOf('--db') + 1, args.indexOf('--scale') + 1].filter((i) => i > 0));
const which = args.filter((a, i) => !a.startsWith('--') && !valueIndexes.has(i));
const db = dbIndex >= 0 ? args[dbIndex + 1] : 'sqlite';
if (db !== 'sqlite' && db !== 'postgres') throw new Error('--db 须为 sqlite 或 postgres');

const scaleIndex = args.indexOf('--scale');
const scale = scaleIndex >= 0 ? Number(args[scaleIndex + 1]) : 1;
const benches: Record<string, () => Promise<void>> = {
  audit: () => auditBench(db),
  cadres: () => catalogueBench(db, scale),
  ingest: () => ingestBench(db, scale),
  imaging: () => imagingBench(),
  ocr: () => ocrBench(),
  search: () => searchBench(db, scale),
  watermark: () => watermarkBench(db),
};
for (const name of which.length ? which : Object.keys(benches)) {
  const run = benches[name];
  if (!run) throw new Error(`未知的测量项：${name}（可用：${Object.keys(benches).join('、')}）`);
  await run();
}
