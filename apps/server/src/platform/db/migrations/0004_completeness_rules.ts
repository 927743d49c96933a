import type { Kysely } from 'kysely';
import { SEEDED_RULES } from '@dangan/domain';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** The completeness rules of DOMAIN.md §3 as data the archive manager can then edit. */
export async function up(db: AnyDb): Promise<void> {
  const now = new Date().toISOString();
  for (const [i, r] of SEEDED_RULES.entries()) {
    await db
      .insertInto('completeness_rules')
      .values({
        code: r.code, label: r.label, class_code: r.classCode, enabled: 1, sort_order: (i + 1) * 10, updated_at: now, updated_by: null,
        definition: JSON.stringify({ appliesWhen: r.appliesWhen, expectation: r.expectation, synonyms: r.synonyms, basis: r.basis }),
      })
      .execute();
  }
}
