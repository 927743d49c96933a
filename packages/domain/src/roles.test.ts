import { describe, expect, it } from 'vitest';
import { ALL_PERMISSIONS, DUTY_LABELS, PERMISSIONS, dutyOf, isPermission, type Duty, type Permission } from './permissions.js';
import {
  BUILT_IN_ROLES, OFFICER_ROLE_CODES, checkSeparationOfDuties, describeViolation, missingToGrant,
} from './roles.js';

const builtIn = (code: string) => {
  const role = BUILT_IN_ROLES.find((r) => r.code === code);
  if (!role) throw new Error(`no built-in role ${code}`);
  return role;
};

const ofDuty = (duty: Duty) => ALL_PERMISSIONS.filter((p) => dutyOf(p) === duty);
const content = ALL_PERMISSIONS.filter((p) => dutyOf(p) === undefined);

describe('permission catalogue', () => {
  it('gives every permission a Chinese label and a group', () => {
    for (const p of ALL_PERMISSIONS) {
      const def: { label: string; group: string } = PERMISSIONS[p];
      expect(def.label, p).toMatch(/\p{Script=Han}/u);
      expect(def.group, p).toMatch(/\p{Script=Han}/u);
    }
  });

  it('marks the three officers\' administrative permissions with their duty and nothing else', () => {
    expect(ofDuty('system')).toEqual(['system.settings', 'system.dictionary', 'system.jobs', 'system.backup']);
    expect(ofDuty('audit')).toEqual(['audit.read', 'audit.export', 'audit.verify']);
    expect(ofDuty('security')).toEqual([
      'security.settings', 'security.dictionary', 'unit.manage', 'user.manage', 'role.manage', 'role.assign',
      'grant.manage', 'secrecy.manage', 'session.manage', 'alert.manage',
    ]);
    expect(content).toContain('unit.read');
    expect(content).toContain('dossier.read');
    expect(content.every((p) => !p.startsWith('system.') && !p.startsWith('audit.') && !p.startsWith('security.'))).toBe(true);
  });

  it('recognises only catalogue codes, not inherited object keys', () => {
    expect(isPermission('user.manage')).toBe(true);
    expect(isPermission('user.delete')).toBe(false);
    expect(isPermission('')).toBe(false);
    expect(isPermission('toString')).toBe(false);
    expect(isPermission('constructor')).toBe(false);
    expect(isPermission('__proto__')).toBe(false);
  });

  it('labels each duty with the officer\'s title', () => {
    expect(DUTY_LABELS).toEqual({ system: '系统管理员', security: '安全保密管理员', audit: '安全审计员' });
  });
});

