import type { Access, Endpoint } from '@dangan/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { constantTimeEqual } from '../crypto/hash.js';
import { forbidden } from '../errors.js';
import type { SessionContext } from '../../modules/auth/auth.service.js';

type Out<T> = [NonNullable<T>] extends [z.ZodNever] ? undefined : NonNullable<T> extends z.ZodType ? z.output<NonNullable<T>> : undefined;

export interface HandlerInput<E extends Endpoint> {
  params: Out<E['params']>;
  query: Out<E['query']>;
  body: Out<E['body']>;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface AuthedInput<E extends Endpoint> extends HandlerInput<E> {
  session: SessionContext;
}

/** What a handler returns: the response body, or the reply itself for endpoints that send a file. */
type Result<E extends Endpoint> = [NonNullable<E['response']>] extends [z.ZodNever]
  ? FastifyReply
  : z.input<NonNullable<E['response']>>;

export const SESSION_COOKIE = 'dangan_sid';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    session?: SessionContext;
  }
}

export interface RoutingDeps {
  authenticate(token: string | undefined, clientIp: string): Promise<SessionContext>;
  /** Records a refused request in the audit log. */
  denied(session: SessionContext, request: FastifyRequest, access: Access): Promise<void>;
}

/**
 * Registers endpoints from the shared contracts. Access is decided here and nowhere else: the session,
 * its login stage, the CSRF token and the permission the endpoint names.
 */
export class Router {
  constructor(
    private readonly app: FastifyInstance,
    private readonly deps: RoutingDeps,
  ) {}

  public<E extends Endpoint>(
    e: E,
    handler: (input: HandlerInput<E>) => Promise<Result<E>>,
    options: { rateLimit?: { max: number; timeWindow: number } } = {},
  ): void {
    if (e.access !== 'public') throw new Error(`${e.method} ${e.path} is not public`);
    this.add(e, async (request, reply) => handler(inputOf<E>(request, reply)), options.rateLimit);
  }

  authed<E extends Endpoint>(e: E, handler: (input: AuthedInput<E>) => Promise<Result<E>>): void {
    if (e.access === 'public') throw new Error(`${e.method} ${e.path} is public`);
    const access = e.access;
    // Runs before body validation, so an anonymous or unauthorized caller learns nothing from it.
    const guard = async (request: FastifyRequest): Promise<void> => {
      const session = await this.deps.authenticate(request.cookies[SESSION_COOKIE], request.ip);
      request.session = session;
      if (UNSAFE.has(request.method)) {
        const sent = request.headers['x-csrf-token'];
        if (typeof sent !== 'string' || !constantTimeEqual(sent, session.session.csrf_token)) {
          throw forbidden('CSRF_INVALID', '请求校验失败（CSRF 令牌无效），请刷新页面后重试');
        }
      }
      if (access !== 'session' && session.session.stage !== 'active') {
        throw forbidden('LOGIN_INCOMPLETE', '请先完成登录步骤（修改初始密码或动态口令）');
      }
      if (!allows(access, session)) {
        await this.deps.denied(session, request, access);
        throw forbidden('FORBIDDEN', '没有执行此操作的权限');
      }
    };
    this.add(e, async (request, reply) => handler({ ...inputOf<E>(request, reply), session: request.session! }), undefined, guard);
  }

  private add(
    e: Endpoint,
    handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
    rateLimit?: { max: number; timeWindow: number },
    guard?: (request: FastifyRequest) => Promise<void>,
  ): void {
    this.app.withTypeProvider<ZodTypeProvider>().route({
      method: e.method,
      url: e.path,
      schema: {
        summary: e.summary,
        tags: [e.tag],
        description: `权限：${describeAccess(e.access)}`,
        ...(e.params ? { params: e.params } : {}),
        ...(e.query ? { querystring: e.query } : {}),
        ...(e.body ? { body: e.body } : {}),
        ...(e.response ? { response: { 200: e.response } } : {}),
      },
      config: rateLimit ? { rateLimit } : {},
      ...(e.consumes ? { bodyLimit: e.consumes.maxBytes } : {}),
      ...(guard ? { onRequest: guard } : {}),
      handler: async (request, reply) => {
        const result = await handler(request, reply);
        if (reply.sent) return reply;
        return result;
      },
    });
  }
}

function inputOf<E extends Endpoint>(request: FastifyRequest, reply: FastifyReply): HandlerInput<E> {
  return {
    params: request.params as Out<E['params']>,
    query: request.query as Out<E['query']>,
    body: request.body as Out<E['body']>,
    request,
    reply,
  };
}

export function allows(access: Access, session: SessionContext): boolean {
  if (access === 'public' || access === 'session' || access === 'user') return true;
  const needed = typeof access === 'string' ? [access] : access;
  return needed.some((p) => session.actor.permissions.has(p));
}

function describeAccess(access: Access): string {
  if (access === 'public') return '无需登录';
  if (access === 'session') return '已登录（含未完成首次登录步骤）';
  if (access === 'user') return '已登录用户';
  return typeof access === 'string' ? access : access.join(' 或 ');
}
