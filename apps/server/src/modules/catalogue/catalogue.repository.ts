import type { Insertable, Updateable } from 'kysely';
import type { DatabaseKind, Executor } from '../../platform/db/connect.js';
import { forUpdate } from '../../platform/db/dialect.js';
import type { MaterialTable } from '../../platform/db/schema.js';
import { withinUnits } from '../../platform/db/scope.js';
import type { Authorized, DataScope } from '../access/access.js';

export function catalogueRepository(db: Executor, kind: DatabaseKind) {
  return {
    /** The dossier with its cadre, if the scope reaches the cadre's managing unit. */
    async dossier(scope: Authorized<DataScope>, dossierId: string) {
      return db
        .selectFrom('dossiers')
        .innerJoin('cadres', 'cadres.id', 'dossiers.cadre_id')
        .innerJoin('units', 'units.id', 'cadres.managing_unit_id')
        .selectAll('dossiers')
        .select(['cadres.name as cadre_name', 'cadres.managing_unit_id', 'units.name as managing_unit_name'])
        .where('dossiers.id', '=', dossierId)
        .where(withinUnits('cadres.managing_unit_id', scope.unitIds))
        .executeTakeFirst();
    },

    /** Locks the dossier row: renumbering its catalogue is one writer at a time. */
    async lockDossier(dossierId: string): Promise<void> {
      await forUpdate(kind, db.selectFrom('dossiers').select('id').where('id', '=', dossierId)).execute();
    },

    async materials(dossierId: string) {
      return db.selectFrom('materials').selectAll().where('dossier_id', '=', dossierId).execute();
    },

    async material(id: string) {
      return db.selectFrom('materials').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async nextCreatedSeq(dossierId: string): Promise<number> {
      const r = await db
        .selectFrom('materials')
        .select((eb) => eb.fn.max<number | null>('created_seq').as('m'))
        .where('dossier_id', '=', dossierId)
        .executeTakeFirstOrThrow();
      return Number(r.m ?? 0) + 1;
    },

    async insert(row: Insertable<MaterialTable>): Promise<void> {
      await db.insertInto('materials').values(row).execute();
    },

    async update(id: string, patch: Updateable<MaterialTable>): Promise<void> {
      await db.updateTable('materials').set(patch).where('id', '=', id).execute();
    },

    async setTotals(dossierId: string, materialCount: number, pageCount: number, at: string): Promise<void> {
      await db.updateTable('dossiers').set({ material_count: materialCount, page_count: pageCount, updated_at: at }).where('id', '=', dossierId).execute();
    },
  };
}
