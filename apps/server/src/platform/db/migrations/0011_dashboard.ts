import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * The dashboard reads windows of time: pages ingested, stage finishes and inspection verdicts since a
 * day. Without these indexes each look would read the whole pages table, which holds every page of
 * the archive.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.createIndex('pages_created').on('pages').column('created_at').execute();
  await db.schema.createIndex('project_stage_events_at').on('project_stage_events').column('at').execute();
  await db.schema.createIndex('project_inspections_verdict_at').on('project_inspections').column('verdict_at').execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const name of ['project_inspections_verdict_at', 'project_stage_events_at', 'pages_created']) {
    await db.schema.dropIndex(name).execute();
  }
}
