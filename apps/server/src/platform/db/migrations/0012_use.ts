import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { dictionarySeed } from '../../../modules/dictionary/dictionary.seed.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Controlled use (利用): cadres' family members and users' own identity (for 回避), access requests with
 * their dossiers, materials and approvals (an approved request is the time-boxed grant), reading
 * sessions and the page-by-page reading log, prints with serial numbers, paper lending, and the
 * security alerts raised from the audit log. User columns hold user ids.
 */
export async function up(db: AnyDb): Promise<void> {
  // Dictionary tables added after the first release: a fresh database got them from 0002.
  const now = new Date().toISOString();
  const known = new Set((await db.selectFrom('dictionary_types').select('type').execute()).map((r) => r.type as string));
  let sort = Number((await db.selectFrom('dictionary_types').select((eb) => eb.fn.max('sort_order').as('m')).executeTakeFirst())?.m ?? 0);
  for (const t of dictionarySeed.filter((d) => ['use_purpose', 'relation'].includes(d.type) && !known.has(d.type))) {
    await db.insertInto('dictionary_types')
      .values({ type: t.type, label: t.label, standard: t.standard ?? null, hierarchical: t.hierarchical ? 1 : 0, sort_order: ++sort })
      .execute();
    await db.insertInto('dictionary_entries').values(t.entries.map((e, i) => ({
      id: uuidv7(), type: t.type, code: e.code, label: e.label, parent_code: null, sort_order: (i + 1) * 10, enabled: 1,
      created_at: now, updated_at: now,
    }))).execute();
  }

  // Who a user is, so 回避 can match him against cadres and their families.
  await db.schema.alterTable('users').addColumn('id_number', 'text').execute();
  await db.schema.alterTable('users').addColumn('birth_date', 'text').execute();
  await db.schema.createIndex('users_id_number').on('users').column('id_number').execute();

  await db.schema
    .createTable('cadre_relatives')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cadre_id', 'text', (c) => c.notNull().references('cadres.id'))
    .addColumn('relation', 'text', (c) => c.notNull()) // dictionary `relation`
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('id_number', 'text')
    .addColumn('birth_date', 'text')
    .addColumn('work_unit', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cadre_relatives_cadre').on('cadre_relatives').column('cadre_id').execute();
  await db.schema.createIndex('cadre_relatives_id_number').on('cadre_relatives').column('id_number').execute();
  await db.schema.createIndex('cadre_relatives_name_birth').on('cadre_relatives').columns(['name', 'birth_date']).execute();

  await db.schema
    .createTable('access_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_no', 'text', (c) => c.notNull().unique()) // CY2026-0001
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('requester_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('requester_unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('purpose', 'text', (c) => c.notNull()) // dictionary `use_purpose`
    .addColumn('purpose_note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('mode', 'text', (c) => c.notNull()) // read | print | excerpt | lend
    .addColumn('scope_kind', 'text', (c) => c.notNull()) // dossier | classes | materials
    .addColumn('scope_classes', 'text') // JSON array of class codes ('1', '4-1', '9') when scope_kind = classes
    .addColumn('period_from', 'text', (c) => c.notNull()) // requested window, ISO timestamps
    .addColumn('period_to', 'text', (c) => c.notNull())
    .addColumn('print_limit', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('prints_used', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('levels_required', 'integer', (c) => c.notNull())
    .addColumn('levels_done', 'integer', (c) => c.notNull().defaultTo(0))
    // pending | approved | refused | withdrawn | revoked | expired
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('granted_from', 'text')
    .addColumn('granted_until', 'text')
    .addColumn('revoked_by', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('revoke_reason', 'text')
    .addColumn('expired_at', 'text')
    .execute();
  await db.schema.createIndex('access_requests_year_seq').on('access_requests').columns(['year', 'seq']).unique().execute();
  await db.schema.createIndex('access_requests_requester').on('access_requests').columns(['requester_id', 'state']).execute();
  await db.schema.createIndex('access_requests_state').on('access_requests').columns(['state', 'granted_until']).execute();
  await db.schema.createIndex('access_requests_created').on('access_requests').column('created_at').execute();

  await db.schema
    .createTable('access_request_dossiers')
    .addColumn('request_id', 'text', (c) => c.notNull().references('access_requests.id'))
    .addColumn('dossier_id', 'text', (c) => c.notNull().references('dossiers.id'))
    .addColumn('cadre_id', 'text', (c) => c.notNull().references('cadres.id'))
    .addColumn('managing_unit_id', 'text', (c) => c.notNull().references('units.id')) // at the time of the request
    .addPrimaryKeyConstraint('access_request_dossiers_pk', ['request_id', 'dossier_id'])
    .execute();
  await db.schema.createIndex('access_request_dossiers_dossier').on('access_request_dossiers').column('dossier_id').execute();

  await db.schema
    .createTable('access_request_materials')
    .addColumn('request_id', 'text', (c) => c.notNull().references('access_requests.id'))
    .addColumn('material_id', 'text', (c) => c.notNull().references('materials.id'))
    .addPrimaryKeyConstraint('access_request_materials_pk', ['request_id', 'material_id'])
    .execute();

  await db.schema
    .createTable('access_approvals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('access_requests.id'))
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('approver_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('approver_unit_id', 'text', (c) => c.notNull().references('units.id')) // level 2 must sit above it
    .addColumn('decision', 'text', (c) => c.notNull()) // approve | refuse
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('access_approvals_request_level').on('access_approvals').columns(['request_id', 'level']).unique().execute();

  // One reading window: opened when a reader opens a granted dossier, kept alive by the viewer, closed
  // when he leaves or goes quiet. Bounded per reader by `use.readerSessions`.
  await db.schema
    .createTable('reading_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('access_requests.id'))
    .addColumn('dossier_id', 'text', (c) => c.notNull().references('dossiers.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('login_session_id', 'text', (c) => c.notNull())
    .addColumn('client_ip', 'text')
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('close_reason', 'text') // closed | idle | expired | revoked | replaced
    .execute();
  await db.schema.createIndex('reading_sessions_user_open').on('reading_sessions').columns(['user_id', 'closed_at']).execute();

  await db.schema
    .createTable('reading_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reading_session_id', 'text', (c) => c.notNull().references('reading_sessions.id'))
    .addColumn('request_id', 'text', (c) => c.notNull().references('access_requests.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('dossier_id', 'text', (c) => c.notNull().references('dossiers.id'))
    .addColumn('material_id', 'text', (c) => c.notNull().references('materials.id'))
    .addColumn('page_id', 'text', (c) => c.notNull().references('pages.id'))
    .addColumn('viewed_at', 'text', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('client_ip', 'text')
    .execute();
  await db.schema.createIndex('reading_log_user_at').on('reading_log').columns(['user_id', 'viewed_at']).execute();
  await db.schema.createIndex('reading_log_request').on('reading_log').column('request_id').execute();
  await db.schema.createIndex('reading_log_dossier').on('reading_log').column('dossier_id').execute();

  await db.schema
    .createTable('access_prints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('serial_no', 'text', (c) => c.notNull().unique()) // DY2026-000001
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull().references('access_requests.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('dossier_id', 'text', (c) => c.notNull().references('dossiers.id'))
    .addColumn('material_ids', 'text', (c) => c.notNull()) // JSON array
    .addColumn('page_count', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull()) // of the PDF handed out
    .addColumn('client_ip', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('access_prints_year_seq').on('access_prints').columns(['year', 'seq']).unique().execute();
  await db.schema.createIndex('access_prints_request').on('access_prints').column('request_id').execute();

  // `open_dossier_id` is the dossier id while the paper is out and null after: a dossier is lent once at a time.
  await db.schema
    .createTable('lendings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('access_requests.id'))
    .addColumn('dossier_id', 'text', (c) => c.notNull().references('dossiers.id'))
    .addColumn('open_dossier_id', 'text', (c) => c.unique())
    .addColumn('borrower_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('lent_by', 'text', (c) => c.notNull())
    .addColumn('lent_at', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull()) // YYYY-MM-DD
    .addColumn('lend_note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('returned_by', 'text')
    .addColumn('returned_at', 'text')
    .addColumn('return_note', 'text')
    .addColumn('reminded_at', 'text')
    .addColumn('reminders', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('lendings_due').on('lendings').columns(['returned_at', 'due_on']).execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rule', 'text', (c) => c.notNull()) // fast_paging | off_hours | failed_logins | new_address | bulk_export
    .addColumn('severity', 'text', (c) => c.notNull()) // high | medium | low
    .addColumn('user_id', 'text') // whom it is about (null for an unknown account)
    .addColumn('username', 'text')
    .addColumn('client_ip', 'text')
    .addColumn('subject', 'text', (c) => c.notNull()) // user:<id>, name:<username> or ip:<address>: whose burst it is
    .addColumn('dedupe_key', 'text', (c) => c.notNull()) // rule + subject + window: one alert per burst
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull()) // JSON
    .addColumn('first_seq', 'integer', (c) => c.notNull()) // audit events that raised it
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .addColumn('event_count', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull()) // new | acknowledged | closed
    .addColumn('raised_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_at', 'text')
    .addColumn('closed_by', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('note', 'text', (c) => c.notNull().defaultTo('')) // the acknowledgement's note
    .addColumn('close_note', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('alerts_dedupe').on('alerts').column('dedupe_key').unique().execute();
  await db.schema.createIndex('alerts_state_raised').on('alerts').columns(['state', 'raised_at']).execute();
  await db.schema.createIndex('alerts_burst').on('alerts').columns(['rule', 'subject', 'last_seq']).execute();

  // The alert scanner's cursor over the audit log, and the addresses each user has signed in from.
  await db.schema
    .createTable('alert_cursor')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .execute();
  // Alerts judge what happens from now on: an archive that upgrades is not flooded with alerts about
  // its whole past (which the auditor can still read in the log).
  const head = await db.selectFrom('audit_head').select('last_seq').where('id', '=', 1).executeTakeFirst();
  await db.insertInto('alert_cursor').values({ id: 1, last_seq: Number(head?.last_seq ?? 0) }).execute();
  await db.schema
    .createTable('user_login_addresses')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('client_ip', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_login_addresses_pk', ['user_id', 'client_ip'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const t of [
    'user_login_addresses', 'alert_cursor', 'alerts', 'lendings', 'access_prints', 'reading_log', 'reading_sessions',
    'access_approvals', 'access_request_materials', 'access_request_dossiers', 'access_requests', 'cadre_relatives',
  ]) await db.schema.dropTable(t).execute();
  await db.schema.dropIndex('users_id_number').execute();
  await db.schema.alterTable('users').dropColumn('birth_date').execute();
  await db.schema.alterTable('users').dropColumn('id_number').execute();
  await db.deleteFrom('dictionary_entries').where('type', 'in', ['use_purpose', 'relation']).execute();
  await db.deleteFrom('dictionary_types').where('type', 'in', ['use_purpose', 'relation']).execute();
}
