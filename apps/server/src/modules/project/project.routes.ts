import { api } from '@dangan/contracts';
import type { FastifyReply } from 'fastify';
import type { Router } from '../../platform/http/routing.js';
import type { ReportFile } from './project.reports.js';
import type { ProjectService } from './project.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function sendFile(reply: FastifyReply, file: ReportFile, type: string, disposition: 'inline' | 'attachment'): FastifyReply {
  const ascii = file.name.endsWith('.pdf') ? 'report.pdf' : 'report.xlsx';
  reply.header('cache-control', 'no-store');
  reply.header('content-disposition', `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`);
  return reply.type(type).send(file.bytes);
}

export function projectRoutes(router: Router, project: ProjectService): void {
  const b = api.batches;
  router.authed(b.list, async ({ session, query }) => project.list(session.actor, query));
  router.authed(b.create, async ({ session, body }) => project.create(session.actor, body));
  router.authed(b.get, async ({ session, params }) => project.get(session.actor, params.id));
  router.authed(b.update, async ({ session, params, body }) => project.update(session.actor, params.id, body));
  router.authed(b.addDossiers, async ({ session, params, body }) => project.addDossiers(session.actor, params.id, body.dossierIds));
  router.authed(b.removeDossier, async ({ session, params }) => project.removeDossier(session.actor, params.id, params.dossierId));
  router.authed(b.cancel, async ({ session, params, body }) => project.cancel(session.actor, params.id, body.reason));
  router.authed(b.requestCheckout, async ({ session, params, body }) => project.requestCheckout(session.actor, params.id, body.note));
  router.authed(b.approveCheckout, async ({ session, params, body }) => project.approveCheckout(session.actor, params.id, body.note));
  router.authed(b.refuseCheckout, async ({ session, params, body }) => project.refuseCheckout(session.actor, params.id, body.reason));
  router.authed(b.handOver, async ({ session, params, body }) => project.handOver(session.actor, params.id, body.receiverId, body.note));
  router.authed(b.checkIn, async ({ session, params, body }) => project.checkIn(session.actor, params.id, body));
  router.authed(b.startStage, async ({ session, params }) => project.stages.start(session.actor, params.id, params.dossierId, params.stage));
  router.authed(b.finishStage, async ({ session, params, body }) =>
    project.stages.finish(session.actor, params.id, params.dossierId, params.stage, body.note),
  );
  router.authed(b.reworkStage, async ({ session, params, body }) =>
    project.stages.rework(session.actor, params.id, params.dossierId, params.stage, body.reason),
  );
  router.authed(b.scanRegister, async ({ session, params }) => project.stages.scanRegister(session.actor, params.id, params.dossierId));
  router.authed(b.explainScan, async ({ session, params, body }) => project.stages.explainScan(session.actor, params.id, params.materialId, body.note));
  router.authed(b.drawSample, async ({ session, params }) => project.quality.drawSample(session.actor, params.id));
  router.authed(b.accept, async ({ session, params, body }) => project.accept(session.actor, params.id, body.note));
  router.authed(b.refuseAcceptance, async ({ session, params, body }) => project.refuseAcceptance(session.actor, params.id, body.reason));
  router.authed(b.reportPdf, async ({ session, params, reply }) => sendFile(reply, await project.reports.pdf(session.actor, params.id), 'application/pdf', 'inline'));
  router.authed(b.reportXlsx, async ({ session, params, reply }) => sendFile(reply, await project.reports.xlsx(session.actor, params.id), XLSX, 'attachment'));
  router.authed(b.operators, async ({ session }) => project.operators(session.actor));

  router.authed(api.handovers.confirm, async ({ session, params }) => project.confirmHandover(session.actor, params.id));

  const i = api.inspections;
  router.authed(i.open, async ({ session, body }) => project.quality.open(session.actor, body.batchId, body.dossierId));
  router.authed(i.get, async ({ session, params }) => project.quality.get(session.actor, params.id));
  router.authed(i.addDefect, async ({ session, params, body }) => project.quality.addDefect(session.actor, params.id, body));
  router.authed(i.removeDefect, async ({ session, params }) => project.quality.removeDefect(session.actor, params.id, params.defectId));
  router.authed(i.verdict, async ({ session, params, body }) => project.quality.verdict(session.actor, params.id, body));

  const r = api.rework;
  router.authed(r.list, async ({ session, query }) => project.quality.reworkList(session.actor, query));
  router.authed(r.get, async ({ session, params }) => project.quality.rework(session.actor, params.id));
  router.authed(r.fixDefect, async ({ session, params, body }) => project.quality.fixDefect(session.actor, params.id, params.defectId, body.note));
  router.authed(r.submit, async ({ session, params, body }) => project.quality.submit(session.actor, params.id, body.note));
}
