import { IMPORT_TYPES, api, type Catalogue } from '@dangan/contracts';
import { invalid } from '../../platform/errors.js';
import type { Router } from '../../platform/http/routing.js';
import type { AuditLog } from '../audit/audit.log.js';
import type { SettingsService } from '../settings/settings.service.js';
import type { CatalogueService } from './catalogue.service.js';
import { fromIsoPrefix } from './dates.js';
import { renderCataloguePdf } from './io/catalogue.pdf.js';
import type { CataloguePrint } from './io/catalogue.print.js';
import { parseImportCsv } from './io/catalogue.csv.js';
import { buildImportTemplate, catalogueWorkbookStream, parseImportWorkbook } from './io/catalogue.xlsx.js';
import type { ImportService } from './import.service.js';

export function catalogueRoutes(
  router: Router,
  catalogue: CatalogueService,
  deps: { audit: AuditLog; settings: SettingsService; imports: ImportService },
): void {
  router.authed(api.catalogueIo.template, async ({ reply }) => {
    const name = encodeURIComponent('干部档案目录导入模板.xlsx');
    reply.header('content-disposition', `attachment; filename="catalogue-template.xlsx"; filename*=UTF-8''${name}`);
    return reply.type(IMPORT_TYPES.xlsx).send(await buildImportTemplate());
  });

  router.authed(api.catalogueIo.import, async ({ session, query, request }) => {
    const body = request.body;
    if (!Buffer.isBuffer(body) || body.length === 0) {
      throw invalid('IMPORT_EMPTY', '请选择要导入的 Excel（.xlsx）或 CSV 文件', { file: '未选择文件' });
    }
    // A file declared as a workbook is read as one, so a damaged .xlsx is reported as such; otherwise
    // the content decides (an xlsx file is a zip), whatever the name.
    const declaredXlsx = String(request.headers['content-type'] ?? '').startsWith(IMPORT_TYPES.xlsx);
    const isZip = body.subarray(0, 2).toString('latin1') === 'PK';
    const parsed = declaredXlsx || isZip ? await parseImportWorkbook(body) : parseImportCsv(body, query.kind ?? 'materials');
    return deps.imports.run(session.actor, parsed, query.dryRun);
  });

  router.authed(api.catalogueIo.export, async ({ session, query, reply }) => {
    const organization = await deps.settings.get('system.organizationName');
    const outputs = [];
    for (const id of query.dossierIds) outputs.push((await catalogue.forOutput(session.actor, id)).catalogue);
    await deps.audit.record(session.actor.audit, {
      action: 'catalogue.export', objectType: 'dossier', objectId: query.dossierIds.length === 1 ? query.dossierIds[0] : undefined,
      objectLabel: outputs.map((c) => c.dossier.dossierNo).slice(0, 20).join('、'), detail: { dossiers: outputs.length },
    });
    const name = encodeURIComponent(`干部档案目录-${outputs.length === 1 ? outputs[0]!.cadre.name : `${outputs.length}份`}.xlsx`);
    reply.header('content-disposition', `attachment; filename="catalogue.xlsx"; filename*=UTF-8''${name}`);
    return reply.type(IMPORT_TYPES.xlsx).send(catalogueWorkbookStream(outputs.map((c) => toPrint(c, organization))));
  });

  router.authed(api.dossiers.catalogue, async ({ session, params }) => catalogue.view(session.actor, params.id));
  router.authed(api.materials.create, async ({ session, params, body }) => catalogue.add(session.actor, params.id, body));
  router.authed(api.materials.update, async ({ session, params, body }) => catalogue.update(session.actor, params.id, body));
  router.authed(api.materials.remove, async ({ session, params, body }) => catalogue.remove(session.actor, params.id, body.reason));
  router.authed(api.materials.restore, async ({ session, params }) => catalogue.restore(session.actor, params.id));
  router.authed(api.materials.reorder, async ({ session, params, body }) =>
    catalogue.reorder(session.actor, params.id, body.classCode, body.materialIds),
  );

  router.authed(api.dossiers.print, async ({ session, params, reply }) => {
    const { catalogue: c } = await catalogue.forOutput(session.actor, params.id);
    const pdf = await renderCataloguePdf(toPrint(c, await deps.settings.get('system.organizationName')));
    await deps.audit.record(session.actor.audit, {
      action: 'catalogue.print', objectType: 'dossier', objectId: params.id, objectLabel: `${c.dossier.dossierNo}（${c.cadre.name}）`,
      detail: { materials: c.materialCount, pages: c.pageCount },
    });
    const name = encodeURIComponent(`干部档案目录-${c.cadre.name}-${c.dossier.dossierNo}.pdf`);
    reply.header('content-disposition', `inline; filename="catalogue.pdf"; filename*=UTF-8''${name}`);
    return reply.type('application/pdf').send(pdf);
  });
}

/** The catalogue as the printers take it: classes in order, subclasses after their parent. */
export function toPrint(c: Catalogue, organizationName: string): CataloguePrint {
  return {
    organizationName,
    cadreName: c.cadre.name,
    dossierNo: c.dossier.dossierNo,
    unitName: c.cadre.managingUnitName,
    printedAt: new Date(),
    classes: c.classes.map((k) => ({
      code: k.code,
      label: k.label,
      isSubclass: k.parentCode !== null,
      materials: k.materials.map((m) => {
        const d = fromIsoPrefix(m.formedOn);
        return { seq: m.seq, name: m.name, year: d?.year ?? null, month: d?.month ?? null, day: d?.day ?? null, copies: m.copies, pages: m.pages, remark: m.remark };
      }),
    })),
  };
}
