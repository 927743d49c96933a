import { PostgresAdapter, sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * The search index: `search_docs`, one row per searchable document (a cadre with his dossier, a
 * material, a page's text), and its full-text structure — an FTS5 table on SQLite, a tsvector column
 * with a GIN index on PostgreSQL (see modules/search). `search_state` keeps the catalogue watermark of
 * the incremental indexer.
 */
export async function up(db: AnyDb): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  if (postgres) {
    await sql`create table search_docs (
      doc_id text primary key, kind text not null, cadre_id text not null, dossier_id text, material_id text, page_id text,
      updated_at text not null, tsv tsvector not null)`.execute(db);
    await sql`create index search_docs_tsv on search_docs using gin (tsv)`.execute(db);
  } else {
    await sql`create table search_docs (
      seq integer primary key, doc_id text not null unique, kind text not null, cadre_id text not null, dossier_id text, material_id text,
      page_id text, updated_at text not null)`.execute(db);
    await sql`create virtual table search_fts using fts5(u, b, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0')`.execute(db);
  }
  await db.schema.createIndex('search_docs_cadre').on('search_docs').column('cadre_id').execute();
  await db.schema
    .createTable('search_state')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.dropTable('search_state').execute();
  if (!postgres) await sql`drop table search_fts`.execute(db);
  await db.schema.dropTable('search_docs').execute();
}
