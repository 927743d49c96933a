// `npm run bench -- [audit] [--db sqlite|postgres]`: prints figures; asserts nothing.
import { auditBench } from './audit.bench.js';

const args = process.argv.slice(2);
const dbIndex = args.indexOf('--db');
const which = args.filter((a, i) => !a.startsWith('--') && (dbIndex < 0 || i !== dbIndex + 1));
const db = dbIndex >= 0 ? args[dbIndex + 1] : 'sqlite';
if (db !== 'sqlite' && db !== 'postgres') throw new Error('--db 须为 sqlite 或 postgres');

const benches: Record<string, () => Promise<void>> = { audit: () => auditBench(db) };
for (const name of which.length ? which : Object.keys(benches)) {
  const run = benches[name];
  if (!run) throw new Error(`未知的测量项：${name}（可用：${Object.keys(benches).join('、')}）`);
  await run();
}
