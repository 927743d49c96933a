import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { TOTP, Secret } from 'otpauth';
import type { Me } from '@dangan/contracts';
import { bootstrapCore, buildApp, openCore, type AppOptions, type Core } from '../src/app.js';
import { ManualClock } from '../src/platform/clock.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

export const BOOT_PASSWORD = 'Boot-Passw0rd!';
export const MASTER_KEY = '0f'.repeat(32);

export interface TestApp {
  app: FastifyInstance;
  core: Core;
  clock: ManualClock;
  database: TestDatabase;
  close(): Promise<void>;
}

/** A real app on a fresh database of the kind under test, with a clock the test moves. */
export async function createTestApp(options: AppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const clock = new ManualClock('2026-03-02T01:00:00.000Z');
  const core = await openCore({ databaseUrl: database.url, dataDir: database.dataDir, masterKey: MASTER_KEY, clock });
  await bootstrapCore(core, BOOT_PASSWORD, database.dataDir);
  const app = await buildApp(core, { loginRateLimit: { max: 10_000, timeWindow: 60_000 }, ...options });
  return {
    app, core, clock, database,
    close: async () => {
      await app.close();
      await core.close();
      await database.drop();
    },
  };
}

export interface CallOptions {
  body?: unknown;
  query?: Record<string, string | number>;
  headers?: Record<string, string>;
  csrf?: boolean;
}

/** A browser stand-in: keeps the session cookie and sends the CSRF token like the web client. */
export class Agent {
  cookie: string | undefined;
  csrf: string | undefined;
  me: Me | undefined;
  totpSecret: string | undefined;

  constructor(
    readonly t: TestApp,
    readonly ip = '10.1.2.3',
  ) {}

  async call(method: string, url: string, options: CallOptions = {}): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (this.cookie) headers.cookie = `dangan_sid=${this.cookie}`;
    if (this.csrf && options.csrf !== false && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    const res = await this.t.app.inject({
      method: method as 'GET',
      url,
      headers,
      remoteAddress: this.ip,
      ...(options.query ? { query: Object.fromEntries(Object.entries(options.query).map(([k, v]) => [k, String(v)])) } : {}),
      ...(options.body !== undefined ? { payload: options.body as object } : {}),
    });
    const set = res.cookies.find((c) => c.name === 'dangan_sid');
    if (set) this.cookie = set.value || undefined;
    if (res.statusCode === 200 && res.headers['content-type']?.toString().includes('json')) {
      const body = res.json() as Partial<Me>;
      if (body && typeof body === 'object' && 'csrfToken' in body && 'stage' in body) {
        this.me = body as Me;
        this.csrf = body.csrfToken;
      }
    }
    return res;
  }

  get = (url: string, options?: CallOptions) => this.call('GET', url, options);
  post = (url: string, options?: CallOptions) => this.call('POST', url, options);
  put = (url: string, options?: CallOptions) => this.call('PUT', url, options);
  patch = (url: string, options?: CallOptions) => this.call('PATCH', url, options);
  delete = (url: string, options?: CallOptions) => this.call('DELETE', url, options);

  async login(username: string, password: string): Promise<LightMyRequestResponse> {
    return this.post('/api/auth/login', { body: { username, password } });
  }

  /** A fresh TOTP code, after moving the clock past the last used time step. */
  totpCode(): string {
    if (!this.totpSecret) throw new Error('no TOTP secret enrolled');
    this.t.clock.advance(30_000);
    return new TOTP({ secret: Secret.fromBase32(this.totpSecret) }).generate({ timestamp: this.t.clock.now().getTime() });
  }

  /**
   * Logs in and walks whatever first-login steps the server asks for: TOTP, forced password change,
   * TOTP enrolment. Returns with an active session.
   */
  async signIn(username: string, password: string, newPassword = `${password}x9`): Promise<string> {
    let current = password;
    const res = await this.login(username, password);
    if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
    for (let i = 0; i < 4 && this.me?.stage !== 'active'; i++) {
      const stage = this.me?.stage;
      let step: LightMyRequestResponse;
      if (stage === 'totp') {
        step = await this.post('/api/auth/totp', { body: { code: this.totpCode() } });
      } else if (stage === 'change_password') {
        step = await this.post('/api/auth/password', { body: { currentPassword: current, newPassword } });
        current = newPassword;
      } else {
        const start = await this.post('/api/auth/totp/enrolment');
        this.totpSecret = (start.json() as { secret: string }).secret;
        step = await this.post('/api/auth/totp/enrolment/confirm', { body: { code: this.totpCode() } });
      }
      if (step.statusCode !== 200) throw new Error(`${username} at ${stage}: ${step.statusCode} ${step.body}`);
    }
    return current;
  }
}

export const OFFICER_PASSWORD = `${BOOT_PASSWORD}x9`;

export interface Officers {
  sysadmin: Agent;
  secadmin: Agent;
  auditor: Agent;
}

export async function signInOfficers(t: TestApp): Promise<Officers> {
  const sysadmin = new Agent(t, '10.0.0.1');
  const secadmin = new Agent(t, '10.0.0.2');
  const auditor = new Agent(t, '10.0.0.3');
  await sysadmin.signIn('sysadmin', BOOT_PASSWORD);
  await secadmin.signIn('secadmin', BOOT_PASSWORD);
  await auditor.signIn('auditor', BOOT_PASSWORD);
  return { sysadmin, secadmin, auditor };
}

export function json<T = Record<string, unknown>>(res: LightMyRequestResponse): T {
  return res.json() as T;
}

export async function roleId(agent: Agent, code: string): Promise<string> {
  const roles = json<{ id: string; code: string }[]>(await agent.get('/api/roles'));
  const role = roles.find((r) => r.code === code);
  if (!role) throw new Error(`no role ${code}`);
  return role.id;
}

export async function rootUnitId(agent: Agent): Promise<string> {
  const units = json<{ id: string; code: string }[]>(await agent.get('/api/units'));
  return units.find((u) => u.code === 'ROOT')!.id;
}
