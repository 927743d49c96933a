import { SETTINGS } from '@dangan/contracts';
import { characterClasses, checkPassword, type PasswordPolicy } from '@dangan/domain';

/**
 * The policy the client shows. The server holds the configured values and enforces them; a user
 * still in his login steps cannot read the settings, so the catalogue defaults are shown then.
 */
export const DEFAULT_POLICY: PasswordPolicy = {
  minLength: SETTINGS['password.minLength'].default,
  minClasses: SETTINGS['password.minClasses'].default,
};

const ALPHABETS = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!@#%^*-_=+'];

function randomIndex(n: number): number {
  const buf = new Uint32Array(1);
  // Rejection sampling keeps every character equally likely.
  const limit = Math.floor(0x1_0000_0000 / n) * n;
  do crypto.getRandomValues(buf);
  while (buf[0]! >= limit);
  return buf[0]! % n;
}

/** A random password with all four character classes, avoiding look-alike characters. */
export function generatePassword(username: string, policy: PasswordPolicy = DEFAULT_POLICY): string {
  const length = Math.max(16, policy.minLength);
  const all = ALPHABETS.join('');
  for (;;) {
    const p = Array.from({ length }, () => all[randomIndex(all.length)]!).join('');
    if (characterClasses(p) === 4 && checkPassword(p, username, policy).length === 0) return p;
  }
}

export interface PolicyCheck {
  label: string;
  ok: boolean;
}

export function policyChecks(password: string, username: string, policy: PasswordPolicy = DEFAULT_POLICY): PolicyCheck[] {
  const problems = password ? checkPassword(password, username, policy) : ['too_short', 'too_few_classes'];
  return [
    { label: `长度不少于 ${policy.minLength} 位`, ok: !problems.includes('too_short') },
    {
      label: `包含大写字母、小写字母、数字、特殊字符中的至少 ${policy.minClasses} 类`,
      ok: !problems.includes('too_few_classes'),
    },
    { label: '不包含用户名（含倒序）', ok: !!password && !problems.includes('contains_username') },
  ];
}
