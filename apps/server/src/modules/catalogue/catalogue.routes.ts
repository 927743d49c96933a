import { api, type Catalogue } from '@dangan/contracts';
import type { Router } from '../../platform/http/routing.js';
import type { AuditLog } from '../audit/audit.log.js';
import type { SettingsService } from '../settings/settings.service.js';
import type { CatalogueService } from './catalogue.service.js';
import { fromIsoPrefix } from './dates.js';
import { renderCataloguePdf } from './io/catalogue.pdf.js';
import type { CataloguePrint } from './io/catalogue.print.js';

export function catalogueRoutes(router: Router, catalogue: CatalogueService, deps: { audit: AuditLog; settings: SettingsService }): void {
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
