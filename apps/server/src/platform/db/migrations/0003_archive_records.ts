import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Cadres, their dossiers and the catalogue. Partial dates (year; year-month; full date) are stored as
 * ISO prefixes — `2003`, `2003-05`, `2003-05-07` — which sort as text with an unknown month before the
 * known months of its year, the order the catalogue rules use.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('cadres')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_initials', 'text', (c) => c.notNull())
    .addColumn('gender', 'text')
    .addColumn('birth_date', 'text')
    .addColumn('id_number', 'text', (c) => c.unique())
    .addColumn('id_number_check', 'text')
    .addColumn('ethnicity', 'text')
    .addColumn('native_place', 'text')
    .addColumn('birth_place', 'text')
    .addColumn('political_status', 'text')
    .addColumn('party_join_date', 'text')
    .addColumn('work_start_date', 'text')
    .addColumn('education', 'text')
    .addColumn('degree', 'text')
    .addColumn('position', 'text')
    .addColumn('rank', 'text')
    .addColumn('personnel_status', 'text')
    .addColumn('managing_unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cadres_unit_name').on('cadres').columns(['managing_unit_id', 'name']).execute();
  await db.schema.createIndex('cadres_name').on('cadres').column('name').execute();
  await db.schema.createIndex('cadres_initials').on('cadres').column('name_initials').execute();

  await db.schema
    .createTable('dossiers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dossier_no', 'text', (c) => c.notNull().unique())
    .addColumn('cadre_id', 'text', (c) => c.notNull().unique().references('cadres.id'))
    .addColumn('custodian_unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('location', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('secrecy_level', 'text')
    .addColumn('material_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('page_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('completeness_status', 'text')
    .addColumn('missing_count', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dossiers_state').on('dossiers').column('state').execute();
  await db.schema.createIndex('dossiers_completeness').on('dossiers').column('completeness_status').execute();

  await db.schema
    .createTable('materials')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dossier_id', 'text', (c) => c.notNull().references('dossiers.id'))
    .addColumn('class_code', 'text', (c) => c.notNull())
    .addColumn('piece_no', 'integer', (c) => c.notNull())
    .addColumn('seq', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('formed_on', 'text')
    .addColumn('copies', 'integer', (c) => c.notNull())
    .addColumn('pages', 'integer', (c) => c.notNull())
    .addColumn('remark', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('importance', 'integer')
    .addColumn('manual_position', 'integer')
    .addColumn('created_seq', 'bigint', (c) => c.notNull())
    .addColumn('source_piece_no', 'integer')
    .addColumn('deleted_at', 'text')
    .addColumn('deleted_by', 'text')
    .addColumn('delete_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('materials_dossier').on('materials').columns(['dossier_id', 'class_code', 'piece_no']).execute();

  await db.schema
    .createTable('completeness_rules')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('class_code', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  await db.schema
    .createTable('missing_materials')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dossier_id', 'text', (c) => c.notNull().references('dossiers.id'))
    .addColumn('rule_code', 'text')
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('noted_at', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text')
    .addColumn('filed_at', 'text')
    .addColumn('remark', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('missing_materials_dossier').on('missing_materials').columns(['dossier_id', 'state']).execute();
}
