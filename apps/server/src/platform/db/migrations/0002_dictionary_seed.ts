import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { dictionarySeed } from '../../../modules/dictionary/dictionary.seed.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** The code tables as the standards give them (GB 3304, GB/T 4762, GB/T 4658 …) and the class tree. */
export async function up(db: AnyDb): Promise<void> {
  const now = new Date().toISOString();
  for (const [typeIndex, t] of dictionarySeed.entries()) {
    await db
      .insertInto('dictionary_types')
      .values({ type: t.type, label: t.label, standard: t.standard ?? null, hierarchical: t.hierarchical ? 1 : 0, sort_order: typeIndex })
      .execute();
    const rows = t.entries.map((e, i) => ({
      id: uuidv7(),
      type: t.type,
      code: e.code,
      label: e.label,
      parent_code: e.parentCode ?? null,
      sort_order: (i + 1) * 10,
      enabled: 1,
      created_at: now,
      updated_at: now,
    }));
    for (let i = 0; i < rows.length; i += 200) {
      await db.insertInto('dictionary_entries').values(rows.slice(i, i + 200)).execute();
    }
  }
}
