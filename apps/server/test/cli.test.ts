import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapCore, openCore } from '../src/app.js';
import { openDatabase, type DbHandle } from '../src/platform/db/connect.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { BOOT_PASSWORD, MASTER_KEY } from './harness.js';

const BIN = fileURLToPath(new URL('../bin/dangan.mjs', import.meta.url));
let database: TestDatabase;
let handle: DbHandle;

function dangan(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: database.url, DANGAN_DATA_DIR: database.dataDir, DANGAN_MASTER_KEY: MASTER_KEY },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  database = await createTestDatabase();
  const core = await openCore({ databaseUrl: database.url, dataDir: database.dataDir, masterKey: MASTER_KEY });
  await bootstrapCore(core, BOOT_PASSWORD, database.dataDir);
  await core.close();
  handle = openDatabase({ url: database.url });
});
afterAll(async () => {
  await handle.close();
  await database.drop();
});

describe('the dangan command', () => {
  it('migrate reports an up-to-date database', () => {
    const r = dangan('migrate');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('数据库已是最新');
  });

  it('user add creates a user who must change his password, with the roles named', async () => {
    const r = dangan('user', 'add', 'clerk', '--name', '张三', '--role', 'archivist', 'scanner', '--password', 'Filing-Passw0rd1');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('已创建用户 clerk（张三）');
    const row = await handle.db.selectFrom('users').selectAll().where('username', '=', 'clerk').executeTakeFirstOrThrow();
    expect(row.must_change_password).toBe(1);
    const roles = await handle.db.selectFrom('user_roles').innerJoin('roles', 'roles.id', 'user_roles.role_id').select('roles.code').where('user_id', '=', row.id).execute();
    expect(roles.map((x) => x.code).sort()).toEqual(['archivist', 'scanner']);
  });

  it('user add refuses bad input with a Chinese message, a stable code and exit status 2, writing nothing', async () => {
    const badRole = dangan('user', 'add', 'clerk2', '--name', '李四', '--role', 'no_such_role', '--password', 'Filing-Passw0rd1');
    expect(badRole.code).toBe(2);
    expect(badRole.err).toContain('错误 [ROLE_NOT_FOUND]');
    const weak = dangan('user', 'add', 'clerk2', '--name', '李四', '--password', 'short');
    expect(weak.code).toBe(2);
    expect(weak.err).toContain('PASSWORD_POLICY');
    const mixed = dangan('user', 'add', 'clerk2', '--name', '李四', '--role', 'auditor', 'archivist', '--password', 'Filing-Passw0rd1');
    expect(mixed.code).toBe(2);
    expect(mixed.err).toContain('SEPARATION_OF_DUTIES');
    const row = await handle.db.selectFrom('users').select('id').where('username', '=', 'clerk2').executeTakeFirst();
    expect(row).toBeUndefined();
  });

  it('user passwd resets the password (generated when not given) and forces a change', async () => {
    await handle.db.updateTable('users').set({ must_change_password: 0 }).where('username', '=', 'clerk').execute();
    const r = dangan('user', 'passwd', 'clerk');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/新密码：\S{16}/);
    const row = await handle.db.selectFrom('users').selectAll().where('username', '=', 'clerk').executeTakeFirstOrThrow();
    expect(row.must_change_password).toBe(1);
    expect(dangan('user', 'passwd', 'ghost').err).toContain('USER_NOT_FOUND');
  });

  it('user lock locks the account', async () => {
    const r = dangan('user', 'lock', 'clerk', '--minutes', '60');
    expect(r.code).toBe(0);
    const row = await handle.db.selectFrom('users').selectAll().where('username', '=', 'clerk').executeTakeFirstOrThrow();
    expect(row.locked_until! > new Date().toISOString()).toBe(true);
  });

  it('audit verify passes on an intact chain, and after a direct edit names the broken event and exits non-zero', async () => {
    const ok = dangan('audit', 'verify');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/审计链完整：共校验 \d+ 条记录/);
    const events = await handle.db.selectFrom('audit_events').select(['seq', 'action']).orderBy('seq').execute();
    // The console's own actions are in the log too.
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['user.create', 'user.password_reset', 'user.lock', 'audit.verify']));
    const victim = Number(events.find((e) => e.action === 'user.create')!.seq);
    await sql`update audit_events set object_label = 'mallory' where seq = ${victim}`.execute(handle.db);
    const broken = dangan('audit', 'verify');
    expect(broken.code).toBe(3);
    expect(broken.out).toContain(`第 ${victim} 条记录`);
    const asJson = JSON.parse(dangan('audit', 'verify', '--json').out) as { intact: boolean; firstBroken: { seq: number } };
    expect(asJson.intact).toBe(false);
    expect(asJson.firstBroken.seq).toBe(victim);
  });
});
