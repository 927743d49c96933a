import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Access } from '@dangan/contracts';
import { systemClock, type Clock } from './platform/clock.js';
import { Keyring, loadMasterKey } from './platform/crypto/keyring.js';
import { openDatabase, type DbHandle } from './platform/db/connect.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { createHttpServer } from './platform/http/server.js';
import { Router, SESSION_COOKIE } from './platform/http/routing.js';
import { AccessService } from './modules/access/access.js';
import { AuditLog } from './modules/audit/audit.log.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { AuditService } from './modules/audit/audit.service.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { AuthService } from './modules/auth/auth.service.js';
import { sessionsRoutes } from './modules/auth/sessions.routes.js';
import { SessionsService } from './modules/auth/sessions.service.js';
import { bootstrap, type BootstrapResult } from './modules/bootstrap/bootstrap.js';
import { dictionaryRoutes } from './modules/dictionary/dictionary.routes.js';
import { DictionaryService } from './modules/dictionary/dictionary.service.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { rolesRoutes } from './modules/roles/roles.routes.js';
import { RolesService } from './modules/roles/roles.service.js';
import { settingsRoutes } from './modules/settings/settings.routes.js';
import { SettingsService, readSetting } from './modules/settings/settings.service.js';
import { unitsRoutes } from './modules/units/units.routes.js';
import { UnitsService } from './modules/units/units.service.js';
import { usersRoutes } from './modules/users/users.routes.js';
import { UsersService } from './modules/users/users.service.js';
import { cadresRoutes } from './modules/cadres/cadres.routes.js';
import { CadresService } from './modules/cadres/cadres.service.js';
import { DossiersService } from './modules/cadres/dossiers.service.js';
import { catalogueRoutes } from './modules/catalogue/catalogue.routes.js';
import { CatalogueService } from './modules/catalogue/catalogue.service.js';
import { ImportService } from './modules/catalogue/import.service.js';
import { completenessRoutes } from './modules/completeness/completeness.routes.js';
import { CompletenessService } from './modules/completeness/completeness.service.js';
import { scansRoutes } from './modules/scans/scans.routes.js';
import { saneRoutes } from './modules/scans/sane.routes.js';
import { ScansService } from './modules/scans/scans.service.js';
import { PagesService } from './modules/scans/pages.service.js';
import { pageProcessJob } from './modules/scans/page-process.job.js';
import { blobPort, imagingPort } from './modules/scans/adapters.js';
import { PAGE_OCR_JOB, pageOcrJob } from './modules/ocr/ocr.job.js';
import { LazyOcrPool } from './modules/ocr/ocr.ports.js';
import { ocrRoutes } from './modules/ocr/ocr.routes.js';
import { OcrService } from './modules/ocr/ocr.service.js';
import { ProofreadService } from './modules/ocr/proofread.service.js';
import { JobQueue, JobRegistry } from './platform/queue/queue.js';
import { JobRunner } from './platform/queue/runner.js';
import { createBlobStore, type StorageDriverConfig } from './platform/storage/config.js';
import type { BlobStore } from './platform/storage/blob-store.js';
import { ImagingPool } from '@dangan/imaging';
import { SCAN_UPLOAD_MAX_BYTES } from '@dangan/contracts';
import { VERSION } from './version.js';
import { searchRoutes } from './modules/search/search.routes.js';
import { SearchService } from './modules/search/search.service.js';
import { searchIndexFor } from './modules/search/search.index.js';
import { searchIndexJob } from './modules/search/search.job.js';
import type { ModuleDeps } from './modules/project/project.deps.js';
import { Housekeeping } from './platform/housekeeping.js';
import { ProjectService } from './modules/project/project.service.js';
import { projectRoutes } from './modules/project/project.routes.js';
import { ChecksService } from './modules/checks/checks.service.js';
import { checksRoutes } from './modules/checks/checks.routes.js';
import { dossierCheckJob } from './modules/checks/checks.job.js';
import { DashboardService } from './modules/dashboard/dashboard.service.js';
import { dashboardRoutes } from './modules/dashboard/dashboard.routes.js';
import { ReadingService } from './modules/use/reading.service.js';
import { PrintService } from './modules/use/print.service.js';
import { readingRoutes } from './modules/use/reading.routes.js';
import { RequestsService } from './modules/use/requests.service.js';
import { requestsRoutes } from './modules/use/requests.routes.js';
import { RelativesService } from './modules/use/relatives.service.js';
import { relativesRoutes } from './modules/use/relatives.routes.js';
import { AlertsService } from './modules/alerts/alerts.service.js';
import { alertsRoutes } from './modules/alerts/alerts.routes.js';
import { LendingService } from './modules/use/lending.service.js';
import { lendingRoutes } from './modules/use/lending.routes.js';
import { StatsService } from './modules/stats/stats.service.js';
import { statsRoutes } from './modules/stats/stats.routes.js';

