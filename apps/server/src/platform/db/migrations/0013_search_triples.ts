import { PostgresAdapter, sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * PostgreSQL's search vectors now also hold each run of three adjacent Han characters (modules/search,
 * postgres.index.ts), which the queries rely on. Every indexed document is marked stale so the
 * incremental indexer writes it again in the new form (pages by their status rows, the catalogue by
 * its watermark); `dangan search reindex` does the same at once. SQLite's FTS5 index is unchanged.
 */
export async function up(db: AnyDb): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`update page_status set indexed_at = null where indexed_at is not null`.execute(db);
  await sql`delete from search_state where key = 'catalogue.indexedSince'`.execute(db);
}

export async function down(): Promise<void> {}
