import type { DictionaryEntry } from '@dangan/contracts';
import type { Clock } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db/connect.js';
import { bool, fromBool, orConflict } from '../../platform/db/dialect.js';
import type { DictionaryEntryTable } from '../../platform/db/schema.js';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Actor } from '../access/actor.js';
import type { AuditLog } from '../audit/audit.log.js';

/**
 * The code tables (代码表). Codes are never deleted or renamed, because records keep them; an entry
 * that should no longer be chosen is disabled.
 */
export class DictionaryService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async types() {
    const types = await this.db.selectFrom('dictionary_types').selectAll().orderBy('sort_order').execute();
    const counts = await this.db
      .selectFrom('dictionary_entries')
      .select(['type', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('type')
      .execute();
    const byType = new Map(counts.map((c) => [c.type, Number(c.n)]));
    return types.map((t) => ({
      type: t.type, label: t.label, standard: t.standard, hierarchical: fromBool(t.hierarchical), entryCount: byType.get(t.type) ?? 0,
    }));
  }

  async entries(type: string): Promise<DictionaryEntry[]> {
    await this.typeOrThrow(type);
    const rows = await this.db.selectFrom('dictionary_entries').selectAll().where('type', '=', type).orderBy('sort_order').orderBy('code').execute();
    return rows.map(toEntry);
  }

  async create(actor: Actor, type: string, input: { code: string; label: string; parentCode: string | null; sortOrder?: number }) {
    const t = await this.typeOrThrow(type);
    assertMayEdit(actor, t.type, t.label);
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('dictionary_entries').selectAll().where('type', '=', type).execute();
      if (existing.some((e) => e.code === input.code)) {
        throw conflict('DICTIONARY_CODE_TAKEN', `代码「${input.code}」已存在`, { code: '已存在' });
      }
      if (input.parentCode !== null) {
        if (!fromBool(t.hierarchical)) throw invalid('DICTIONARY_NOT_HIERARCHICAL', `「${t.label}」不分层级`, { parentCode: '此代码表不分层级' });
        if (!existing.some((e) => e.code === input.parentCode)) {
          throw invalid('DICTIONARY_PARENT_NOT_FOUND', `上级代码「${input.parentCode}」不存在`, { parentCode: '不存在' });
        }
      }
      const now = this.clock.now().toISOString();
      const row: DictionaryEntryTable = {
        id: newId(), type, code: input.code, label: input.label, parent_code: input.parentCode,
        sort_order: input.sortOrder ?? Math.max(0, ...existing.map((e) => e.sort_order)) + 10,
        enabled: 1, created_at: now, updated_at: now,
      };
      await orConflict(trx.insertInto('dictionary_entries').values(row).execute(), () =>
        conflict('DICTIONARY_CODE_TAKEN', `代码「${input.code}」已存在`, { code: '已存在' }),
      );
      await this.audit.append(trx, actor.audit, {
        action: 'dictionary.create', objectType: 'dictionary', objectId: `${type}:${row.code}`, objectLabel: `${t.label}·${row.label}`,
        detail: { after: toEntry(row) },
      });
      return toEntry(row);
    });
  }

  async update(actor: Actor, type: string, id: string, patch: { label?: string; sortOrder?: number; enabled?: boolean }) {
    const t = await this.typeOrThrow(type);
    assertMayEdit(actor, t.type, t.label);
    return this.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('dictionary_entries').selectAll().where('id', '=', id).where('type', '=', type).executeTakeFirst();
      if (!before) throw notFound('DICTIONARY_ENTRY_NOT_FOUND', '代码不存在');
      const after: DictionaryEntryTable = {
        ...before,
        label: patch.label ?? before.label,
        sort_order: patch.sortOrder ?? before.sort_order,
        enabled: patch.enabled === undefined ? before.enabled : bool(patch.enabled),
        updated_at: this.clock.now().toISOString(),
      };
      await trx.updateTable('dictionary_entries').set(after).where('id', '=', id).execute();
      await this.audit.append(trx, actor.audit, {
        action: 'dictionary.update', objectType: 'dictionary', objectId: `${type}:${after.code}`, objectLabel: `${t.label}·${after.label}`,
        detail: { before: toEntry(before), after: toEntry(after) },
      });
      return toEntry(after);
    });
  }

  private async typeOrThrow(type: string) {
    const t = await this.db.selectFrom('dictionary_types').selectAll().where('type', '=', type).executeTakeFirst();
    if (!t) throw notFound('DICTIONARY_TYPE_NOT_FOUND', `代码表「${type}」不存在`);
    return t;
  }
}

/** Secrecy levels and clearances are the security officer's (三员分立: 密级由安全保密管理员管理). */
const SECURITY_TABLES: ReadonlySet<string> = new Set(['secrecy_level', 'clearance']);

function assertMayEdit(actor: Actor, type: string, label: string): void {
  if (SECURITY_TABLES.has(type) && !actor.permissions.has('security.dictionary')) {
    throw forbidden('FORBIDDEN', `「${label}」由安全保密管理员维护`);
  }
}

function toEntry(r: DictionaryEntryTable): DictionaryEntry {
  return {
    id: r.id, type: r.type, code: r.code, label: r.label, parentCode: r.parent_code, sortOrder: r.sort_order, enabled: fromBool(r.enabled),
  };
}

/** A coded field's value must be an enabled entry of its code table; otherwise a 422 naming the field. */
export async function assertDictionaryCode(
  executor: Executor,
  type: string,
  code: string | null | undefined,
  field: string,
  label: string,
): Promise<void> {
  if (code === null || code === undefined) return;
  const entry = await executor
    .selectFrom('dictionary_entries')
    .select('id')
    .where('type', '=', type)
    .where('code', '=', code)
    .where('enabled', '=', 1)
    .executeTakeFirst();
  if (!entry) throw invalid('CODE_UNKNOWN', `${label}「${code}」不在代码表中`, { [field]: '不在代码表中' });
}
