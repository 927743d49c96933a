import { api } from '@dangan/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, type Router } from '../../platform/http/routing.js';
import type { AuthService } from './auth.service.js';

export interface AuthRouteOptions {
  loginRateLimit: { max: number; timeWindow: number };
  absoluteHours: () => Promise<number>;
}

export function authRoutes(router: Router, auth: AuthService, options: AuthRouteOptions): void {
  router.public(
    api.auth.login,
    async ({ body, request, reply }) => {
      const { token, me } = await auth.login(body.username, body.password, {
        ip: request.ip,
        userAgent: String(request.headers['user-agent'] ?? ''),
      });
      setSessionCookie(request, reply, token, await options.absoluteHours());
      return me;
    },
    { rateLimit: options.loginRateLimit },
  );

  router.authed(api.auth.logout, async ({ session, reply }) => {
    await auth.logout(session);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });

  router.authed(api.auth.me, async ({ session }) => auth.me(session));
  router.authed(api.auth.verifyTotp, async ({ session, body }) => auth.verifyTotp(session, body.code));
  router.authed(api.auth.changePassword, async ({ session, body }) =>
    auth.changePassword(session, body.currentPassword, body.newPassword),
  );
  router.authed(api.auth.startTotpEnrolment, async ({ session }) => auth.startTotpEnrolment(session));
  router.authed(api.auth.confirmTotpEnrolment, async ({ session, body }) => auth.confirmTotpEnrolment(session, body.code));
}

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, absoluteHours: number): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    maxAge: absoluteHours * 3600,
  });
}
