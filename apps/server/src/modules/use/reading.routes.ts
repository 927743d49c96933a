import { api } from '@dangan/contracts';
import type { FastifyReply } from 'fastify';
import type { Router } from '../../platform/http/routing.js';
import type { PrintService } from './print.service.js';
import type { ReadingService } from './reading.service.js';

/** A reader's images and prints stay out of every cache, and the browser is told not to guess their type. */
function privateFile(reply: FastifyReply, type: string, disposition: string): FastifyReply {
  reply.header('cache-control', 'no-store, private');
  reply.header('pragma', 'no-cache');
  reply.header('x-content-type-options', 'nosniff');
  reply.header('content-disposition', disposition);
  return reply.type(type);
}

const inline = (name: string) => `inline; filename="${name}"`;
/** A download under its Chinese name, with a plain ASCII name for clients that know no better. */
const attachment = (ascii: string, name: string) => `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export function readingRoutes(router: Router, reading: ReadingService, prints: PrintService): void {
  const r = api.reading;
  router.authed(r.grants, async ({ session }) => reading.grants(session.actor));
  router.authed(r.open, async ({ session, body }) => reading.open(session.actor, body.requestId, body.dossierId));
  router.authed(r.heartbeat, async ({ session, params }) => reading.heartbeat(session.actor, params.id));
  router.authed(r.close, async ({ session, params }) => {
    await reading.close(session.actor, params.id);
    return { ok: true as const };
  });
  router.authed(r.catalogue, async ({ session, params }) => reading.catalogue(session.actor, params.id));
  router.authed(r.image, async ({ session, params, query, reply }) => {
    const bytes = await reading.pageImage(session.actor, params.id, params.pageId, query.w);
    return privateFile(reply, 'image/jpeg', inline('page.jpg')).send(bytes);
  });
  router.authed(r.print, async ({ session, params, body, reply }) => {
    const result = await prints.print(session.actor, params.id, body.materialIds);
    reply.header('x-print-serial', result.serialNo);
    return privateFile(reply, 'application/pdf', inline(result.name)).send(result.bytes);
  });
  router.authed(r.export, async ({ session, params, body, reply }) => {
    const result = await prints.exportSearchable(session.actor, params.id, body.materialIds);
    reply.header('x-print-serial', result.serialNo);
    return privateFile(reply, 'application/pdf', attachment(`${result.serialNo}.pdf`, result.name)).send(result.bytes);
  });
  router.authed(r.log, async ({ session, query }) => reading.ownLog(session.actor, query));

  router.authed(api.useLogs.readingLog, async ({ session, query }) => reading.readingLog(session.actor, query));
  router.authed(api.useLogs.prints, async ({ session, query }) => prints.log(session.actor, query));
}
