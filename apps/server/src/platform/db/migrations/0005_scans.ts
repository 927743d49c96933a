import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Scans: stored files (content-addressed blobs), upload batches and files, page images with their
 * processing results, each page's step ledger, and the job queue that drives the pipeline.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('blobs')
    .addColumn('id', 'text', (c) => c.primaryKey()) // `<algorithm>:<hex>` of the plaintext
    .addColumn('algorithm', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // original | master | web | thumb
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull()) // queued | running | done | failed
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(3))
    .addColumn('run_after', 'text', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('jobs_ready').on('jobs').columns(['state', 'run_after']).execute();

  await db.schema
    .createTable('scan_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dossier_id', 'text', (c) => c.references('dossiers.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('station', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_by_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scan_batches_dossier').on('scan_batches').column('dossier_id').execute();

  await db.schema
    .createTable('scan_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('batch_id', 'text', (c) => c.notNull().references('scan_batches.id'))
    .addColumn('dossier_id', 'text', (c) => c.references('dossiers.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('blob_id', 'text', (c) => c.references('blobs.id'))
    .addColumn('format', 'text')
    .addColumn('page_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull()) // stored | duplicate | rejected
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('duplicate_of', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scan_files_batch').on('scan_files').column('batch_id').execute();
  await db.schema.createIndex('scan_files_blob').on('scan_files').column('blob_id').execute();

  await db.schema
    .createTable('pages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dossier_id', 'text', (c) => c.notNull().references('dossiers.id'))
    .addColumn('material_id', 'text', (c) => c.references('materials.id'))
    .addColumn('page_no', 'integer')
    .addColumn('unlinked_order', 'integer')
    .addColumn('file_id', 'text', (c) => c.notNull().references('scan_files.id'))
    .addColumn('source_page', 'integer', (c) => c.notNull())
    .addColumn('original_blob_id', 'text', (c) => c.notNull().references('blobs.id'))
    .addColumn('master_blob_id', 'text', (c) => c.references('blobs.id'))
    .addColumn('web_blob_id', 'text', (c) => c.references('blobs.id'))
    .addColumn('thumb_blob_id', 'text', (c) => c.references('blobs.id'))
    .addColumn('ops', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('analysis', 'text')
    .addColumn('steps', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // pending | processing | processed | failed
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('skew_deg', 'real')
    .addColumn('rotation', 'integer')
    .addColumn('blank', 'integer')
    .addColumn('blurry', 'integer')
    .addColumn('blur_score', 'real')
    .addColumn('dpi', 'integer')
    .addColumn('dpi_low', 'integer')
    .addColumn('color_mode', 'text')
    .addColumn('edge_cut', 'integer')
    .addColumn('phash', 'text')
    .addColumn('processed_at', 'text')
    .addColumn('replaces_page_id', 'text')
    .addColumn('deleted_at', 'text')
    .addColumn('deleted_by', 'text')
    .addColumn('delete_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pages_dossier').on('pages').column('dossier_id').execute();
  await db.schema.createIndex('pages_material').on('pages').columns(['material_id', 'page_no']).execute();
  await db.schema.createIndex('pages_file').on('pages').column('file_id').execute();

  // The step ledger: which pipeline steps are done for which version of the page's operations.
  await db.schema
    .createTable('page_status')
    .addColumn('page_id', 'text', (c) => c.primaryKey().references('pages.id'))
    .addColumn('stored_at', 'text', (c) => c.notNull())
    .addColumn('processed_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('processed_at', 'text')
    .addColumn('process_runs', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const t of ['page_status', 'pages', 'scan_files', 'scan_batches', 'jobs', 'blobs']) await db.schema.dropTable(t).execute();
}