describe('built-in roles', () => {
  it('have unique codes and names and only catalogue permissions, without repeats', () => {
    const codes = BUILT_IN_ROLES.map((r) => r.code);
    const names = BUILT_IN_ROLES.map((r) => r.name);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(names).size).toBe(names.length);
    for (const r of BUILT_IN_ROLES) {
      expect(r.permissions.length, r.code).toBeGreaterThan(0);
      expect(r.permissions.every(isPermission), r.code).toBe(true);
      expect(new Set(r.permissions).size, r.code).toBe(r.permissions.length);
    }
  });

  it('each satisfy the separation of duties', () => {
    for (const r of BUILT_IN_ROLES) expect(checkSeparationOfDuties(r.permissions), r.code).toBeNull();
  });

  it('give each officer exactly the permissions of his own duty', () => {
    expect(OFFICER_ROLE_CODES).toEqual(['sysadmin', 'secadmin', 'auditor']);
    expect([...builtIn('sysadmin').permissions].sort()).toEqual(ofDuty('system').sort());
    expect([...builtIn('secadmin').permissions].sort()).toEqual(ofDuty('security').sort());
    expect([...builtIn('auditor').permissions].sort()).toEqual(ofDuty('audit').sort());
    expect(builtIn('sysadmin').name).toBe('系统管理员');
    expect(builtIn('secadmin').name).toBe('安全保密管理员');
    expect(builtIn('auditor').name).toBe('安全审计员');
  });

  it('give no administrative permission to any role but the officers\'', () => {
    for (const r of BUILT_IN_ROLES.filter((x) => !(OFFICER_ROLE_CODES as readonly string[]).includes(x.code))) {
      expect(r.permissions.filter((p) => dutyOf(p)), r.code).toEqual([]);
    }
  });

  it('make the three officer roles and the approving leader sensitive (two factors), the others not', () => {
    for (const code of OFFICER_ROLE_CODES) expect(builtIn(code).sensitive, code).toBe(true);
    expect(builtIn('leader').name).toBe('审批领导');
    expect(builtIn('leader').sensitive).toBe(true);
    for (const code of ['archivist', 'scanner', 'inspector', 'reviewer', 'reader']) {
      expect(builtIn(code).sensitive, code).toBe(false);
    }
  });

  it('let the archivist read units, so his data scope decides which', () => {
    expect(builtIn('archivist').name).toBe('档案管理员');
    expect(builtIn('archivist').permissions).toContain('unit.read');
    expect(builtIn('archivist').permissions).not.toContain('unit.manage');
  });

  it('held together by one person, any two officer roles break the separation of duties', () => {
    for (const a of OFFICER_ROLE_CODES) {
      for (const b of OFFICER_ROLE_CODES.filter((x) => x !== a)) {
        const v = checkSeparationOfDuties([...builtIn(a).permissions, ...builtIn(b).permissions]);
        expect(v?.kind, `${a}+${b}`).toBe('mixed_duties');
      }
    }
  });

  it('held together with an archive role, an officer role breaks the separation of duties', () => {
    for (const officer of OFFICER_ROLE_CODES) {
      const v = checkSeparationOfDuties([...builtIn(officer).permissions, ...builtIn('reader').permissions]);
      expect(v).toEqual({ kind: 'duty_with_content', duty: dutyOf(builtIn(officer).permissions[0]!), permissions: ['access.read', 'access.request'] });
    }
  });
});

describe('checkSeparationOfDuties', () => {
  it('accepts nothing, archive permissions only, or one duty only', () => {
    expect(checkSeparationOfDuties([])).toBeNull();
    expect(checkSeparationOfDuties(content)).toBeNull();
    expect(checkSeparationOfDuties(['user.manage'])).toBeNull();
    expect(checkSeparationOfDuties(ofDuty('security'))).toBeNull();
    expect(checkSeparationOfDuties(ofDuty('audit'))).toBeNull();
  });

  it('refuses two duties, naming them sorted', () => {
    expect(checkSeparationOfDuties(['user.manage', 'system.settings'])).toEqual({ kind: 'mixed_duties', duties: ['security', 'system'] });
    expect(checkSeparationOfDuties(['audit.read', 'role.assign'])).toEqual({ kind: 'mixed_duties', duties: ['audit', 'security'] });
  });

  it('refuses all three duties at once', () => {
    expect(checkSeparationOfDuties(['system.jobs', 'audit.export', 'grant.manage'])).toEqual({
      kind: 'mixed_duties', duties: ['audit', 'security', 'system'],
    });
  });

  it('refuses an officer duty with an archive permission, listing the archive permissions sorted', () => {
    expect(checkSeparationOfDuties(['user.manage', 'dossier.read', 'cadre.edit', 'role.assign'])).toEqual({
      kind: 'duty_with_content', duty: 'security', permissions: ['cadre.edit', 'dossier.read'],
    });
    expect(checkSeparationOfDuties(['stats.read', 'audit.read'])).toEqual({
      kind: 'duty_with_content', duty: 'audit', permissions: ['stats.read'],
    });
  });

  it('treats unit.read as archive content: an officer role may not hold it', () => {
    expect(checkSeparationOfDuties(['system.settings', 'unit.read'])).toEqual({
      kind: 'duty_with_content', duty: 'system', permissions: ['unit.read'],
    });
  });

  it('reports mixed duties first when both rules are broken', () => {
    expect(checkSeparationOfDuties(['system.settings', 'audit.read', 'dossier.read'])?.kind).toBe('mixed_duties');
  });

  it('takes any iterable, such as the union of a user\'s roles in a Set, and tolerates repeats', () => {
    expect(checkSeparationOfDuties(new Set<Permission>(['user.manage', 'user.manage']))).toBeNull();
    function* perms(): Generator<Permission> {
      yield 'audit.read';
      yield 'audit.read';
      yield 'system.backup';
    }
    expect(checkSeparationOfDuties(perms())).toEqual({ kind: 'mixed_duties', duties: ['audit', 'system'] });
  });
});

