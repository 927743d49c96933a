import {
  ACCESS_MODE_LABELS, ACCESS_SCOPE_LABELS, ACCESS_STATE_LABELS, type AccessRequest,
} from '@dangan/contracts';
import { CLASS_TREE } from '@dangan/domain';
import type { Executor } from '../../platform/db/connect.js';
import type { AccessRequestTable } from '../../platform/db/schema.use.js';

const CLASS_LABELS = new Map(CLASS_TREE.map((c) => [c.code as string, c.label]));

export function classesText(codes: readonly string[]): string {
  return codes.map((c) => `${c} ${CLASS_LABELS.get(c) ?? ''}`.trim()).join('、');
}

/** Requests as the API shows them: dossiers, materials, decisions and names resolved, in a few queries. */
export async function requestViews(db: Executor, rows: readonly AccessRequestTable[]): Promise<AccessRequest[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [dossiers, materials, decisions, purposes] = await Promise.all([
    db.selectFrom('access_request_dossiers as d')
      .innerJoin('dossiers', 'dossiers.id', 'd.dossier_id')
      .innerJoin('cadres', 'cadres.id', 'd.cadre_id')
      .innerJoin('units', 'units.id', 'd.managing_unit_id')
      .select(['d.request_id', 'd.dossier_id', 'dossiers.dossier_no', 'd.cadre_id', 'cadres.name as cadre_name', 'd.managing_unit_id', 'units.name as unit_name'])
      .where('d.request_id', 'in', ids).orderBy('dossiers.dossier_no').execute(),
    db.selectFrom('access_request_materials as m')
      .innerJoin('materials', 'materials.id', 'm.material_id')
      .select(['m.request_id', 'materials.id', 'materials.dossier_id', 'materials.class_code', 'materials.seq', 'materials.name'])
      .where('m.request_id', 'in', ids).execute(),
    db.selectFrom('access_approvals as a')
      .innerJoin('users', 'users.id', 'a.approver_id')
      .innerJoin('units', 'units.id', 'a.approver_unit_id')
      .select(['a.request_id', 'a.level', 'a.approver_id', 'users.display_name', 'units.name as unit_name', 'a.decision', 'a.comment', 'a.at'])
      .where('a.request_id', 'in', ids).orderBy('a.level').execute(),
    db.selectFrom('dictionary_entries').select(['code', 'label']).where('type', '=', 'use_purpose').execute(),
  ]);
  const userIds = [...new Set(rows.flatMap((r) => [r.requester_id, ...(r.revoked_by ? [r.revoked_by] : [])]))];
  const users = new Map((await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', userIds).execute()).map((u) => [u.id, u.display_name]));
  const unitIds = [...new Set(rows.map((r) => r.requester_unit_id))];
  const units = new Map((await db.selectFrom('units').select(['id', 'name']).where('id', 'in', unitIds).execute()).map((u) => [u.id, u.name]));
  const purposeLabels = new Map(purposes.map((p) => [p.code, p.label]));
  return rows.map((r) => {
    const classCodes = r.scope_kind === 'classes' ? (JSON.parse(r.scope_classes ?? '[]') as string[]) : null;
    const mats = r.scope_kind === 'materials'
      ? materials.filter((m) => m.request_id === r.id)
        .map((m) => ({ id: m.id, dossierId: m.dossier_id, classCode: m.class_code, seq: m.seq, name: m.name }))
      : null;
    return {
      id: r.id,
      requestNo: r.request_no,
      requester: { id: r.requester_id, name: users.get(r.requester_id) ?? r.requester_id },
      requesterUnitName: units.get(r.requester_unit_id) ?? '',
      purpose: r.purpose,
      purposeLabel: purposeLabels.get(r.purpose) ?? r.purpose,
      purposeNote: r.purpose_note,
      mode: r.mode,
      modeLabel: ACCESS_MODE_LABELS[r.mode],
      scopeKind: r.scope_kind,
      scopeSummary: r.scope_kind === 'dossier' ? ACCESS_SCOPE_LABELS.dossier
        : r.scope_kind === 'classes' ? `按类别：${classesText(classCodes ?? [])}` : `${mats?.length ?? 0} 份材料`,
      classCodes,
      materials: mats,
      dossiers: dossiers.filter((d) => d.request_id === r.id).map((d) => ({
        dossierId: d.dossier_id, dossierNo: d.dossier_no, cadreId: d.cadre_id, cadreName: d.cadre_name,
        managingUnitId: d.managing_unit_id, managingUnitName: d.unit_name,
      })),
      periodFrom: r.period_from,
      periodTo: r.period_to,
      printLimit: r.print_limit,
      printsUsed: r.prints_used,
      levelsRequired: r.levels_required,
      levelsDone: r.levels_done,
      state: r.state,
      stateLabel: ACCESS_STATE_LABELS[r.state],
      createdAt: r.created_at,
      decidedAt: r.decided_at,
      grantedFrom: r.granted_from,
      grantedUntil: r.granted_until,
      revokedBy: r.revoked_by ? { id: r.revoked_by, name: users.get(r.revoked_by) ?? r.revoked_by } : null,
      revokedAt: r.revoked_at,
      revokeReason: r.revoke_reason,
      expiredAt: r.expired_at,
      decisions: decisions.filter((a) => a.request_id === r.id).map((a) => ({
        level: a.level, approver: { id: a.approver_id, name: a.display_name }, approverUnitName: a.unit_name,
        decision: a.decision, comment: a.comment, at: a.at,
      })),
    };
  });
}
