import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { bootstrapCore, buildApp, openCore, type Core } from './app.js';
import { loadConfig } from './platform/config.js';
import { databaseKind } from './platform/db/connect.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { openDatabase } from './platform/db/connect.js';
import { AppError } from './platform/errors.js';
import { SYSTEM_CONTEXT } from './modules/audit/audit.log.js';
import { rolesRepository } from './modules/roles/roles.repository.js';
import { generatePassword } from './modules/bootstrap/bootstrap.js';
import { Username } from '@dangan/contracts';
import { VERSION } from './version.js';
import { storageConfigFromEnv } from './platform/storage/config.js';
import { importScans, printImportSummary } from './modules/scans/import.command.js';
import { processImageFile } from './modules/scans/process-image.command.js';
import { registerScanCommand } from './modules/scans/scan.command.js';
import { registerSearchCommand } from './modules/search/search.command.js';
import { registerAlertsCommand } from './modules/alerts/alerts.command.js';
import { ocrImageFile } from './modules/ocr/ocr.command.js';
import { startFolderWatcher } from './modules/scans/watch-folder.js';
import { setDefaultWorkerFile } from '@dangan/imaging';

// Bundled (dist/cli.js), the image and OCR workers run their own bundles next to this one.
const bundled = import.meta.url.endsWith('.js');
if (bundled) setDefaultWorkerFile(new URL('./imaging-worker.js', import.meta.url));
const ocrWorkerFile = bundled ? new URL('./ocr-worker.js', import.meta.url) : undefined;

const config = loadConfig();
const consoleActor = () => ({ ...SYSTEM_CONTEXT, username: `console:${process.env.USER ?? 'root'}`, clientIp: 'console', roles: '' });

async function withCore<T>(fn: (core: Core) => Promise<T>): Promise<T> {
  const core = await openCore(coreOptions());
  try {
    await core.roles.syncBuiltIns();
    return await fn(core);
  } finally {
    await core.close();
  }
}

function coreOptions() {
  return {
    databaseUrl: config.databaseUrl, dataDir: config.dataDir, masterKey: config.masterKey,
    storage: storageConfigFromEnv(process.env, config.dataDir), imagingThreads: config.imagingThreads, jobLeaseMs: config.jobLeaseSeconds * 1000,
    ocrThreads: config.ocrThreads, ...(ocrWorkerFile ? { ocrWorkerFile } : {}),
  };
}

function defaultWebDir(): string | undefined {
  if (config.webDir) return config.webDir;
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [resolve(here, '../../web/dist'), resolve(here, '../../../apps/web/dist')]) {
    if (existsSync(resolve(candidate, 'index.html'))) return candidate;
  }
  return undefined;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('须为正整数');
  return n;
}

const HELP_TITLES: Record<string, string> = { 'Usage:': '用法：', 'Options:': '选项：', 'Commands:': '命令：', 'Arguments:': '参数：' };

const program = new Command('dangan')
  .description('干部人事档案系统')
  .version(VERSION, '-V, --version', '显示版本号')
  .helpOption('-h, --help', '显示帮助')
  .helpCommand('help [命令]', '显示命令的帮助')
  .configureHelp({ styleTitle: (title) => HELP_TITLES[title] ?? title })
  .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, '错误：')) });

