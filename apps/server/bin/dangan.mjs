#!/usr/bin/env node
// The `dangan` command: the built bundle when it is up to date, otherwise the TypeScript source via tsx
// (so a developer who edited the source never runs a stale build).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const sources = ['../src', '../../../packages/domain/src', '../../../packages/contracts/src', '../../../packages/imaging/src'].map((p) => fileURLToPath(new URL(p, import.meta.url)));

function newest(dir) {
  let latest = 0;
  if (!existsSync(dir)) return latest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const fresh = existsSync(built) && sources.every((dir) => newest(dir) <= statSync(built).mtimeMs);
if (fresh) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli.ts', import.meta.url).href);
}
