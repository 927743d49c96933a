import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const PG_ADMIN = process.env.DANGAN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh database of the kind to measure, and a data directory; both removed afterwards. */
export async function withDatabase<T>(kind: 'sqlite' | 'postgres', fn: (url: string, dataDir: string) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dangan-bench-'));
  if (kind === 'sqlite') {
    try {
      return await fn(join(dataDir, 'bench.sqlite'), dataDir);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const name = `dangan_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString(), dataDir);
  } finally {
    await new Promise((r) => setTimeout(r, 200));
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

