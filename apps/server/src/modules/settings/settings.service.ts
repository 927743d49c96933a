import { SETTINGS, SETTING_KEYS, isSettingKey, type SettingKey, type SettingValue } from '@dangan/contracts';
import type { Permission } from '@dangan/domain';
import type { Clock } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db/connect.js';
import { forbidden, invalid, notFound } from '../../platform/errors.js';
import type { Actor } from '../access/actor.js';
import type { AuditLog } from '../audit/audit.log.js';
import { settingsRepository } from './settings.repository.js';

const CATEGORY_PERMISSION: Record<'security' | 'system', Permission> = {
  security: 'security.settings',
  system: 'system.settings',
};

export interface SettingView {
  key: string;
  label: string;
  description: string;
  category: 'security' | 'system';
  value: unknown;
  defaultValue: unknown;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** Settings live in the database; a key never changed reads its default from the catalogue in code. */
export class SettingsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async get<K extends SettingKey>(key: K, executor: Executor = this.db): Promise<SettingValue<K>> {
    return readSetting(executor, key);
  }

  async list(actor: Actor): Promise<SettingView[]> {
    const rows = new Map((await settingsRepository(this.db).all()).map((r) => [r.key, r]));
    return SETTING_KEYS.filter((key) => actor.permissions.has(CATEGORY_PERMISSION[SETTINGS[key].category])).map((key) =>
      view(key, rows.get(key)),
    );
  }

  async update(actor: Actor, key: string, value: unknown): Promise<SettingView> {
    if (!isSettingKey(key)) throw notFound('SETTING_NOT_FOUND', `没有名为「${key}」的设置`);
    const def = SETTINGS[key];
    if (!actor.permissions.has(CATEGORY_PERMISSION[def.category])) {
      throw forbidden('FORBIDDEN', `无权修改「${def.label}」`);
    }
    const parsed = def.schema.safeParse(value);
    if (!parsed.success) {
      throw invalid('SETTING_INVALID', `「${def.label}」的值不符合要求：${parsed.error.issues[0]?.message ?? ''}`, {
        value: '取值不符合要求',
      });
    }
    return this.db.transaction().execute(async (trx) => {
      const before = await this.get(key, trx);
      const at = this.clock.now().toISOString();
      await settingsRepository(trx).put(key, JSON.stringify(parsed.data), at, actor.username);
      await this.audit.append(trx, actor.audit, {
        action: 'setting.update',
        objectType: 'setting',
        objectId: key,
        objectLabel: def.label,
        detail: { before, after: parsed.data },
      });
      return view(key, await settingsRepository(trx).get(key));
    });
  }
}

/** A setting's current value; for the few places that read settings before the service exists. */
export async function readSetting<K extends SettingKey>(executor: Executor, key: K): Promise<SettingValue<K>> {
  const row = await settingsRepository(executor).get(key);
  if (!row) return SETTINGS[key].default as SettingValue<K>;
  const parsed = SETTINGS[key].schema.safeParse(JSON.parse(row.value));
  // A stored value that no longer validates (the rule tightened) falls back to the default.
  return (parsed.success ? parsed.data : SETTINGS[key].default) as SettingValue<K>;
}

function view(key: SettingKey, row: { value: string; updated_at: string; updated_by: string | null } | undefined): SettingView {
  const def = SETTINGS[key];
  return {
    key,
    label: def.label,
    description: def.description,
    category: def.category,
    value: row ? JSON.parse(row.value) : def.default,
    defaultValue: def.default,
    updatedAt: row?.updated_at ?? null,
    updatedBy: row?.updated_by ?? null,
  };
}
