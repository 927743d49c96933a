/**
 * 回避: nobody may request or approve access to his own dossier or a relative's. A pure rule over the
 * identities on record: the person (a user: name, ID number, birth date), the cadre whose dossier is
 * asked for with the family members recorded on it, and optionally the family members recorded on the
 * person's own cadre record (when he is a cadre himself), which catch a relation recorded only there.
 */

export interface AvoidancePerson {
  name: string;
  idNumber: string | null;
  /** ISO prefix: `1970`, `1970-05` or `1970-05-07`. */
  birthDate: string | null;
}

export interface AvoidanceRelative extends AvoidancePerson {
  /** The relation as recorded, in words (配偶, 子女 …). */
  relationLabel: string;
}

export interface AvoidanceCadre extends AvoidancePerson {
  relatives: readonly AvoidanceRelative[];
}

/** Who the person is, for the reason's wording: 申请人 or 审批人. */
export type AvoidanceRole = '申请人' | '审批人';

export interface AvoidanceMatch {
  kind: 'own' | 'relative';
  /** How the match was made. */
  by: 'id_number' | 'name_birth';
  /** The relation (for kind = relative), in words. */
  relation: string | null;
  /** Chinese, for the user: 「回避：申请人是该干部的配偶（家庭成员登记，身份证号一致）」. */
  reason: string;
}

function normalizeId(id: string | null): string | null {
  const s = id?.normalize('NFKC').replace(/\s+/g, '').toUpperCase() ?? '';
  return s === '' ? null : s;
}

function normalizeName(name: string): string {
  return name.normalize('NFKC').replace(/[\s·•.]/g, '');
}

/**
 * Birth dates agree when both are known to at least the month and one is the other or a more precise
 * form of it (1970-05 and 1970-05-07 agree). A bare year says too little to tie two people together.
 */
export function birthDatesAgree(a: string | null, b: string | null): boolean {
  if (!a || !b || a.length < 7 || b.length < 7) return false;
  return a.length <= b.length ? b.startsWith(a) : a.startsWith(b);
}

/** How two identities match, if they do: the same ID number, or the same name and birth date. */
export function samePerson(a: AvoidancePerson, b: AvoidancePerson): 'id_number' | 'name_birth' | null {
  const ia = normalizeId(a.idNumber);
  const ib = normalizeId(b.idNumber);
  if (ia && ib && ia === ib) return 'id_number';
  if (normalizeName(a.name) === normalizeName(b.name) && birthDatesAgree(a.birthDate, b.birthDate)) return 'name_birth';
  return null;
}

const BY_LABEL = { id_number: '身份证号一致', name_birth: '姓名与出生日期一致' } as const;

/**
 * Why `person` must stand aside from `cadre`'s dossier, or null. Name and birth date match even where
 * both ID numbers are on record and differ: a mistyped number must not open a relative's dossier, and
 * a namesake born the same month is asked to let a colleague handle the request.
 */
export function avoidance(
  person: AvoidancePerson,
  cadre: AvoidanceCadre,
  options: { role?: AvoidanceRole; ownRelatives?: readonly AvoidanceRelative[] } = {},
): AvoidanceMatch | null {
  const role = options.role ?? '申请人';
  const own = samePerson(person, cadre);
  if (own) {
    return { kind: 'own', by: own, relation: null, reason: `回避：${role}本人即该干部（${BY_LABEL[own]}），不得查阅或审批本人档案` };
  }
  for (const r of cadre.relatives) {
    const by = samePerson(person, r);
    if (by) {
      return {
        kind: 'relative', by, relation: r.relationLabel,
        reason: `回避：${role}是该干部的${r.relationLabel}（家庭成员登记，${BY_LABEL[by]}）`,
      };
    }
  }
  for (const r of options.ownRelatives ?? []) {
    const by = samePerson(cadre, r);
    if (by) {
      return {
        kind: 'relative', by, relation: r.relationLabel,
        reason: `回避：该干部是${role}的${r.relationLabel}（${role}本人干部信息中的家庭成员登记，${BY_LABEL[by]}）`,
      };
    }
  }
  return null;
}
