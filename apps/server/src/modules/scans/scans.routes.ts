import { api } from '@dangan/contracts';
import type { FastifyRequest } from 'fastify';
import { invalid } from '../../platform/errors.js';
import type { Router } from '../../platform/http/routing.js';
import type { PagesService } from './pages.service.js';
import type { ScansService } from './scans.service.js';

function fileBody(request: FastifyRequest): Buffer {
  const body = request.body;
  if (!Buffer.isBuffer(body)) throw invalid('SCAN_FILE_MISSING', '请求中没有文件内容', { file: '未选择文件' });
  return body;
}

export function scansRoutes(router: Router, scans: ScansService, pages: PagesService): void {
  router.authed(api.scans.createBatch, async ({ session, body }) => scans.createBatch(session.actor, body.dossierId));
  router.authed(api.scans.batch, async ({ session, params }) => scans.batch(session.actor, params.id));
  router.authed(api.scans.upload, async ({ session, params, query, request }) =>
    scans.upload(session.actor, params.id, query.name, fileBody(request)),
  );

  router.authed(api.pages.ofDossier, async ({ session, params }) => pages.ofDossier(session.actor, params.id));
  router.authed(api.pages.get, async ({ session, params }) => pages.get(session.actor, params.id));
  router.authed(api.pages.image, async ({ session, params, query, reply }) => {
    const image = await pages.image(session.actor, params.id, query.variant);
    // Archive images never stay in a browser or proxy cache.
    reply.header('cache-control', 'no-store');
    if (query.variant === 'original' || query.variant === 'master') {
      const ext = query.variant === 'master' ? 'jpg' : (image.name.split('.').pop() ?? 'bin');
      reply.header('content-disposition', `inline; filename="page.${ext}"; filename*=UTF-8''${encodeURIComponent(image.name)}`);
    }
    return reply.type(image.type).send(image.bytes);
  });
  router.authed(api.pages.edit, async ({ session, params, body }) => pages.edit(session.actor, params.id, body.ops));
  router.authed(api.pages.link, async ({ session, params, body }) => pages.link(session.actor, params.id, body.materialId, body.position));
  router.authed(api.pages.reorder, async ({ session, params, body }) => pages.reorder(session.actor, params.id, body.pageIds));
  router.authed(api.pages.remove, async ({ session, params, body }) => {
    await pages.remove(session.actor, params.id, body.reason);
    return { ok: true as const };
  });
  router.authed(api.pages.replace, async ({ session, params, query, request }) =>
    pages.replace(session.actor, params.id, query.name, fileBody(request)),
  );
}
