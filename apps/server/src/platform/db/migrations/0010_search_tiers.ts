import { PostgresAdapter, sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * The search index in two parts, catalogue (cadres, materials) and pages, each searched on its own
 * (modules/search): on PostgreSQL one partial GIN index per part; on SQLite catalogue documents take
 * negative FTS5 row ids. Catalogue documents indexed before are dropped and the catalogue watermark
 * cleared, so the incremental indexer indexes the catalogue again, now in its part; pages stay.
 */
export async function up(db: AnyDb): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`drop index if exists search_docs_tsv`.execute(db);
    await sql`set local maintenance_work_mem = '512MB'`.execute(db);
    await sql`create index search_docs_tsv_page on search_docs using gin (tsv) where kind = 'page'`.execute(db);
    await sql`create index search_docs_tsv_catalogue on search_docs using gin (tsv) where kind <> 'page'`.execute(db);
    return;
  }
  await sql`delete from search_fts where rowid in (select seq from search_docs where kind <> 'page' and seq > 0)`.execute(db);
  await sql`delete from search_docs where kind <> 'page' and seq > 0`.execute(db);
  await sql`delete from search_state where key = 'catalogue.indexedSince'`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`drop index if exists search_docs_tsv_page`.execute(db);
    await sql`drop index if exists search_docs_tsv_catalogue`.execute(db);
    await sql`create index search_docs_tsv on search_docs using gin (tsv)`.execute(db);
  }
}
