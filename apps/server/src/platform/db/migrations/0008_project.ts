import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * The digitization project: batches of dossiers taken out for digitization, the hand-overs both
 * sides confirm, each dossier's stages and their history, the scan register's explanations, the
 * quality sample, inspections with their defects, and rework. User columns hold user ids; null
 * where the system acted.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('project_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique()) // PC-2026-001
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id')) // the creator's unit: whose batch it is
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text')
    .addColumn('requested_at', 'text')
    .addColumn('request_note', 'text')
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('approve_note', 'text')
    .addColumn('refused_by', 'text')
    .addColumn('refused_at', 'text')
    .addColumn('refuse_reason', 'text')
    .addColumn('sample_seed', 'integer')
    .addColumn('sample_percent', 'integer')
    .addColumn('sample_random_count', 'integer')
    .addColumn('sampled_by', 'text')
    .addColumn('sampled_at', 'text')
    .addColumn('accepted_by', 'text')
    .addColumn('accepted_at', 'text')
    .addColumn('accept_note', 'text')
    .addColumn('acceptance_refused_by', 'text')
    .addColumn('acceptance_refused_at', 'text')
    .addColumn('acceptance_refuse_reason', 'text')
    .addColumn('cancelled_by', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('cancel_reason', 'text')
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema.createIndex('project_batches_year_seq').on('project_batches').columns(['year', 'seq']).unique().execute();
  await db.schema.createIndex('project_batches_state').on('project_batches').column('state').execute();

  // `open_dossier_id` is the dossier id while the batch is open and null after: unique, so a dossier
  // is in one open batch at most, whatever the application does.
  await db.schema
    .createTable('project_batch_dossiers')
    .addColumn('batch_id', 'text', (c) => c.notNull().references('project_batches.id'))
    .addColumn('dossier_id', 'text', (c) => c.notNull().references('dossiers.id'))
    .addColumn('open_dossier_id', 'text', (c) => c.unique())
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addColumn('sample_reason', 'text') // random | check_failed; null = not in the sample
    .addColumn('check_run_id', 'text')
    .addColumn('check_state', 'text') // queued | running | done | failed
    .addColumn('check_failures', 'integer')
    .addColumn('check_warnings', 'integer')
    .addColumn('check_finished_at', 'text')
    .addPrimaryKeyConstraint('project_batch_dossiers_pk', ['batch_id', 'dossier_id'])
    .execute();
  await db.schema.createIndex('project_batch_dossiers_dossier').on('project_batch_dossiers').column('dossier_id').execute();

  await db.schema
    .createTable('project_stages')
    .addColumn('batch_id', 'text', (c) => c.notNull().references('project_batches.id'))
    .addColumn('dossier_id', 'text', (c) => c.notNull().references('dossiers.id'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // pending | in_progress | done
    .addColumn('started_by', 'text')
    .addColumn('started_at', 'text')
    .addColumn('finished_by', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('project_stages_pk', ['batch_id', 'dossier_id', 'stage'])
    .execute();

  await db.schema
    .createTable('project_stage_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('batch_id', 'text', (c) => c.notNull().references('project_batches.id'))
    .addColumn('dossier_id', 'text', (c) => c.notNull().references('dossiers.id'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull()) // start | finish | rework
    .addColumn('user_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('project_stage_events_batch').on('project_stage_events').columns(['batch_id', 'dossier_id']).execute();

  await db.schema
    .createTable('project_handovers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('batch_id', 'text', (c) => c.notNull().references('project_batches.id'))
    .addColumn('direction', 'text', (c) => c.notNull()) // out | in
    .addColumn('giver_id', 'text', (c) => c.notNull())
    .addColumn('receiver_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('giver_confirmed_at', 'text')
    .addColumn('receiver_confirmed_at', 'text')
    .addColumn('completed_at', 'text')
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('project_handovers_batch').on('project_handovers').column('batch_id').execute();

  await db.schema
    .createTable('project_handover_items')
    .addColumn('handover_id', 'text', (c) => c.notNull().references('project_handovers.id'))
    .addColumn('dossier_id', 'text', (c) => c.notNull().references('dossiers.id'))
    .addColumn('materials', 'integer', (c) => c.notNull())
    .addColumn('pages', 'integer', (c) => c.notNull())
    .addColumn('expected_materials', 'integer', (c) => c.notNull())
    .addColumn('expected_pages', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('project_handover_items_pk', ['handover_id', 'dossier_id'])
    .execute();

  await db.schema
    .createTable('project_scan_explanations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('batch_id', 'text', (c) => c.notNull().references('project_batches.id'))
    .addColumn('dossier_id', 'text', (c) => c.notNull().references('dossiers.id'))
    .addColumn('material_id', 'text', (c) => c.notNull().references('materials.id'))
    .addColumn('expected_pages', 'integer', (c) => c.notNull())
    .addColumn('scanned_pages', 'integer', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('project_scan_explanations_batch').on('project_scan_explanations').columns(['batch_id', 'dossier_id']).execute();

  await db.schema
    .createTable('project_inspections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('batch_id', 'text', (c) => c.notNull().references('project_batches.id'))
    .addColumn('dossier_id', 'text', (c) => c.notNull().references('dossiers.id'))
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('inspector_id', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('verdict', 'text') // pass | fail; null = open
    .addColumn('verdict_at', 'text')
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('project_inspections_round').on('project_inspections').columns(['batch_id', 'dossier_id', 'round']).unique().execute();

  await db.schema
    .createTable('project_rework')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('batch_id', 'text', (c) => c.notNull().references('project_batches.id'))
    .addColumn('dossier_id', 'text', (c) => c.notNull().references('dossiers.id'))
    .addColumn('inspection_id', 'text', (c) => c.notNull().unique().references('project_inspections.id'))
    .addColumn('assignee_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull()) // open | submitted | closed
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('submit_note', 'text')
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema.createIndex('project_rework_assignee').on('project_rework').columns(['assignee_id', 'state']).execute();
  await db.schema.createIndex('project_rework_batch').on('project_rework').column('batch_id').execute();

  await db.schema
    .createTable('project_defects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('inspection_id', 'text', (c) => c.notNull().references('project_inspections.id'))
    .addColumn('batch_id', 'text', (c) => c.notNull().references('project_batches.id'))
    .addColumn('dossier_id', 'text', (c) => c.notNull().references('dossiers.id'))
    .addColumn('page_id', 'text', (c) => c.references('pages.id'))
    .addColumn('material_id', 'text', (c) => c.references('materials.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('box', 'text') // JSON [x, y, w, h] in master pixels
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('rework_id', 'text', (c) => c.references('project_rework.id'))
    .addColumn('fixed_by', 'text')
    .addColumn('fixed_at', 'text')
    .addColumn('fix_note', 'text')
    .execute();
  await db.schema.createIndex('project_defects_inspection').on('project_defects').column('inspection_id').execute();
  await db.schema.createIndex('project_defects_batch').on('project_defects').column('batch_id').execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const t of [
    'project_defects', 'project_rework', 'project_inspections', 'project_scan_explanations', 'project_handover_items',
    'project_handovers', 'project_stage_events', 'project_stages', 'project_batch_dossiers', 'project_batches',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