export interface Core {
  handle: DbHandle;
  clock: Clock;
  keyring: Keyring;
  audit: AuditLog;
  settings: SettingsService;
  access: AccessService;
  auth: AuthService;
  sessions: SessionsService;
  users: UsersService;
  roles: RolesService;
  units: UnitsService;
  dictionary: DictionaryService;
  auditService: AuditService;
  cadres: CadresService;
  dossiers: DossiersService;
  catalogue: CatalogueService;
  imports: ImportService;
  completeness: CompletenessService;
  blobs: BlobStore;
  imaging: ImagingPool;
  queue: JobQueue;
  jobs: JobRegistry;
  /** Runs the queue's jobs in this process (started by `serve` unless PROCESS_MODE=api; tests drain it). */
  runner: JobRunner;
  scans: ScansService;
  pages: PagesService;
  search: SearchService;
  /** OCR threads, started when the first page is read. */
  ocrPool: LazyOcrPool;
  ocr: OcrService;
  /** The digitization project: batches, hand-over, stages, sampling, inspection, acceptance. */
  project: ProjectService;
  /** Automatic checks (数据校验) of dossiers' digitization results. */
  checks: ChecksService;
  /** Project dashboard, task lists and notifications. */
  dashboard: DashboardService;
  /** Reading under a grant: windows, watermarked pages, the reading log. */
  reading: ReadingService;
  /** Prints of granted materials, with serial numbers and limits. */
  prints: PrintService;
  /** Periodic chores `serve` runs (search catch-up, expiring grants, overdue lending, alerts). */
  housekeeping: Housekeeping;
  /** Access requests (查阅申请), their approvals by 干部管理权限, revocation and expiry of grants. */
  requests: RequestsService;
  /** Cadres' family members (家庭成员), for 回避. */
  relatives: RelativesService;
  /** Security alerts (安全预警) raised from the audit log. */
  alerts: AlertsService;
  /** Paper lending (借阅): hand-out, return, overdue reminders. */
  lending: LendingService;
  /** Statistics (统计分析): archive, use, cadre body. */
  stats: StatsService;
  close(): Promise<void>;
}

export interface CoreOptions {
  databaseUrl: string;
  dataDir: string;
  masterKey?: string;
  clock?: Clock;
  /** Where files live: local disk under the data directory (default) or S3-compatible storage. */
  storage?: StorageDriverConfig;
  /** Image-processing threads (default 2). */
  imagingThreads?: number;
  /** OCR threads, one engine each (default 2). */
  ocrThreads?: number;
  /** The OCR pool's worker file (the bundle passes its own; default: the package's TypeScript worker). */
  ocrWorkerFile?: string | URL;
  /** Job lease (default 60 s). */
  jobLeaseMs?: number;
}

