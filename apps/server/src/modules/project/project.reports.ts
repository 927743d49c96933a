import type { Actor } from '../access/actor.js';
import { acceptanceReport, type AcceptanceReport } from './report.model.js';
import { renderAcceptancePdf } from './report.pdf.js';
import { renderAcceptanceXlsx } from './report.xlsx.js';
import { batchLabel, type ProjectSupport } from './project.support.js';
import { ProjectViews } from './project.views.js';

export interface ReportFile {
  bytes: Buffer;
  name: string;
}

/** The batch's 验收报告 (PDF and Excel), for the whole batch, its export audited. */
export class ProjectReports {
  private readonly views: ProjectViews;

  constructor(private readonly support: ProjectSupport) {
    this.views = new ProjectViews(support);
  }

  async pdf(actor: Actor, batchId: string): Promise<ReportFile> {
    const report = await this.build(actor, batchId, 'pdf');
    return { bytes: await renderAcceptancePdf(report), name: `验收报告-${report.facts[0]![1]}.pdf` };
  }

  async xlsx(actor: Actor, batchId: string): Promise<ReportFile> {
    const report = await this.build(actor, batchId, 'xlsx');
    return { bytes: await renderAcceptanceXlsx(report), name: `验收报告-${report.facts[0]![1]}.xlsx` };
  }

  private async build(actor: Actor, batchId: string, format: 'pdf' | 'xlsx'): Promise<AcceptanceReport> {
    const scope = await this.support.scopeOf(actor, ['batch.manage', 'batch.approve', 'qc.inspect']);
    const { db, settings, clock, audit } = this.support.deps;
    const { batch } = await this.support.wholeBatch(db, scope, batchId, false);
    const detail = await this.views.detail(db, scope, batch);
    const repo = this.support.repo();
    const rows = await repo.defectsOf({ batchId });
    const rework = new Map(detail.rework.map((r) => [r.id, r.assignee.name]));
    const defects = (await this.views.defects(db, rows)).map((d, i) => ({
      ...d, dossierId: rows[i]!.dossier_id, reworkAssignee: rows[i]!.rework_id ? (rework.get(rows[i]!.rework_id!) ?? null) : null,
    }));
    const report = acceptanceReport(detail, defects, await settings.get('system.organizationName'), clock.now());
    await audit.record(actor.audit, {
      action: 'batch.report.export', objectType: 'batch', objectId: batchId, objectLabel: batchLabel(batch),
      detail: { format, dossiers: detail.dossierCount, passRate: detail.passRate },
    });
    return report;
  }
}
