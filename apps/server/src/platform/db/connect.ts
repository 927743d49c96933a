import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver,
  type DatabaseConnection, type Driver, type SqliteDialectConfig, type Transaction,
} from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type DatabaseKind = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
/** Anything queries can run on: the database or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

export interface DbHandle {
  db: Db;
  kind: DatabaseKind;
  close(): Promise<void>;
}

export interface DbConfig {
  /** `postgres://…` for PostgreSQL; otherwise the SQLite file path (or `:memory:`). */
  url: string;
}

export function databaseKind(url: string): DatabaseKind {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
}

export function openDatabase(config: DbConfig): DbHandle {
  const kind = databaseKind(config.url);
  if (kind === 'postgres') {
    // Counts and bigint sums come back as strings by default; ours fit in a double.
    pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
    const pool = new pg.Pool({ connectionString: config.url, max: 10 });
    // An idle connection that the server drops (restart, failover) must not take the process down;
    // the pool replaces it on the next query.
    pool.on('error', (err) => {
      process.emitWarning(`PostgreSQL 空闲连接出错：${err.message}`);
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind, close: () => db.destroy() };
  }
  if (config.url !== ':memory:') mkdirSync(dirname(config.url), { recursive: true, mode: 0o700 });
  const sqlite = new SqliteDatabase(config.url);
  // Password hashes and the audit log live here: readable by the service account only. SQLite gives
  // its -wal and -shm files the database file's mode.
  if (config.url !== ':memory:') chmodSync(config.url, 0o600);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
  return { db, kind, close: () => db.destroy() };
}

/**
 * Kysely opens SQLite transactions with a plain (deferred) `begin`: the write lock is taken at the first
 * write. When another process (the CLI beside a running server, or a PROCESS_MODE=worker process) has
 * written since this transaction's first read, SQLite cannot upgrade it and answers SQLITE_BUSY at once,
 * without waiting out busy_timeout. Our transactions read and then write (the audit chain head, counters,
 * state checks), so each takes the write lock up front with `begin immediate` and waits its turn instead.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}