/** The composition root: every service built once, each given exactly what it uses. */
export async function openCore(options: CoreOptions): Promise<Core> {
  const handle = openDatabase({ url: options.databaseUrl });
  try {
    await migrateToLatest(handle.db);
  } catch (err) {
    await handle.close();
    throw err;
  }
  const { db, kind } = handle;
  const clock = options.clock ?? systemClock;
  const keyring = new Keyring(loadMasterKey({ fromEnv: options.masterKey, keyFile: join(options.dataDir, 'keys', 'master.key') }));
  const audit = new AuditLog(db, kind, clock, (executor) => readSetting(executor, 'audit.hashAlgorithm'));
  const settings = new SettingsService(db, clock, audit);
  const access = new AccessService(db, clock);
  const auth = new AuthService(db, kind, clock, settings, audit, keyring);
  const completeness = new CompletenessService(db, kind, clock, audit, access);
  const search = new SearchService(db, clock, audit, access, searchIndexFor(kind));
  const cadres = new CadresService(db, kind, clock, audit, access, settings, completeness, search);
  const catalogue = new CatalogueService(db, kind, clock, audit, access, completeness, search);
  const blobs = createBlobStore({
    dataDir: options.dataDir, keyring, driver: options.storage ?? { kind: 'disk' }, maxBytes: SCAN_UPLOAD_MAX_BYTES,
    cipher: await readSetting(db, 'storage.cipher'),
  });
  const imaging = new ImagingPool({ threads: options.imagingThreads ?? 2 });
  const queue = new JobQueue(db, kind, clock, options.jobLeaseMs ?? 60_000);
  const blobAccess = blobPort(blobs, () => readSetting(db, 'storage.cipher'));
  const imagingAccess = imagingPort(imaging);
  const scans = new ScansService(db, kind, clock, audit, access, settings, blobAccess, imagingAccess, queue);
  const ocrPool = new LazyOcrPool({ threads: options.ocrThreads ?? 2, ...(options.ocrWorkerFile ? { workerFile: options.ocrWorkerFile } : {}) });
  const moduleDeps: ModuleDeps = { db, kind, clock, audit, access, settings, queue, blobs: blobAccess };
  const checks = new ChecksService(moduleDeps);
  const project = new ProjectService(moduleDeps, checks);
  // A finished check run completes the dossier's 自动校验 stage, in the run's own transaction.
  checks.onFinished((executor, summary) => project.checksFinished(executor, summary));
  const reading = new ReadingService(moduleDeps);
  const housekeeping = new Housekeeping()
    // Page text is indexed as it is read; catalogue changes (cadres, dossiers, materials) are caught up here.
    .add({ name: 'search.catch-up', label: '检索索引补建', everyMs: 15_000, run: () => search.indexPending() });
  const requests = new RequestsService(moduleDeps);
  housekeeping.add({ name: 'access.expire', label: '查阅授权到期', everyMs: 30_000, run: () => requests.approvals.expire() });
  const alerts = new AlertsService(moduleDeps);
  housekeeping.add({ name: 'alerts.scan', label: '安全预警扫描', everyMs: 5_000, run: () => alerts.scan() });
  const lending = new LendingService(moduleDeps);
  housekeeping.add({ name: 'lending.overdue', label: '借阅逾期提醒', everyMs: 3_600_000, run: () => lending.remindOverdue() });
  const jobs = new JobRegistry()
    .register(dossierCheckJob(moduleDeps, checks))
    .register(searchIndexJob(search))
    .register(pageProcessJob({ db, kind, clock, settings, blobs: blobAccess, imaging: imagingAccess, queue }))
    .register(pageOcrJob({ db, kind, clock, blobs: blobAccess, ocr: ocrPool, queue, audit, search }));
  // OCR holds at most its threads' worth of slots, so page processing is never queued behind it.
  const runner = new JobRunner(queue, jobs, { concurrency: (options.imagingThreads ?? 2) * 2, kindLimits: { [PAGE_OCR_JOB]: options.ocrThreads ?? 2 } });
  return {
    handle, clock, keyring, audit, settings, access, auth,
    sessions: new SessionsService(db, clock, settings, audit),
    users: new UsersService(db, kind, clock, audit, auth),
    roles: new RolesService(db, kind, clock, audit),
    units: new UnitsService(db, clock, audit, access),
    dictionary: new DictionaryService(db, clock, audit),
    auditService: new AuditService(db, kind, clock, audit),
    cadres,
    dossiers: new DossiersService(db, kind, clock, audit, access),
    catalogue,
    imports: new ImportService(db, kind, clock, audit, access, cadres, catalogue, completeness, search),
    completeness,
    blobs, imaging, queue, jobs, runner, scans,
    pages: new PagesService(db, kind, clock, audit, access, blobAccess, queue, scans),
    search,
    ocrPool,
    ocr: new OcrService(db, kind, audit, access, blobAccess),
    project, checks,
    dashboard: new DashboardService(moduleDeps),
    reading,
    prints: new PrintService(moduleDeps, reading),
    housekeeping,
    requests,
    relatives: new RelativesService(moduleDeps),
    alerts,
    lending,
    stats: new StatsService(moduleDeps),
    close: async () => {
      await runner.stop();
      await imaging.destroy();
      await ocrPool.destroy();
      await handle.close();
    },
  };
}

