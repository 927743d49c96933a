import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapCore, openCore } from '../src/app.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  // No master key given: the key file is made on first start.
  const core = await openCore({ databaseUrl: database.url, dataDir: database.dataDir });
  await bootstrapCore(core, undefined, database.dataDir);
  await core.close();
});
afterAll(async () => {
  await database.drop();
});

const mode = (path: string) => statSync(path).mode & 0o777;

describe('the data directory', () => {
  it('keeps the master key, the initial credentials and the SQLite database readable by the owner only', () => {
    expect(mode(join(database.dataDir, 'keys', 'master.key'))).toBe(0o600);
    expect(mode(join(database.dataDir, 'keys'))).toBe(0o700);
    expect(mode(join(database.dataDir, 'initial-credentials.txt'))).toBe(0o600);
    if (database.kind === 'sqlite') expect(mode(database.url)).toBe(0o600);
  });
});
