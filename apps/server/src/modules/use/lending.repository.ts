import { sql, type Insertable } from 'kysely';
import type { DatabaseKind, Executor } from '../../platform/db/connect.js';
import { containsPattern, forUpdate, likeOperator } from '../../platform/db/dialect.js';
import type { LendingTable } from '../../platform/db/schema.use.js';
import { withinUnits } from '../../platform/db/scope.js';

/** Units of the reader's data scope; null = all units. A lending belongs to its dossier's cadre's managing unit. */
export type Units = readonly string[] | null;

const num = (v: unknown): number => Number(v ?? 0);

export interface LendingFilter {
  units: Units;
  state?: 'open' | 'overdue' | 'returned';
  q?: string;
  today: string;
  limit: number;
  offset: number;
}

export function lendingRepository(db: Executor, kind: DatabaseKind) {
  /** Lendings with their request, dossier, cadre, borrower and people's names. */
  const lendings = (units: Units) =>
    db
      .selectFrom('lendings as l')
      .innerJoin('access_requests as r', 'r.id', 'l.request_id')
      .innerJoin('dossiers as d', 'd.id', 'l.dossier_id')
      .innerJoin('cadres as c', 'c.id', 'd.cadre_id')
      .innerJoin('users as b', 'b.id', 'l.borrower_id')
      .innerJoin('units as bu', 'bu.id', 'b.unit_id')
      .leftJoin('users as lu', 'lu.id', 'l.lent_by')
      .leftJoin('users as ru', 'ru.id', 'l.returned_by')
      .where(withinUnits('c.managing_unit_id', units));
  const columns = [
    'l.id', 'l.request_id', 'r.request_no', 'l.dossier_id', 'd.dossier_no', 'c.name as cadre_name', 'c.managing_unit_id',
    'l.borrower_id', 'b.display_name as borrower_name', 'bu.name as borrower_unit_name', 'l.lent_by', 'lu.display_name as lent_by_name',
    'l.lent_at', 'l.due_on', 'l.lend_note', 'l.returned_by', 'ru.display_name as returned_by_name', 'l.returned_at', 'l.return_note',
    'l.reminded_at', 'l.reminders',
  ] as const;

  return {
    /**
     * Approved lend-mode requests whose grant is running, one row per dossier not yet handed out
     * under that request, for dossiers of the units.
     */
    async candidates(units: Units, now: string) {
      return db
        .selectFrom('access_requests as r')
        .innerJoin('access_request_dossiers as rd', 'rd.request_id', 'r.id')
        .innerJoin('dossiers as d', 'd.id', 'rd.dossier_id')
        .innerJoin('cadres as c', 'c.id', 'd.cadre_id')
        .innerJoin('users as u', 'u.id', 'r.requester_id')
        .innerJoin('units as ru', 'ru.id', 'r.requester_unit_id')
        .leftJoin('dictionary_entries as p', (j) => j.onRef('p.code', '=', 'r.purpose').on('p.type', '=', 'use_purpose'))
        .where('r.state', '=', 'approved')
        .where('r.mode', '=', 'lend')
        .where('r.granted_from', '<=', now)
        .where('r.granted_until', '>', now)
        .where((eb) => eb.not(eb.exists(
          eb.selectFrom('lendings as x').select('x.id').whereRef('x.request_id', '=', 'r.id').whereRef('x.dossier_id', '=', 'rd.dossier_id'),
        )))
        .where(withinUnits('c.managing_unit_id', units))
        .select([
          'r.id as request_id', 'r.request_no', 'r.requester_id', 'u.display_name as requester_name', 'ru.name as requester_unit_name',
          'r.purpose', 'p.label as purpose_label', 'r.granted_from', 'r.granted_until',
          'd.id as dossier_id', 'd.dossier_no', 'd.state as dossier_state', 'c.name as cadre_name',
        ])
        .orderBy('r.granted_from')
        .orderBy('r.request_no')
        .orderBy('d.dossier_no')
        .execute();
    },

    /** The request and one of its dossiers, with the dossier row locked for the move. */
    async requestDossier(requestId: string, dossierId: string) {
      await forUpdate(kind, db.selectFrom('dossiers').select('id').where('id', '=', dossierId)).execute();
      return db
        .selectFrom('access_requests as r')
        .innerJoin('access_request_dossiers as rd', 'rd.request_id', 'r.id')
        .innerJoin('dossiers as d', 'd.id', 'rd.dossier_id')
        .innerJoin('cadres as c', 'c.id', 'd.cadre_id')
        .select([
          'r.id', 'r.request_no', 'r.requester_id', 'r.state', 'r.mode', 'r.granted_from', 'r.granted_until',
          'd.id as dossier_id', 'd.dossier_no', 'd.state as dossier_state', 'c.name as cadre_name', 'c.managing_unit_id',
        ])
        .where('r.id', '=', requestId)
        .where('rd.dossier_id', '=', dossierId)
        .executeTakeFirst();
    },

    async lendingOf(requestId: string, dossierId: string) {
      return db.selectFrom('lendings').select(['id', 'returned_at']).where('request_id', '=', requestId).where('dossier_id', '=', dossierId)
        .executeTakeFirst();
    },

    async openOn(dossierId: string) {
      return db.selectFrom('lendings').select('id').where('open_dossier_id', '=', dossierId).executeTakeFirst();
    },

    async insert(row: Insertable<LendingTable>) {
      await db.insertInto('lendings').values(row).execute();
    },

    async lock(id: string) {
      return forUpdate(kind, db.selectFrom('lendings').selectAll().where('id', '=', id)).executeTakeFirst();
    },

    async markReturned(id: string, by: string, at: string, note: string) {
      await db.updateTable('lendings').set({ returned_by: by, returned_at: at, return_note: note, open_dossier_id: null })
        .where('id', '=', id).execute();
    },

    async one(id: string, units: Units = null) {
      return lendings(units).select(columns).where('l.id', '=', id).executeTakeFirst();
    },

    async list(filter: LendingFilter) {
      let q = lendings(filter.units);
      if (filter.state === 'returned') q = q.where('l.returned_at', 'is not', null);
      else if (filter.state === 'open') q = q.where('l.returned_at', 'is', null);
      else if (filter.state === 'overdue') q = q.where('l.returned_at', 'is', null).where('l.due_on', '<', filter.today);
      if (filter.q) {
        const op = sql.raw(likeOperator(kind));
        const p = containsPattern(filter.q);
        q = q.where(sql<boolean>`(d.dossier_no ${op} ${p} escape '\\' or c.name ${op} ${p} escape '\\' or b.display_name ${op} ${p} escape '\\' or r.request_no ${op} ${p} escape '\\')`);
      }
      const total = num((await q.select(sql<number>`count(*)`.as('n')).executeTakeFirst())?.n);
      const ordered = filter.state === 'returned'
        ? q.orderBy('l.returned_at', 'desc')
        : q.orderBy('l.due_on').orderBy('l.lent_at');
      const rows = await ordered.select(columns).orderBy('l.id').limit(filter.limit).offset(filter.offset).execute();
      return { rows, total };
    },

    async ofBorrower(userId: string) {
      return lendings(null).select(columns).where('l.borrower_id', '=', userId)
        .orderBy(sql`case when l.returned_at is null then 0 else 1 end`).orderBy('l.due_on').orderBy('l.lent_at', 'desc').execute();
    },

    /** Open lendings due before `today` (all units): the overdue chore's candidates. */
    async overdue(today: string, units: Units = null) {
      return lendings(units).select(columns).where('l.returned_at', 'is', null).where('l.due_on', '<', today)
        .orderBy('l.due_on').orderBy('l.id').execute();
    },

    /** Marks a reminder unless one was already given since `since` (another round got there first). */
    async markReminded(id: string, at: string, since: string): Promise<boolean> {
      const r = await db.updateTable('lendings').set((eb) => ({ reminded_at: at, reminders: eb('reminders', '+', 1) }))
        .where('id', '=', id)
        .where('returned_at', 'is', null)
        .where((eb) => eb.or([eb('reminded_at', 'is', null), eb('reminded_at', '<', since)]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
  };
}

export type LendingRepository = ReturnType<typeof lendingRepository>;
export type LendingRow = NonNullable<Awaited<ReturnType<LendingRepository['one']>>>;
