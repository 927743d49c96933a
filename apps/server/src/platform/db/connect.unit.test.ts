import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from './connect.js';

/** A second process on the same SQLite file (the CLI beside the server), as a plain connection. */
describe('SQLite transactions beside another process', () => {
  let dir: string;
  let handle: DbHandle;
  let other: SqliteDatabase.Database;

  function open(): void {
    dir = mkdtempSync(join(tmpdir(), 'dangan-connect-'));
    const file = join(dir, 'db.sqlite');
    handle = openDatabase({ url: file });
    other = new SqliteDatabase(file);
    other.pragma('busy_timeout = 0');
    other.exec('create table counter (n integer not null)');
    other.exec('insert into counter values (0)');
  }

  afterEach(async () => {
    other.close();
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds the write lock from the start, so a read-then-write transaction is never refused half-way', async () => {
    open();
    let refused: unknown = null;
    await handle.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ n: number }>`select n from counter`.execute(trx);
      // The other process tries to write between our read and our write: it must wait its turn
      // (here: be refused at once, as its busy timeout is zero), not slip in and break our transaction.
      try {
        other.exec('update counter set n = n + 100');
      } catch (err) {
        refused = err;
      }
      await sql`update counter set n = ${rows[0]!.n + 1}`.execute(trx);
    });
    expect((refused as { code?: string } | null)?.code).toBe('SQLITE_BUSY');
    expect(other.prepare('select n from counter').get()).toEqual({ n: 1 });
    // Once we commit, the other process writes normally.
    other.exec('update counter set n = n + 100');
    expect(other.prepare('select n from counter').get()).toEqual({ n: 101 });
  });
});
