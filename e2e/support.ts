import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Secret, TOTP } from 'otpauth';
import pg from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'apps/server/bin/dangan.mjs');
export const SHOTS = join(ROOT, 'e2e/screenshots');
const PG_ADMIN = process.env.DANGAN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface RunningSystem {
  url: string;
  dataDir: string;
  databaseUrl: string;
  env: NodeJS.ProcessEnv;
  /** Runs `dangan …` against this system's database. */
  cli(...args: string[]): { code: number | null; out: string; err: string };
  /** The initial passwords the first start printed to data/initial-credentials.txt. */
  initialPassword(username: string): string;
  sql(text: string): Promise<void>;
  stop(): Promise<void>;
}

/** The built system as `npm start` runs it, on a fresh data directory and database of the given kind. */
export async function startSystem(kind: 'sqlite' | 'postgres'): Promise<RunningSystem> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dangan-e2e-'));
  let databaseUrl = join(dataDir, 'dangan.sqlite');
  let dbName: string | undefined;
  if (kind === 'postgres') {
    dbName = `dangan_e2e_${Date.now()}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const u = new URL(PG_ADMIN);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env, PORT: String(port), HOST: '127.0.0.1', DANGAN_DATA_DIR: dataDir, DATABASE_URL: databaseUrl,
    // Scanners are SANE's built-in test devices (the project's own SANE configuration), never the machine's.
    SANE_CONFIG_DIR: join(ROOT, 'apps/server/test/sane'),
  };
  delete env.DANGAN_BOOTSTRAP_PASSWORD;
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || i > 300) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url, dataDir, databaseUrl, env,
    cli: (...args) => {
      const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });
      return { code: r.status, out: r.stdout, err: r.stderr };
    },
    initialPassword: (username) => {
      const line = readFileSync(join(dataDir, 'initial-credentials.txt'), 'utf8').split('\n').find((l) => l.startsWith(`${username}\t`));
      if (!line) throw new Error(`no initial password for ${username}`);
      return line.split('\t')[1]!;
    },
    sql: async (text) => {
      if (kind === 'postgres') {
        const c = new pg.Client({ connectionString: databaseUrl });
        await c.connect();
        await c.query(text);
        await c.end();
      } else {
        const { default: Database } = await import('better-sqlite3');
        const db = new Database(databaseUrl);
        db.exec(text);
        db.close();
      }
    },
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      if (dbName) {
        const admin = new pg.Client({ connectionString: PG_ADMIN });
        await admin.connect();
        await admin.query(`drop database if exists ${dbName} with (force)`);
        await admin.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** An HTTP client for the setup a journey does not show: keeps the cookie and the CSRF token. */
export class ApiSession {
  private cookie = '';
  private csrf = '';
  totpSecret = '';

  constructor(private readonly base: string) {}

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrf && method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
    const json = (await res.json().catch(() => ({}))) as T & { csrfToken?: string };
    if (json && typeof json === 'object' && 'csrfToken' in json && json.csrfToken) this.csrf = json.csrfToken;
    return { status: res.status, json };
  }

  /** A request whose body is a file (scan uploads): the raw bytes with their type. */
  async upload<T = Record<string, unknown>>(path: string, bytes: Buffer, type: string): Promise<{ status: number; json: T }> {
    const res = await fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': type, cookie: this.cookie, 'x-csrf-token': this.csrf },
      body: bytes,
    });
    return { status: res.status, json: (await res.json().catch(() => ({}))) as T };
  }

  /** A file answer (images, PDFs) with its status and headers. */
  async fetchBytes(path: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
    const res = await fetch(`${this.base}${path}`, { headers: { cookie: this.cookie } });
    return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
  }

  /** First login of a bootstrap officer: password change and TOTP enrolment, as the UI would do. */
  async firstLogin(username: string, initial: string, next: string): Promise<void> {
    const { TOTP, Secret } = await import('otpauth');
    let r = await this.call<{ stage: string }>('POST', '/api/auth/login', { username, password: initial });
    if (r.json.stage === 'change_password') r = await this.call('POST', '/api/auth/password', { currentPassword: initial, newPassword: next });
    if (r.json.stage === 'enrol_totp') {
      const e = await this.call<{ secret: string }>('POST', '/api/auth/totp/enrolment');
      this.totpSecret = e.json.secret;
      const code = new TOTP({ secret: Secret.fromBase32(this.totpSecret) }).generate();
      r = await this.call('POST', '/api/auth/totp/enrolment/confirm', { code });
    }
    if (r.json.stage !== 'active') throw new Error(`${username} did not reach an active session: ${JSON.stringify(r.json)}`);
  }
}

/**
 * The journeys' TOTP codes: each user's secret, and a code from a time step that user has not used
 * yet (the server refuses a replayed code, so a second sign-in within 30 s waits for the next step).
 */
export class TotpCodes {
  private readonly secrets = new Map<string, string>();
  private readonly lastStep = new Map<string, number>();

  /** Records the user's secret; `usedNow` when a code of the current step was just spent (enrolment). */
  set(username: string, secret: string, usedNow = false): void {
    this.secrets.set(username, secret);
    if (usedNow) this.lastStep.set(username, Math.floor(Date.now() / 30_000));
  }

  has(username: string): boolean {
    return this.secrets.has(username);
  }

  async code(username: string): Promise<string> {
    const totp = new TOTP({ secret: Secret.fromBase32(this.secrets.get(username)!) });
    for (;;) {
      const step = Math.floor(Date.now() / 30_000);
      if (step !== this.lastStep.get(username)) {
        this.lastStep.set(username, step);
        return totp.generate();
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/**
 * Collects what a page must never do into `problems`: an uncaught error, a console error other than a
 * refused request's 4xx, a request leaving the system (`allow`: the browser's own schemes).
 */
export function watchPage(page: Page, baseUrl: string, problems: string[], label = '', allow = /^(data|blob):/): void {
  const tag = label ? `${label} ` : '';
  page.on('pageerror', (e) => problems.push(`[${tag}pageerror] ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(`[${tag}console] ${m.text()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(baseUrl) && !allow.test(r.url())) problems.push(`[outside request] ${r.url()}`);
  });
}
