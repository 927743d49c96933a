// Builds the web client (Vite) and the server bundle (esbuild). Skips the work when no source changed
// since the last build; `--force` builds anyway.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const force = process.argv.includes('--force');
const stampFile = join(root, 'node_modules', '.dangan-build');

function walk(dir, out) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) walk(p, out);
    else out.push(`${relative(root, p)}:${s.size}:${s.mtimeMs}`);
  }
  return out;
}

const inputs = [
  ...walk(join(root, 'packages'), []),
  ...walk(join(root, 'apps'), []),
  `lock:${statSync(join(root, 'package-lock.json')).mtimeMs}`,
].sort();
const fingerprint = createHash('sha256').update(inputs.join('\n')).digest('hex');
const outputs = [join(root, 'apps/web/dist/index.html'), join(root, 'apps/server/dist/cli.js'), join(root, 'apps/server/dist/imaging-worker.js'), join(root, 'apps/server/dist/ocr-worker.js')];
if (!force && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === fingerprint && outputs.every((o) => existsSync(o))) {
  process.exit(0);
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: process.env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

console.log('正在构建网页端……');
run(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], join(root, 'apps/web'));

console.log('正在构建服务端……');
const { build } = await import('esbuild');
const serverPkg = JSON.parse(readFileSync(join(root, 'apps/server/package.json'), 'utf8'));
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// Our workspace packages are TypeScript source and go into the bundle; everything else stays a
// dependency loaded from node_modules (native addons among them).
const external = Object.keys(serverPkg.dependencies).filter((d) => !d.startsWith('@dangan/'));
// The server, and the bundles its image-processing and OCR worker threads load next to it.
await build({
  entryPoints: {
    cli: join(root, 'apps/server/src/cli.ts'),
    'imaging-worker': join(root, 'packages/imaging/src/worker.ts'),
    'ocr-worker': join(root, 'packages/ocr/src/worker.ts'),
  },
  outdir: join(root, 'apps/server/dist'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external,
  define: { __DANGAN_VERSION__: JSON.stringify(rootPkg.version) },
  logLevel: 'warning',
});
writeFileSync(stampFile, fingerprint);
