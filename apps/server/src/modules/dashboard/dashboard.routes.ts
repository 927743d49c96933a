import { api, type DashboardTable } from '@dangan/contracts';
import type { Router } from '../../platform/http/routing.js';
import type { DashboardService } from './dashboard.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const EXPORTS: [DashboardTable, (typeof api.dashboard)['stagesXlsx']][] = [
  ['stages', api.dashboard.stagesXlsx],
  ['batches', api.dashboard.batchesXlsx],
  ['operators', api.dashboard.operatorsXlsx],
  ['defects', api.dashboard.defectsXlsx],
  ['stuck', api.dashboard.stuckXlsx],
];

export function dashboardRoutes(router: Router, dashboard: DashboardService): void {
  router.authed(api.dashboard.get, async ({ session, query }) => dashboard.dashboard(session.actor, query));
  for (const [table, e] of EXPORTS) {
    router.authed(e, async ({ session, query, reply }) => {
      const { filename, data } = await dashboard.export(session.actor, table, query);
      reply.header('content-disposition', `attachment; filename="dashboard-${table}.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`);
      return reply.type(XLSX).send(data);
    });
  }
  router.authed(api.tasks.list, async ({ session }) => dashboard.tasks(session.actor));
  router.authed(api.tasks.summary, async ({ session }) => dashboard.taskSummary(session.actor));
}