describe('describeViolation', () => {
  it('names the duties in Chinese', () => {
    expect(describeViolation({ kind: 'mixed_duties', duties: ['audit', 'security'] })).toBe(
      '三员分立：不能同时具有安全审计员与安全保密管理员的权限',
    );
  });

  it('names the officer and the archive permissions', () => {
    expect(describeViolation({ kind: 'duty_with_content', duty: 'system', permissions: ['cadre.read', 'unit.read'] })).toBe(
      '三员分立：系统管理员不能具有档案业务权限（查看干部信息、查看单位）',
    );
  });
});

describe('missingToGrant', () => {
  const secadmin = new Set<Permission>(builtIn('secadmin').permissions);
  const sysadmin = new Set<Permission>(builtIn('sysadmin').permissions);

  it('with role.assign, lets archive permissions through whether or not the grantor holds them', () => {
    expect(missingToGrant(secadmin, builtIn('archivist').permissions)).toEqual([]);
    expect(missingToGrant(secadmin, builtIn('leader').permissions)).toEqual([]);
  });

  it('with role.assign, refuses administrative permissions of another duty', () => {
    expect(missingToGrant(secadmin, builtIn('auditor').permissions)).toEqual(['audit.read', 'audit.export', 'audit.verify']);
    expect(missingToGrant(secadmin, builtIn('sysadmin').permissions)).toEqual(builtIn('sysadmin').permissions);
  });

  it('with role.assign, lets administrative permissions the grantor holds through', () => {
    expect(missingToGrant(secadmin, builtIn('secadmin').permissions)).toEqual([]);
    expect(missingToGrant(secadmin, ['user.manage', 'session.manage'])).toEqual([]);
  });

  it('reports only what is missing in a mixed set', () => {
    expect(missingToGrant(secadmin, ['user.manage', 'audit.read', 'dossier.read', 'system.jobs'])).toEqual(['audit.read', 'system.jobs']);
  });

  it('with role.assign but only part of the security duty, refuses the rest of it', () => {
    const partial = new Set<Permission>(['role.assign', 'user.manage']);
    expect(missingToGrant(partial, ['user.manage', 'grant.manage', 'dossier.edit'])).toEqual(['grant.manage']);
  });

  it('without role.assign, refuses archive permissions the grantor lacks', () => {
    expect(missingToGrant(sysadmin, ['dossier.read', 'system.jobs'])).toEqual(['dossier.read']);
    expect(missingToGrant(new Set<Permission>(), ['unit.read'])).toEqual(['unit.read']);
  });

  it('without role.assign, lets through exactly what the grantor holds', () => {
    const archivist = new Set<Permission>(builtIn('archivist').permissions);
    expect(missingToGrant(archivist, ['dossier.read', 'cadre.edit'])).toEqual([]);
    expect(missingToGrant(archivist, ['dossier.read', 'access.approve'])).toEqual(['access.approve']);
  });

  it('finds nothing missing in an empty set', () => {
    expect(missingToGrant(new Set<Permission>(), [])).toEqual([]);
  });
});