program
  .command('serve')
  .description('启动服务（执行数据库迁移，首次启动时创建三员账号）')
  .action(async () => {
    const core = await openCore(coreOptions());
    const boot = await bootstrapCore(core, config.bootstrapPassword, config.dataDir);
    await core.blobs.check();
    const watcher = config.processMode === 'api' ? null : await startFolderWatcher(core, { dataDir: config.dataDir });
    if (config.processMode !== 'api') await core.runner.start();
    const catchUp = config.processMode === 'api'
      ? null
      : core.housekeeping.start((chore, err) => process.emitWarning(`${chore.label}失败：${err instanceof Error ? err.message : String(err)}`));
    if (config.processMode === 'worker') {
      const stopWorker = async () => {
        catchUp?.stop();
        await watcher?.stop();
        await core.close();
        process.exit(0);
      };
      process.once('SIGINT', stopWorker);
      process.once('SIGTERM', stopWorker);
      console.log(`干部人事档案系统 ${VERSION} 后台任务进程已启动（PROCESS_MODE=worker，图像处理线程 ${config.imagingThreads} 个）`);
      return;
    }
    if (boot.created) {
      console.log('已创建三员初始账号，首次登录须修改密码并绑定动态口令：');
      for (const c of boot.credentials) console.log(`  ${c.username}\t${c.password}`);
      if (boot.credentialsFile) console.log(`（同时写入 ${boot.credentialsFile}，权限 0600；修改密码后请删除）`);
      if (boot.credentials.length === 0) console.log('  sysadmin、secadmin、auditor：初始密码为 DANGAN_BOOTSTRAP_PASSWORD');
    }
    const app = await buildApp(core, { webDir: defaultWebDir(), trustProxy: config.trustProxy, logLevel: config.logLevel });
    const stop = async () => {
      catchUp?.stop();
      await watcher?.stop();
      await app.close();
      await core.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await app.listen({ port: config.port, host: config.host });
    console.log(`干部人事档案系统 ${VERSION} 已启动：http://${config.host}:${config.port}/ （数据库：${databaseKind(config.databaseUrl) === 'postgres' ? 'PostgreSQL' : 'SQLite'}，数据目录：${config.dataDir}）`);
  });

program
  .command('migrate')
  .description('执行数据库迁移')
  .action(async () => {
    const handle = openDatabase({ url: config.databaseUrl });
    try {
      const { applied } = await migrateToLatest(handle.db);
      console.log(applied.length ? `已执行迁移：${applied.join('、')}` : '数据库已是最新');
    } finally {
      await handle.close();
    }
  });

const user = program.command('user').description('用户管理（控制台权限，操作记入审计日志）');

user
  .command('add <username>')
  .description('新建用户；首次登录须修改密码')
  .requiredOption('--name <displayName>', '姓名')
  .option('--unit <code>', '所属单位代码（缺省为根单位 ROOT）')
  .option('--role <code...>', '角色代码（可多个），如 archivist、auditor')
  .option('--password <password>', '初始密码（缺省时随机生成并打印）')
  .action(async (rawUsername: string, opts: { name: string; unit?: string; role?: string[]; password?: string }) => {
    const unitCode = opts.unit ?? 'ROOT';
    const parsed = Username.safeParse(rawUsername);
    if (!parsed.success) throw new AppError(422, 'VALIDATION_FAILED', `用户名不符合要求：${parsed.error.issues[0]?.message ?? ''}`);
    const username = parsed.data;
    await withCore(async (core) => {
      const unit = await core.handle.db.selectFrom('units').select('id').where('code', '=', unitCode).executeTakeFirst();
      if (!unit) throw new AppError(422, 'UNIT_NOT_FOUND', `单位代码「${unitCode}」不存在`);
      const roleIds: string[] = [];
      for (const code of opts.role ?? []) {
        const role = await rolesRepository(core.handle.db).byCode(code);
        if (!role) throw new AppError(422, 'ROLE_NOT_FOUND', `角色代码「${code}」不存在`);
        roleIds.push(role.id);
      }
      const password = opts.password ?? generatePassword();
      const created = await core.users.create({ kind: 'console', audit: consoleActor() }, {
        username, displayName: opts.name, unitId: unit.id, password, roleIds, scope: { kind: 'own_unit', unitIds: [] }, clearance: null,
      });
      console.log(`已创建用户 ${created.username}（${created.displayName}），角色：${created.roles.map((r) => r.name).join('、') || '无'}`);
      if (!opts.password) console.log(`初始密码：${password}`);
    });
  });

user
  .command('passwd <username>')
  .description('重置密码；用户下次登录须修改')
  .option('--password <password>', '新密码（缺省时随机生成并打印）')
  .option('--reset-totp', '同时解除动态口令绑定（手机丢失时）')
  .action(async (username: string, opts: { password?: string; resetTotp?: boolean }) => {
    await withCore(async (core) => {
      const target = await core.users.byUsername(username.toLowerCase());
      const password = opts.password ?? generatePassword();
      const grantor = { kind: 'console' as const, audit: consoleActor() };
      await core.users.resetPassword(grantor, target.id, password);
      if (opts.resetTotp) await core.users.resetTotp(grantor, target.id);
      console.log(`已重置 ${username} 的密码${opts.resetTotp ? '并解除动态口令绑定' : ''}，下次登录须修改密码`);
      if (!opts.password) console.log(`新密码：${password}`);
    });
  });

user
  .command('lock <username>')
  .description('锁定账号并结束其会话')
  .option('--minutes <n>', '锁定时长（分钟，缺省一年）', positiveInt)
  .action(async (username: string, opts: { minutes?: number }) => {
    await withCore(async (core) => {
      const target = await core.users.byUsername(username.toLowerCase());
      const locked = await core.users.lock({ kind: 'console', audit: consoleActor() }, target.id, opts.minutes ?? 525_600);
      console.log(`已锁定 ${username}，至 ${locked.lockedUntil}`);
    });
  });

program
  .command('audit')
  .description('审计日志')
  .command('verify')
  .description('校验审计哈希链；链断裂时报告第一条被破坏的记录并以非零状态退出')
  .option('--json', '以 JSON 输出')
  .action(async (opts: { json?: boolean }) => {
    await withCore(async (core) => {
      const result = await core.auditService.verify(consoleActor());
      if (opts.json) console.log(JSON.stringify(result));
      else if (result.intact) console.log(`审计链完整：共校验 ${result.checked} 条记录（最后序号 ${result.lastSeq}）`);
      else console.log(`审计链已被破坏：第 ${result.firstBroken!.seq} 条记录——${result.firstBroken!.reason}（此前 ${result.checked} 条完好）`);
      if (!result.intact) process.exitCode = 3;
    });
  });

program
  .command('import <path>')
  .description('导入扫描图像（文件夹或单个文件）：按命名规则挂接，随后进行图像处理；中断后重新执行即可续做')
  .option('--dossier <档案号>', '全部导入到此档案（文件名不含档案号时使用）')
  .option('--json', '以 JSON 输出结果')
  .action(async (path: string, opts: { dossier?: string; json?: boolean }) => {
    await withCore(async (core) => {
      await core.runner.start();
      const summary = await importScans(
        { db: core.handle.db, scans: core.scans, runner: core.runner },
        { path: resolve(path), dossierNo: opts.dossier, actor: consoleActor(), progress: !opts.json },
      );
      if (opts.json) console.log(JSON.stringify(summary));
      else printImportSummary(summary);
      if (summary.files.rejected > 0 || summary.pages.failed > 0) process.exitCode = 4;
    });
  });

program
  .command('jobs')
  .description('后台任务')
  .command('run')
  .description('执行队列中的全部任务直到完成（如中断后续做图像处理）')
  .action(async () => {
    await withCore(async (core) => {
      const before = await core.queue.counts();
      await core.runner.start();
      await core.runner.runUntilIdle({ waitForLeases: true });
      const after = await core.queue.counts();
      console.log(`任务已执行完毕：完成 ${after.done - before.done} 个，失败 ${after.failed} 个（累计）`);
    });
  });

program
  .command('process-image <input>')
  .description('按流水线处理一张图像（纠偏、裁边、去污点、质量测量），输出 JSON')
  .option('--out <file>', '处理后的母版图像写入此文件')
  .option('--page <n>', '多页文件的页序（从 1 起）', positiveInt)
  .option('--min-dpi <n>', '最低分辨率', positiveInt)
  .option('--json', '只输出 JSON（默认也输出 JSON）')
  .action(async (input: string, opts: { out?: string; page?: number; minDpi?: number }) => {
    const output = await processImageFile(resolve(input), { out: opts.out ? resolve(opts.out) : undefined, page: (opts.page ?? 1) - 1, minDpi: opts.minDpi ?? 300 });
    console.log(JSON.stringify(output));
  });

registerScanCommand(program, withCore);
registerSearchCommand(program, withCore);
registerAlertsCommand(program, withCore);

program
  .command('ocr <image>')
  .description('识别一张图像中的文字（PP-OCR 中文模型），按阅读顺序输出各行的文字、位置框与置信度')
  .option('--json', '以 JSON 输出')
  .option('--max-side <px>', '检测时图像长边上限（默认 1024）', positiveInt)
  .action(async (image: string, opts: { json?: boolean; maxSide?: number }) => {
    await ocrImageFile(resolve(image), { json: opts.json, ...(opts.maxSide ? { maxSide: opts.maxSide } : {}) });
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof AppError) {
    console.error(`错误 [${err.code}]：${err.message}`);
    process.exitCode = 2;
  } else {
    console.error(err instanceof Error ? `错误：${err.message}` : err);
    process.exitCode = 1;
  }
});
