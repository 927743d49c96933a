import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './connect.js';
import * as m0001 from './migrations/0001_foundation.js';
import * as m0002 from './migrations/0002_dictionary_seed.js';
import * as m0003 from './migrations/0003_archive_records.js';
import * as m0004 from './migrations/0004_completeness_rules.js';
import * as m0005 from './migrations/0005_scans.js';
import * as m0006 from './migrations/0006_page_text.js';
import * as m0007 from './migrations/0007_search.js';
import * as m0008 from './migrations/0008_project.js';
import * as m0009 from './migrations/0009_checks.js';
import * as m0010 from './migrations/0010_search_tiers.js';
import * as m0011 from './migrations/0011_dashboard.js';
import * as m0012 from './migrations/0012_use.js';
import * as m0013 from './migrations/0013_search_triples.js';

/** Listed in code, not read from a folder, so the bundled server carries its migrations. */
const MIGRATIONS: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_dictionary_seed': m0002,
  '0003_archive_records': m0003,
  '0004_completeness_rules': m0004,
  '0005_scans': m0005,
  '0006_page_text': m0006,
  '0007_search': m0007,
  '0008_project': m0008,
  '0009_checks': m0009,
  '0010_search_tiers': m0010,
  '0011_dashboard': m0011,
  '0012_use': m0012,
  '0013_search_triples': m0013,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export interface MigrationReport {
  applied: string[];
}

export async function migrateToLatest(db: Db): Promise<MigrationReport> {
  const migrator = new Migrator({ db, provider, migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock' });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
