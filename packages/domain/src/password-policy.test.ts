import { describe, expect, it } from 'vitest';
import { characterClasses, checkPassword, describePasswordProblems, type PasswordPolicy } from './password-policy.js';

const policy: PasswordPolicy = { minLength: 10, minClasses: 3 };

describe('characterClasses', () => {
  it('counts lower case, upper case, digits and everything else as four classes', () => {
    expect(characterClasses('')).toBe(0);
    expect(characterClasses('abc')).toBe(1);
    expect(characterClasses('ABC')).toBe(1);
    expect(characterClasses('123')).toBe(1);
    expect(characterClasses('!@#')).toBe(1);
    expect(characterClasses('aB')).toBe(2);
    expect(characterClasses('aB3')).toBe(3);
    expect(characterClasses('aB3-')).toBe(4);
  });

  it('counts a class once however often it occurs', () => {
    expect(characterClasses('aaaaaaaaaa')).toBe(1);
    expect(characterClasses('aaaaBBBB')).toBe(2);
  });

  it('counts a space and a non-ASCII character (Chinese, full-width) as the "special" class', () => {
    expect(characterClasses(' ')).toBe(1);
    expect(characterClasses('密码')).toBe(1);
    expect(characterClasses('ａ')).toBe(1);
    expect(characterClasses('ab密')).toBe(2);
  });
});

describe('checkPassword: length', () => {
  it('accepts a password of exactly the minimum length and refuses one character less', () => {
    expect(checkPassword('Abcdefg-12', 'zhangsan', policy)).toEqual([]);
    expect('Abcdefg-12'.length).toBe(10);
    expect(checkPassword('Abcdefg-1', 'zhangsan', policy)).toEqual(['too_short']);
  });

  it('counts a Chinese character as one character', () => {
    // 3 ASCII + 7 Chinese = 10 characters.
    expect(checkPassword('Ab1档案管理系统密', 'zhangsan', policy)).toEqual([]);
    expect(checkPassword('Ab1档案管理系统', 'zhangsan', policy)).toEqual(['too_short']);
  });

  it('counts a character outside the BMP (two UTF-16 units) as one character', () => {
    const extB = '\u{20000}';
    expect(extB.length).toBe(2);
    // 9 characters but 10 UTF-16 units: still too short.
    expect(checkPassword(`Ab1-xyzw${extB}`, 'zhangsan', policy)).toEqual(['too_short']);
    expect(checkPassword(`Ab1-xyzwv${extB}`, 'zhangsan', policy)).toEqual([]);
  });

  it('follows the policy it is given', () => {
    expect(checkPassword('Abcdefg-12', 'zhangsan', { minLength: 14, minClasses: 3 })).toEqual(['too_short']);
    expect(checkPassword('Abcdefg-1234', 'zhangsan', { minLength: 8, minClasses: 4 })).toEqual([]);
  });
});

describe('checkPassword: character classes', () => {
  it('refuses fewer classes than the policy asks and accepts exactly that many', () => {
    expect(checkPassword('abcdefghij', 'zhangsan', policy)).toEqual(['too_few_classes']);
    expect(checkPassword('abcdefghi1', 'zhangsan', policy)).toEqual(['too_few_classes']);
    expect(checkPassword('abcdefghI1', 'zhangsan', policy)).toEqual([]);
    expect(checkPassword('abcdefghI1', 'zhangsan', { minLength: 10, minClasses: 4 })).toEqual(['too_few_classes']);
    expect(checkPassword('abcdefgI1!', 'zhangsan', { minLength: 10, minClasses: 4 })).toEqual([]);
  });

  it('reports every problem at once, in a stable order', () => {
    expect(checkPassword('zhangsan', 'zhangsan', policy)).toEqual(['too_short', 'too_few_classes', 'contains_username']);
  });
});

describe('checkPassword: user name', () => {
  it('refuses a password containing the user name', () => {
    expect(checkPassword('Xzhangsan-1', 'zhangsan', policy)).toEqual(['contains_username']);
  });

  it('refuses the user name written backwards', () => {
    expect(checkPassword('Xnasgnahz-1', 'zhangsan', policy)).toEqual(['contains_username']);
  });

  it('compares without regard to case, both ways round', () => {
    expect(checkPassword('ZHANGSAN-x1', 'zhangsan', policy)).toEqual(['contains_username']);
    expect(checkPassword('zhangsan-X1', 'ZhangSan', policy)).toEqual(['contains_username']);
    expect(checkPassword('NASGNAHZ-x1', 'zhangsan', policy)).toEqual(['contains_username']);
  });

  it('ignores spaces around the user name', () => {
    expect(checkPassword('Xzhangsan-1', '  zhangsan ', policy)).toEqual(['contains_username']);
  });

  it('accepts a password that only shares part of the user name', () => {
    expect(checkPassword('Zhangs-an12', 'zhangsan', policy)).toEqual([]);
  });

  it('skips the check for an empty or blank user name', () => {
    expect(checkPassword('Abcdefg-12', '', policy)).toEqual([]);
    expect(checkPassword('Abcdefg-12', '   ', policy)).toEqual([]);
  });

  it('never reports same_as_old: that needs the current password and is the caller\'s check', () => {
    const all = ['a', 'Abcdefg-12', 'zhangsan'].flatMap((p) => checkPassword(p, 'zhangsan', policy));
    expect(all).not.toContain('same_as_old');
  });
});

describe('describePasswordProblems', () => {
  it('names each problem in Chinese with the policy\'s figures', () => {
    const message = describePasswordProblems(['too_short', 'too_few_classes', 'contains_username', 'same_as_old'], {
      minLength: 14, minClasses: 4,
    });
    expect(message).toBe(
      '密码不符合要求：长度至少 14 位；须包含大写字母、小写字母、数字、特殊字符中的至少 4 类；' +
        '不能包含用户名（含倒序）；不能与当前密码相同',
    );
  });

  it('describes a single problem without a separator', () => {
    expect(describePasswordProblems(['too_short'], policy)).toBe('密码不符合要求：长度至少 10 位');
  });
});
