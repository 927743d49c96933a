import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomInt } from 'node:crypto';
import { characterClasses } from '@dangan/domain';
import type { Clock } from '../../platform/clock.js';
import type { DatabaseKind, Db } from '../../platform/db/connect.js';
import { newId } from '../../platform/ids.js';
import { SYSTEM_CONTEXT, type AuditLog } from '../audit/audit.log.js';
import type { RolesService } from '../roles/roles.service.js';
import { rolesRepository } from '../roles/roles.repository.js';
import type { UsersService } from '../users/users.service.js';
import { usersRepository } from '../users/users.repository.js';

export const OFFICERS = [
  { username: 'sysadmin', displayName: '系统管理员', role: 'sysadmin' },
  { username: 'secadmin', displayName: '安全保密管理员', role: 'secadmin' },
  { username: 'auditor', displayName: '安全审计员', role: 'auditor' },
] as const;

export interface BootstrapResult {
  created: boolean;
  credentials: { username: string; password: string }[];
  credentialsFile?: string;
}

const ALPHABETS = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!@#%^*-_=+'];

/** 16 characters with every class present; unambiguous letters, for reading off a printout. */
export function generatePassword(): string {
  const all = ALPHABETS.join('');
  for (;;) {
    const chars = Array.from({ length: 16 }, () => all[randomInt(all.length)]!);
    const p = chars.join('');
    if (characterClasses(p) === 4) return p;
  }
}

/**
 * On every start the built-in roles are brought in line with the code. On the first start of an empty
 * database the root unit and the three officers are created; each must change his password at first login.
 */
export async function bootstrap(deps: {
  db: Db;
  kind: DatabaseKind;
  clock: Clock;
  roles: RolesService;
  users: UsersService;
  audit: AuditLog;
  bootstrapPassword: string | undefined;
  credentialsFile: string;
}): Promise<BootstrapResult> {
  await deps.roles.syncBuiltIns();
  if ((await usersRepository(deps.db, deps.kind).count()) > 0) return { created: false, credentials: [] };

  const now = deps.clock.now().toISOString();
  const rootId = newId();
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('units')
      .values({ id: rootId, parent_id: null, code: 'ROOT', name: '本级机关', type: null, sort_order: 0, disabled: 0, created_at: now, updated_at: now })
      .execute();
    await deps.audit.append(trx, SYSTEM_CONTEXT, {
      action: 'system.bootstrap', objectType: 'unit', objectId: rootId, objectLabel: '本级机关',
      detail: { officers: OFFICERS.map((o) => o.username) },
    });
  });

  const credentials: { username: string; password: string }[] = [];
  for (const officer of OFFICERS) {
    const role = await rolesRepository(deps.db).byCode(officer.role);
    const password = deps.bootstrapPassword ?? generatePassword();
    await deps.users.create({ kind: 'console', audit: SYSTEM_CONTEXT }, {
      username: officer.username,
      displayName: officer.displayName,
      unitId: rootId,
      password,
      roleIds: role ? [role.id] : [],
      scope: { kind: 'own_unit', unitIds: [] },
      clearance: null,
    });
    credentials.push({ username: officer.username, password });
  }

  if (deps.bootstrapPassword) return { created: true, credentials: [] };
  mkdirSync(dirname(deps.credentialsFile), { recursive: true });
  const text = [
    '干部人事档案系统 初始账号（首次登录后须立即修改密码并绑定动态口令；修改后请删除本文件）',
    `生成时间：${now}`,
    ...credentials.map((c) => `${c.username}\t${c.password}`),
    '',
  ].join('\n');
  writeFileSync(deps.credentialsFile, text, { mode: 0o600 });
  chmodSync(deps.credentialsFile, 0o600);
  return { created: true, credentials, credentialsFile: deps.credentialsFile };
}
