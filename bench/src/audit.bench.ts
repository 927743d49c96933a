import { withDatabase } from './databases.js';
import { openCore } from '../../apps/server/src/app.js';
import { hashPassword, verifyPassword } from '../../apps/server/src/modules/auth/password-hasher.js';

const ctx = { userId: null, username: 'bench', roles: 'secadmin', clientIp: '127.0.0.1' };

/**
 * The audit chain's cost as it grows: appending is one locked head row per event, verifying walks every
 * event once. Both should stay linear; measured at 10k and 100k events (10×).
 */
export async function auditBench(kind: 'sqlite' | 'postgres'): Promise<void> {
  console.log(`\n审计哈希链（${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}，SM3）`);
  await withDatabase(kind, async (url, dataDir) => {
    const core = await openCore({ databaseUrl: url, dataDir, masterKey: '11'.repeat(32) });
    try {
      let total = 0;
      for (const target of [10_000, 100_000]) {
        const t0 = performance.now();
        const startCount = total;
        const batch = 500;
        while (total < target) {
          await core.handle.db.transaction().execute(async (trx) => {
            for (let i = 0; i < batch; i++) {
              await core.audit.append(trx, ctx, {
                action: 'unit.update', objectType: 'unit', objectId: `u${total + i}`, objectLabel: '测试单位',
                detail: { before: { name: `旧名称${total + i}` }, after: { name: `新名称${total + i}` } },
              });
            }
          });
          total += batch;
        }
        const appendMs = performance.now() - t0;
        const t1 = performance.now();
        // At 100k the chain also holds the 200 single events of the 10k round.
        const result = await core.auditService.verify(null);
        const verifyMs = performance.now() - t1;
        const single = [];
        for (let i = 0; i < 200; i++) {
          const s = performance.now();
          await core.audit.record(ctx, { action: 'auth.login', objectType: 'user', objectId: 'x' });
          single.push(performance.now() - s);
        }
        total += 200;
        single.sort((a, b) => a - b);
        console.log(
          `  ${target.toLocaleString()} 条：批量写入 ${(appendMs / 1000).toFixed(1)} s（${Math.round((target - startCount) / (appendMs / 1000)).toLocaleString()} 条/秒）；` +
            `单条独立事务写入 p50 ${single[100]!.toFixed(2)} ms、p95 ${single[190]!.toFixed(2)} ms；` +
            `全链校验 ${(verifyMs / 1000).toFixed(2)} s（${Math.round(result.checked / (verifyMs / 1000)).toLocaleString()} 条/秒，完整：${result.intact ? '是' : '否'}）`,
        );
      }
    } finally {
      await core.close();
    }
  });

  const hashes = [];
  const verifies = [];
  for (let i = 0; i < 10; i++) {
    const s = performance.now();
    const h = await hashPassword(`Bench-Passw0rd-${i}`);
    hashes.push(performance.now() - s);
    const v = performance.now();
    await verifyPassword(h, `Bench-Passw0rd-${i}`);
    verifies.push(performance.now() - v);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`口令哈希 argon2id（19 MiB，2 轮）：生成中位数 ${median(hashes).toFixed(1)} ms，校验中位数 ${median(verifies).toFixed(1)} ms`);
}
