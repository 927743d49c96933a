export interface PasswordPolicy {
  minLength: number;
  minClasses: number;
}

export type PasswordProblem = 'too_short' | 'too_few_classes' | 'contains_username' | 'same_as_old';

const CLASSES = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/];

export function characterClasses(password: string): number {
  return CLASSES.filter((re) => re.test(password)).length;
}

export function checkPassword(
  password: string,
  username: string,
  policy: PasswordPolicy,
): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  if ([...password].length < policy.minLength) problems.push('too_short');
  if (characterClasses(password) < policy.minClasses) problems.push('too_few_classes');
  const name = username.trim().toLowerCase();
  if (name.length > 0) {
    const lower = password.toLowerCase();
    const reversed = [...name].reverse().join('');
    if (lower.includes(name) || lower.includes(reversed)) problems.push('contains_username');
  }
  return problems;
}

export function describePasswordProblems(problems: PasswordProblem[], policy: PasswordPolicy): string {
  const parts = problems.map((p) => {
    switch (p) {
      case 'too_short':
        return `长度至少 ${policy.minLength} 位`;
      case 'too_few_classes':
        return `须包含大写字母、小写字母、数字、特殊字符中的至少 ${policy.minClasses} 类`;
      case 'contains_username':
        return '不能包含用户名（含倒序）';
      case 'same_as_old':
        return '不能与当前密码相同';
    }
  });
  return `密码不符合要求：${parts.join('；')}`;
}
