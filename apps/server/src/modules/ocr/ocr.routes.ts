import { api } from '@dangan/contracts';
import type { FastifyReply } from 'fastify';
import type { Router } from '../../platform/http/routing.js';
import type { OcrService, PdfExport } from './ocr.service.js';
import type { ProofreadService } from './proofread.service.js';

function sendPdf(reply: FastifyReply, pdf: PdfExport) {
  // Archive content never stays in a browser or proxy cache.
  reply.header('cache-control', 'no-store');
  reply.header('content-disposition', `attachment; filename="archive.pdf"; filename*=UTF-8''${encodeURIComponent(pdf.name)}`);
  return reply.type('application/pdf').send(pdf.bytes);
}

export function ocrRoutes(router: Router, ocr: OcrService, proofread: ProofreadService): void {
  router.authed(api.pages.text, async ({ session, params }) => ocr.text(session.actor, params.id));
  router.authed(api.pages.editTextLine, async ({ session, params, body }) => proofread.editLine(session.actor, params.id, params.index, body.text));
  router.authed(api.pages.textEdits, async ({ session, params }) => proofread.edits(session.actor, params.id));
  router.authed(api.pages.materialPdf, async ({ session, params, reply }) => sendPdf(reply, await ocr.materialPdf(session.actor, params.id)));
  router.authed(api.pages.dossierPdf, async ({ session, params, reply }) => sendPdf(reply, await ocr.dossierPdf(session.actor, params.id)));
}
