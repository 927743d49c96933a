import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** Automatic checks (数据校验): a run per dossier and request, and its findings. */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('check_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dossier_id', 'text', (c) => c.notNull().references('dossiers.id'))
    .addColumn('batch_id', 'text')
    .addColumn('context', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('warnings', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('params', 'text')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('check_runs_dossier').on('check_runs').columns(['dossier_id', 'requested_at']).execute();

  await db.schema
    .createTable('check_findings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull().references('check_runs.id'))
    .addColumn('dossier_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('material_id', 'text')
    .addColumn('page_id', 'text')
    .addColumn('detail', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('check_findings_run').on('check_findings').columns(['run_id', 'position']).execute();
  await db.schema.createIndex('check_findings_page').on('check_findings').column('page_id').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('check_findings').execute();
  await db.schema.dropTable('check_runs').execute();
}
