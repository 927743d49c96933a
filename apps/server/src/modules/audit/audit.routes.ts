import { api } from '@dangan/contracts';
import type { Router } from '../../platform/http/routing.js';
import type { AuditLog } from './audit.log.js';
import { auditCsv, auditXlsx } from './audit.export.js';
import type { AuditService } from './audit.service.js';

export function auditRoutes(router: Router, audit: AuditService, log: AuditLog): void {
  router.authed(api.audit.list, async ({ session, query }) => {
    const { page, pageSize, ...filter } = query;
    return audit.list(session.actor.audit, filter, page, pageSize);
  });
  router.authed(api.audit.actions, async () => audit.actions());
  router.authed(api.audit.verify, async ({ session }) => audit.verify(session.actor.audit));

  router.authed(api.audit.export, async ({ session, query, reply }) => {
    const { format, ...filter } = query;
    await log.record(session.actor.audit, { action: 'audit.export', objectType: 'audit', detail: { format, filter } });
    // The users' date, not UTC's: at 02:00 in Beijing it is already tomorrow.
    const stamp = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const name = encodeURIComponent(`审计日志-${stamp}.${format}`);
    reply.header('content-disposition', `attachment; filename="audit-${stamp}.${format}"; filename*=UTF-8''${name}`);
    if (format === 'csv') {
      reply.type('text/csv; charset=utf-8');
      return reply.send(auditCsv(audit.stream(filter)));
    }
    reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    return reply.send(auditXlsx(audit.stream(filter), '干部人事档案系统'));
  });
}
