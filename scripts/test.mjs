// `npm test`: types and lint, unit suites, database suites on SQLite and on PostgreSQL, then the
// browser journeys in real Chromium against a freshly built system.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

function step(title, cmd, args) {
  console.log(`\n=== ${title} ===`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    console.error(`\n${title}：失败（退出码 ${r.status}）`);
    process.exit(r.status ?? 1);
  }
}

step('准备测试环境（PostgreSQL、Chromium、中文字体）', 'bash', [join(root, 'scripts/ensure-services.sh')]);
step('类型检查', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
step('类型检查（网页端）', bin('tsc'), ['-p', 'apps/web/tsconfig.json', '--noEmit']);
step('代码规范检查', bin('eslint'), ['--max-warnings', '0', '.']);
step('单元测试与数据库测试（SQLite、PostgreSQL）', bin('vitest'), ['run', '--project', 'unit', '--project', 'sqlite', '--project', 'postgres']);
step('构建', process.execPath, [join(root, 'scripts/build.mjs')]);
step('浏览器端到端测试（Chromium）', bin('vitest'), ['run', '--project', 'e2e']);
