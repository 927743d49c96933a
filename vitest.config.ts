import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const dbSuites = ['apps/server/src/**/*.test.ts', 'apps/server/test/**/*.test.ts'];
const e2eSuites = ['e2e/**/*.e2e.test.ts'];
const unitSuites = ['packages/*/src/**/*.test.ts', 'apps/server/src/**/*.unit.test.ts'];

/**
 * Unit suites run once. Database suites run twice, once per database (DB=sqlite|postgres); each test
 * file gets a fresh SQLite file or a fresh PostgreSQL database, dropped afterwards.
 */
export default defineConfig({
  test: {
    // Two test files at a time: one per core.
    maxWorkers: 2,
    projects: [
      { test: { name: 'unit', include: unitSuites } },
      ...(['sqlite', 'postgres'] as const).map((db) => ({
        test: {
          name: db,
          include: dbSuites,
          exclude: ['**/*.unit.test.ts', '**/node_modules/**', ...e2eSuites],
          // Scanners are SANE's built-in test devices (the project's own SANE configuration).
          env: { DB: db, SANE_CONFIG_DIR: fileURLToPath(new URL('./apps/server/test/sane', import.meta.url)) },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      })),
      {
        // Whole user journeys in real Chromium against the built system (`npm start`'s bundle).
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