export async function bootstrapCore(core: Core, bootstrapPassword: string | undefined, dataDir: string): Promise<BootstrapResult> {
  return bootstrap({
    db: core.handle.db, kind: core.handle.kind, clock: core.clock, roles: core.roles, users: core.users, audit: core.audit,
    bootstrapPassword, credentialsFile: join(dataDir, 'initial-credentials.txt'),
  });
}

export interface AppOptions {
  webDir?: string;
  trustProxy?: string | false;
  logLevel?: string | false;
  loginRateLimit?: { max: number; timeWindow: number };
}

export async function buildApp(core: Core, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = await createHttpServer({
    version: VERSION, trustProxy: options.trustProxy ?? false, webDir: options.webDir, logLevel: options.logLevel ?? false,
    docsGuard: async (request) => {
      await core.auth.authenticate(request.cookies[SESSION_COOKIE], request.ip);
    },
  });
  const router = new Router(app, {
    authenticate: (token, ip) => core.auth.authenticate(token, ip),
    denied: async (session, request, needed: Access) => {
      await core.audit.record(session.actor.audit, {
        action: 'access.denied', result: 'denied', objectType: 'route', objectId: `${request.method} ${request.routeOptions.url ?? request.url}`,
        detail: { needed },
      });
    },
  });

  healthRoutes(router, {
    kind: core.handle.kind, version: VERSION,
    ping: async () => {
      await sql`select 1`.execute(core.handle.db);
    },
  });
  authRoutes(router, core.auth, {
    loginRateLimit: options.loginRateLimit ?? { max: 20, timeWindow: 60_000 },
    absoluteHours: () => core.settings.get('session.absoluteHours'),
  });
  sessionsRoutes(router, core.sessions);
  usersRoutes(router, core.users);
  rolesRoutes(router, core.roles);
  unitsRoutes(router, core.units);
  dictionaryRoutes(router, core.dictionary);
  settingsRoutes(router, core.settings);
  auditRoutes(router, core.auditService, core.audit);
  cadresRoutes(router, core.cadres, core.dossiers);
  catalogueRoutes(router, core.catalogue, { audit: core.audit, settings: core.settings, imports: core.imports });
  completenessRoutes(router, core.completeness);
  scansRoutes(router, core.scans, core.pages);
  saneRoutes(router, core);
  searchRoutes(router, core.search);
  projectRoutes(router, core.project);
  checksRoutes(router, core.checks);
  dashboardRoutes(router, core.dashboard);
  readingRoutes(router, core.reading, core.prints);
  requestsRoutes(router, core.requests);
  relativesRoutes(router, core.relatives);
  alertsRoutes(router, core.alerts);
  lendingRoutes(router, core.lending);
  statsRoutes(router, core.stats);
  ocrRoutes(router, core.ocr, new ProofreadService(core.handle.db, core.handle.kind, core.clock, core.audit, core.access, core.search));

  // The API description is for signed-in users like the rest of the API.
  app.get('/api/openapi.json', { schema: { hide: true } }, async (request) => {
    await core.auth.authenticate(request.cookies[SESSION_COOKIE], request.ip);
    return app.swagger();
  });
  await app.ready();
  return app;
}
