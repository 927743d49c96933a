import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';

/** The units an actor's data scope reaches: null = every unit; an empty set = none. */
export type ScopeUnits = ReadonlySet<string> | readonly string[] | null;

const EVERYTHING = sql<boolean>`1 = 1`;
const NOTHING = sql<boolean>`1 = 0`;

/**
 * The data-scope rule around a condition on some units: null reaches everything (`1 = 1`), an empty
 * set reaches nothing (`1 = 0`, since `in ()` is not SQL), otherwise `within` the units decides.
 */
export function scopeCondition<E extends Expression<SqlBool>>(
  units: ScopeUnits,
  within: (ids: readonly string[]) => E,
): E | RawBuilder<boolean> {
  if (units === null) return EVERYTHING;
  const ids = [...units];
  return ids.length === 0 ? NOTHING : within(ids);
}

/**
 * A row is in the data scope when the unit in `column` (usually the cadre's managing unit) is one of
 * the actor's units; an empty set sees nothing, null sees every unit.
 */
export function withinUnits(column: string, units: ScopeUnits): RawBuilder<boolean> {
  return scopeCondition(units, (ids) => sql<boolean>`${sql.ref(column)} in (${sql.join(ids)})`);
}
