import type { Insertable, Updateable } from 'kysely';
import type { DatabaseKind, Executor } from '../../platform/db/connect.js';
import type { CadreTable, DossierTable } from '../../platform/db/schema.js';
import { withinUnits } from '../../platform/db/scope.js';
import type { Authorized, DataScope } from '../access/access.js';

export interface CadreFilter {
  q?: string;
  /** The unit and every unit below it, as the unit filter means it. */
  unitIds?: string[];
  state?: string;
  completeness?: 'complete' | 'incomplete' | 'unknown';
  sort: 'name' | 'dossierNo' | 'birthDate' | 'updatedAt';
  order: 'asc' | 'desc';
}

const SORT_COLUMNS = {
  name: 'cadres.name',
  dossierNo: 'dossiers.dossier_no',
  birthDate: 'cadres.birth_date',
  updatedAt: 'cadres.updated_at',
} as const;

/** Every read of archive records takes the caller's authorized data scope and filters by it here. */
type SearchColumn = 'cadres.name' | 'cadres.name_initials' | 'cadres.id_number' | 'dossiers.dossier_no';
type SearchTerm = { kind: 'equals'; column: SearchColumn; value: string } | { kind: 'prefix'; column: SearchColumn; from: string; to: string };

/** `[text, text + 1)`: a prefix match an ordinary index serves, on either database, unlike LIKE. */
function prefix(column: SearchColumn, text: string): SearchTerm {
  const last = text.codePointAt(text.length - 1)!;
  return { kind: 'prefix', column, from: text, to: text.slice(0, -1) + String.fromCodePoint(last + 1) };
}

/**
 * What the one search box can mean, read from its shape, so that every branch is an indexed lookup:
 * a name or its beginning (王 finds every 王), pinyin initials (WW), an ID number, or a 档案号 or its
 * beginning. Words inside a name are the full-text search's job, not the list's.
 */
export function searchTerms(raw: string): SearchTerm[] {
  const text = raw.trim();
  const upper = text.toUpperCase();
  const terms: SearchTerm[] = [prefix('dossiers.dossier_no', text)];
  if (/^\d{17}[\dX]$/.test(upper)) terms.push({ kind: 'equals', column: 'cadres.id_number', value: upper });
  if (/^[A-Z]{1,8}$/.test(upper)) terms.push(prefix('cadres.name_initials', upper));
  if (/\p{Script=Han}/u.test(text)) terms.push(prefix('cadres.name', text));
  return terms;
}

/**
 * The cadres a search matches, as a union of one indexed lookup per meaning: an OR across the joined
 * tables would make either database scan every cadre.
 */
function matchingCadreIds(db: Executor, terms: SearchTerm[]) {
  const lookups = terms.map((t) => {
    if (t.column === 'dossiers.dossier_no') {
      const q = db.selectFrom('dossiers').select('cadre_id as id');
      return t.kind === 'equals' ? q.where('dossier_no', '=', t.value) : q.where('dossier_no', '>=', t.from).where('dossier_no', '<', t.to);
    }
    const column = t.column.slice('cadres.'.length) as 'name' | 'name_initials' | 'id_number';
    const q = db.selectFrom('cadres').select('id');
    return t.kind === 'equals' ? q.where(column, '=', t.value) : q.where(column, '>=', t.from).where(column, '<', t.to);
  });
  return lookups.reduce((a, b) => a.union(b));
}

export function cadresRepository(db: Executor, _kind: DatabaseKind) {
  function scoped(scope: Authorized<DataScope>) {
    return db
      .selectFrom('cadres')
      .leftJoin('dossiers', 'dossiers.cadre_id', 'cadres.id')
      .where(withinUnits('cadres.managing_unit_id', scope.unitIds));
  }

  return {
    async page(scope: Authorized<DataScope>, f: CadreFilter, offset: number, limit: number) {
      let q = scoped(scope);
      if (f.unitIds) q = q.where('cadres.managing_unit_id', 'in', f.unitIds);
      if (f.state) q = q.where('dossiers.state', '=', f.state);
      if (f.completeness === 'unknown') q = q.where('dossiers.completeness_status', 'is', null);
      else if (f.completeness) q = q.where('dossiers.completeness_status', '=', f.completeness);
      if (f.q) q = q.where('cadres.id', 'in', matchingCadreIds(db, searchTerms(f.q)));
      const column = SORT_COLUMNS[f.sort];
      const [rows, count] = await Promise.all([
        q
          .innerJoin('units', 'units.id', 'cadres.managing_unit_id')
          .select([
            'cadres.id', 'cadres.name', 'cadres.gender', 'cadres.birth_date', 'cadres.id_number', 'cadres.position',
            'units.name as unit_name', 'dossiers.id as dossier_id', 'dossiers.dossier_no', 'dossiers.state',
            'dossiers.material_count', 'dossiers.page_count', 'dossiers.missing_count', 'cadres.updated_at',
          ])
          .orderBy(column, f.order)
          .orderBy('cadres.id')
          .offset(offset)
          .limit(limit)
          .execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(count.n) };
    },

    async byId(scope: Authorized<DataScope>, id: string) {
      return scoped(scope).selectAll('cadres').where('cadres.id', '=', id).executeTakeFirst();
    },

    async byIdNumber(idNumber: string) {
      return db.selectFrom('cadres').select(['id', 'name']).where('id_number', '=', idNumber).executeTakeFirst();
    },

    async insert(row: Insertable<CadreTable>): Promise<void> {
      await db.insertInto('cadres').values(row).execute();
    },

    async update(id: string, patch: Updateable<CadreTable>): Promise<void> {
      await db.updateTable('cadres').set(patch).where('id', '=', id).execute();
    },

    async dossierOfCadre(cadreId: string) {
      return db.selectFrom('dossiers').selectAll().where('cadre_id', '=', cadreId).executeTakeFirst();
    },

    async dossierByNo(dossierNo: string) {
      return db.selectFrom('dossiers').select(['id', 'cadre_id']).where('dossier_no', '=', dossierNo).executeTakeFirst();
    },

    async insertDossier(row: Insertable<DossierTable>): Promise<void> {
      await db.insertInto('dossiers').values(row).execute();
    },
  };
}
