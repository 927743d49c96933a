import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Page text: the OCR lines of each page (box, text, confidence), the proofreader's edits, and the
 * ledger columns that say which version of a page was read and indexed.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('page_text')
    .addColumn('page_id', 'text', (c) => c.primaryKey().references('pages.id'))
    .addColumn('version', 'integer', (c) => c.notNull()) // the page version (its operations) that was read
    .addColumn('engine', 'text', (c) => c.notNull())
    .addColumn('lines', 'text', (c) => c.notNull()) // JSON [{ text, box: [x, y, w, h] in master pixels, confidence, chars? }]
    .addColumn('text', 'text', (c) => c.notNull()) // the lines joined with "\n", after proofreading edits
    .addColumn('mean_confidence', 'real')
    .addColumn('low_confidence_chars', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('edited', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('page_text_edits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('page_id', 'text', (c) => c.notNull().references('pages.id'))
    .addColumn('line_index', 'integer', (c) => c.notNull())
    .addColumn('before', 'text', (c) => c.notNull())
    .addColumn('after', 'text', (c) => c.notNull())
    .addColumn('edited_by', 'text', (c) => c.notNull())
    .addColumn('edited_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('page_text_edits_page').on('page_text_edits').column('page_id').execute();

  await db.schema.alterTable('page_status').addColumn('ocr_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('page_status').addColumn('ocr_at', 'text').execute();
  await db.schema.alterTable('page_status').addColumn('ocr_runs', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('page_status').addColumn('indexed_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('page_status').addColumn('indexed_at', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const c of ['indexed_at', 'indexed_version', 'ocr_runs', 'ocr_at', 'ocr_version']) await db.schema.alterTable('page_status').dropColumn(c).execute();
  await db.schema.dropTable('page_text_edits').execute();
  await db.schema.dropTable('page_text').execute();
}
