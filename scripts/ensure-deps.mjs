// Installs the npm dependencies when they are missing or older than package-lock.json, so that
// `npm start` and `npm test` work on a fresh clone with nothing done by hand.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
const stamp = join(root, 'node_modules', '.dangan-installed');
const want = createHash('sha256').update(readFileSync(lock)).digest('hex');

if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) process.exit(0);

// A fresh clone gets exactly the lock file (npm ci); a working tree whose lock changed is brought up
// to date in place, without removing what is installed.
const fresh = !existsSync(join(root, 'node_modules'));
console.log(`正在安装依赖（npm ${fresh ? 'ci' : 'install'}）……`);
// onnxruntime-node's install script would download CUDA files (the machine is offline, and we run on
// CPU): npm 11 runs no script that root `allowScripts` does not allow, and older npm is told to skip.
const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' };
const r = spawnSync('npm', [fresh ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit', env });
if (r.status !== 0) {
  console.error('依赖安装失败，请检查与 npm 仓库的连接后重试');
  process.exit(r.status ?? 1);
}
writeFileSync(stamp, want);
