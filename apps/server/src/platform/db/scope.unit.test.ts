import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from './schema.js';
import { scopeCondition, withinUnits, type ScopeUnits } from './scope.js';

/** Query builders that only compile, one per dialect. */
const dialects = {
  sqlite: new Kysely<Database>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  }),
  postgres: new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  }),
};

describe.each(Object.entries(dialects))('withinUnits on %s', (kind, db) => {
  const compile = (units: ScopeUnits) =>
    db.selectFrom('cadres as c').select('c.id').where(withinUnits('c.managing_unit_id', units)).compile();
  const params = (n: number) => Array.from({ length: n }, (_, i) => (kind === 'postgres' ? `$${i + 1}` : '?')).join(', ');

  it('null reaches every unit', () => {
    const q = compile(null);
    expect(q.sql).toBe('select "c"."id" from "cadres" as "c" where 1 = 1');
    expect(q.parameters).toEqual([]);
  });

  it('an empty set reaches nothing', () => {
    for (const units of [new Set<string>(), []]) {
      const q = compile(units);
      expect(q.sql).toBe('select "c"."id" from "cadres" as "c" where 1 = 0');
      expect(q.parameters).toEqual([]);
    }
  });

  it('otherwise the column is one of the units, each a bound parameter', () => {
    for (const units of [new Set(['u1', 'u2']), ['u1', 'u2']]) {
      const q = compile(units);
      expect(q.sql).toBe(`select "c"."id" from "cadres" as "c" where "c"."managing_unit_id" in (${params(2)})`);
      expect(q.parameters).toEqual(['u1', 'u2']);
    }
  });

  it('scopeCondition hands a non-empty list to its condition and keeps the rule for the rest', () => {
    const seen: (readonly string[])[] = [];
    const compileWith = (units: ScopeUnits) =>
      db
        .selectFrom('project_batches as b')
        .select('b.id')
        .where((eb) => scopeCondition(units, (ids) => (seen.push(ids), eb('b.unit_id', 'in', ids))))
        .compile();
    const select = 'select "b"."id" from "project_batches" as "b" where';
    expect(compileWith(null).sql).toBe(`${select} 1 = 1`);
    expect(compileWith(new Set()).sql).toBe(`${select} 1 = 0`);
    expect(seen).toEqual([]);
    const q = compileWith(new Set(['u1']));
    expect(q.sql).toBe(`${select} "b"."unit_id" in (${params(1)})`);
    expect(q.parameters).toEqual(['u1']);
    expect(seen).toEqual([['u1']]);
  });
});
