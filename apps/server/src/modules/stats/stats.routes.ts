import { api, type StatsSection } from '@dangan/contracts';
import type { FastifyReply } from 'fastify';
import type { Router } from '../../platform/http/routing.js';
import type { StatsService } from './stats.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function send(reply: FastifyReply, section: StatsSection, file: { filename: string; data: Buffer }): FastifyReply {
  reply.header('cache-control', 'no-store');
  reply.header('content-disposition', `attachment; filename="stats-${section}.xlsx"; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
  return reply.type(XLSX).send(file.data);
}

export function statsRoutes(router: Router, stats: StatsService): void {
  const s = api.stats;
  router.authed(s.archive, async ({ session }) => stats.archive(session.actor));
  router.authed(s.use, async ({ session, query }) => stats.use(session.actor, query));
  router.authed(s.cadres, async ({ session, query }) => stats.cadres(session.actor, query));
  router.authed(s.archiveExport, async ({ session, query, reply }) => send(reply, 'archive', await stats.export(session.actor, 'archive', query)));
  router.authed(s.useExport, async ({ session, query, reply }) => send(reply, 'use', await stats.export(session.actor, 'use', query)));
  router.authed(s.cadresExport, async ({ session, query, reply }) => send(reply, 'cadres', await stats.export(session.actor, 'cadres', query)));
}
