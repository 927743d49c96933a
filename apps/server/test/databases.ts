import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export type TestDbKind = 'sqlite' | 'postgres';

export function testDbKind(): TestDbKind {
  const db = process.env.DB ?? 'sqlite';
  if (db !== 'sqlite' && db !== 'postgres') throw new Error(`DB must be sqlite or postgres, not ${db}`);
  return db;
}

/** The PostgreSQL server the tests create their databases on (trust auth on this machine). */
export const PG_ADMIN_URL = process.env.DANGAN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  kind: TestDbKind;
  url: string;
  dataDir: string;
  drop(): Promise<void>;
}

/** A fresh, empty database of the kind under test, and a data directory; both removed by `drop`. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const kind = testDbKind();
  const dataDir = mkdtempSync(join(tmpdir(), 'dangan-test-'));
  if (kind === 'sqlite') {
    return { kind, url: join(dataDir, 'test.sqlite'), dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `dangan_t_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.toString(),
    dataDir,
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        // The app's pool has been ended, but its connections close a moment later; wait for them
        // rather than kill them, and force only if they linger.
        for (let i = 0; i < 40; i++) {
          try {
            await c.query(`drop database if exists ${name}`);
            break;
          } catch (err) {
            if ((err as { code?: string }).code !== '55006') throw err;
            await new Promise((r) => setTimeout(r, 50));
          }
        }
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
