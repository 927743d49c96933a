import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  bootstrapPassword: string | undefined;
  masterKey: string | undefined;
  /** Trust X-Forwarded-For from these proxies (comma list), for the client address in the audit log. */
  trustProxy: string | false;
  webDir: string | undefined;
  /** Request and error logging (pino levels); the audit log is separate and always on. */
  logLevel: string;
  /** `all` serves the API and runs jobs; `api` only serves; `worker` only runs jobs (PostgreSQL, many machines). */
  processMode: 'all' | 'api' | 'worker';
  /** Image-processing worker threads (default: one per core). */
  imagingThreads: number;
  /** OCR worker threads, one engine (model instance) each (default 2). */
  ocrThreads: number;
  /** How long a claimed job stays claimed without a heartbeat (another worker may then take it). */
  jobLeaseSeconds: number;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`环境变量 ${name} 须为 ${min}–${max} 的整数，当前为「${raw}」`);
  }
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const dataDir = resolve(cwd, env.DANGAN_DATA_DIR || 'data');
  return {
    port: intFromEnv(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '127.0.0.1',
    dataDir,
    databaseUrl: env.DATABASE_URL || resolve(dataDir, 'dangan.sqlite'),
    bootstrapPassword: env.DANGAN_BOOTSTRAP_PASSWORD || undefined,
    masterKey: env.DANGAN_MASTER_KEY || undefined,
    trustProxy: env.DANGAN_TRUST_PROXY || false,
    webDir: env.DANGAN_WEB_DIR || undefined,
    logLevel: env.DANGAN_LOG_LEVEL || 'warn',
    processMode: processMode(env.PROCESS_MODE),
    jobLeaseSeconds: intFromEnv(env, 'DANGAN_JOB_LEASE_SECONDS', 60, 2, 3600),
    imagingThreads: intFromEnv(env, 'DANGAN_IMAGING_THREADS', Math.max(1, availableParallelism()), 1, 64),
    ocrThreads: intFromEnv(env, 'DANGAN_OCR_THREADS', 2, 1, 64),
  };
}

function processMode(raw: string | undefined): Config['processMode'] {
  const mode = (raw || 'all').trim();
  if (mode !== 'all' && mode !== 'api' && mode !== 'worker') throw new Error(`环境变量 PROCESS_MODE 须为 all、api 或 worker，当前为「${raw}」`);
  return mode;
}
