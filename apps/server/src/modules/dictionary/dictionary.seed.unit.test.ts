import { describe, it, expect } from 'vitest';
import { dictionarySeed, type SeedType } from './dictionary.seed.js';

const HAN = /\p{Script=Han}/u;
const SNAKE_CASE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

function seedType(name: string): SeedType {
  const found = dictionarySeed.find((t) => t.type === name);
  if (!found) throw new Error(`dictionary type ${name} is missing from the seed`);
  return found;
}

function codes(name: string): string[] {
  return seedType(name).entries.map((e) => e.code);
}

function labelOf(name: string, code: string): string | undefined {
  return seedType(name).entries.find((e) => e.code === code)?.label;
}

describe('dictionary seed: structure', () => {
  it('has the expected types', () => {
    expect(dictionarySeed.map((t) => t.type).sort()).toEqual(
      [
        'archive_class',
        'clearance',
        'degree',
        'education',
        'ethnicity',
        'gender',
        'personnel_status',
        'political_status',
        'rank',
        'relation',
        'secrecy_level',
        'unit_type',
        'use_purpose',
      ].sort(),
    );
  });

  it('has unique snake_case type names', () => {
    const names = dictionarySeed.map((t) => t.type);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name, name).toMatch(SNAKE_CASE);
  });

  it('gives every type a Chinese label, a standard and at least one entry', () => {
    for (const t of dictionarySeed) {
      expect(t.label, t.type).toMatch(HAN);
      expect(t.standard?.trim(), t.type).toBeTruthy();
      expect(t.entries.length, t.type).toBeGreaterThan(0);
    }
  });

  describe.each(dictionarySeed.map((t) => [t.type, t] as const))('%s', (_name, t) => {
    it('has unique, non-empty, trimmed codes', () => {
      const seen = new Set<string>();
      for (const e of t.entries) {
        expect(e.code, JSON.stringify(e)).not.toBe('');
        expect(e.code, JSON.stringify(e)).toBe(e.code.trim());
        expect(seen.has(e.code), `duplicate code ${e.code}`).toBe(false);
        seen.add(e.code);
      }
    });

    it('has unique, non-empty labels containing a CJK character', () => {
      const seen = new Set<string>();
      for (const e of t.entries) {
        expect(e.label.trim(), e.code).not.toBe('');
        expect(e.label, e.code).toBe(e.label.trim());
        expect(e.label, e.code).toMatch(HAN);
        expect(seen.has(e.label), `duplicate label ${e.label}`).toBe(false);
        seen.add(e.label);
      }
    });

    if (t.hierarchical) {
      it('has every parentCode pointing at an earlier entry of the same type', () => {
        const earlier = new Set<string>();
        for (const e of t.entries) {
          if (e.parentCode !== undefined) {
            expect(e.parentCode, e.code).not.toBe(e.code);
            expect(earlier.has(e.parentCode), `${e.code} -> ${e.parentCode}`).toBe(true);
          }
          earlier.add(e.code);
        }
      });

      it('has at least one root and one child', () => {
        expect(t.entries.some((e) => e.parentCode === undefined)).toBe(true);
        expect(t.entries.some((e) => e.parentCode !== undefined)).toBe(true);
      });
    } else {
      it('has no parentCode', () => {
        for (const e of t.entries) expect(e.parentCode, e.code).toBeUndefined();
      });
    }
  });
});

describe('dictionary seed: content', () => {
  it('gender follows GB/T 2261.1-2003', () => {
    expect(codes('gender')).toEqual(['0', '1', '2', '9']);
    expect(labelOf('gender', '1')).toBe('男');
    expect(labelOf('gender', '2')).toBe('女');
  });

  it('ethnicity has the 56 nationalities 01..56 then 97 and 98', () => {
    const expected = Array.from({ length: 56 }, (_, i) => String(i + 1).padStart(2, '0'));
    expected.push('97', '98');
    expect(codes('ethnicity')).toEqual(expected);
    expect(seedType('ethnicity').entries.filter((e) => /^\d\d$/.test(e.code) && Number(e.code) <= 56)).toHaveLength(56);
    expect(labelOf('ethnicity', '01')).toBe('汉族');
    expect(labelOf('ethnicity', '02')).toBe('蒙古族');
    expect(labelOf('ethnicity', '10')).toBe('朝鲜族');
    expect(labelOf('ethnicity', '11')).toBe('满族');
    expect(labelOf('ethnicity', '46')).toBe('德昂族');
    expect(labelOf('ethnicity', '56')).toBe('基诺族');
    expect(labelOf('ethnicity', '97')).toBe('其他');
    expect(labelOf('ethnicity', '98')).toBe('外国血统中国籍人士');
    for (const e of seedType('ethnicity').entries.slice(0, 56)) expect(e.label, e.code).toMatch(/族$/);
  });

  it('political_status has codes 01..13, from 中共党员 to 群众', () => {
    expect(codes('political_status')).toEqual(
      Array.from({ length: 13 }, (_, i) => String(i + 1).padStart(2, '0')),
    );
    expect(labelOf('political_status', '01')).toBe('中共党员');
    expect(labelOf('political_status', '13')).toBe('群众');
  });

  it('education follows GB/T 4658-2006 with children under their level', () => {
    const t = seedType('education');
    const roots = t.entries.filter((e) => e.parentCode === undefined).map((e) => e.code);
    expect(roots).toEqual(['10', '20', '30', '40', '60', '70', '80', '90']);
    for (const e of t.entries) {
      if (e.parentCode !== undefined) expect(e.parentCode, e.code).toBe(`${e.code[0]}0`);
    }
    expect(labelOf('education', '11')).toBe('博士研究生毕业');
    expect(labelOf('education', '14')).toBe('硕士研究生毕业');
    expect(labelOf('education', '21')).toBe('大学本科毕业');
    expect(labelOf('education', '28')).toBe('大学普通班毕业');
    expect(labelOf('education', '31')).toBe('大学专科毕业');
  });

  it('degree follows GB/T 6864-2003 with the twelve disciplines at each level', () => {
    const t = seedType('degree');
    const roots = t.entries.filter((e) => e.parentCode === undefined).map((e) => e.code);
    expect(roots).toEqual(['1', '2', '3', '4']);
    for (const e of t.entries) {
      if (e.parentCode !== undefined) {
        expect(e.code, e.code).toMatch(/^[234]\d\d$/);
        expect(e.parentCode, e.code).toBe(e.code[0]);
      }
    }
    const disciplines = ['哲学', '经济学', '法学', '教育学', '文学', '历史学', '理学', '工学', '农学', '医学', '军事学', '管理学'];
    const levels = [
      ['2', '博士'],
      ['3', '硕士'],
      ['4', '学士'],
    ] as const;
    for (const [level, name] of levels) {
      disciplines.forEach((d, i) => {
        const code = `${level}${String(i + 1).padStart(2, '0')}`;
        expect(labelOf('degree', code), code).toBe(`${d}${name}学位`);
      });
    }
  });

  it('rank lists the ten leadership levels before the 职级', () => {
    const labels = seedType('rank').entries.map((e) => e.label);
    expect(labels.slice(0, 10)).toEqual([
      '国家级正职',
      '国家级副职',
      '省部级正职',
      '省部级副职',
      '厅局级正职',
      '厅局级副职',
      '县处级正职',
      '县处级副职',
      '乡科级正职',
      '乡科级副职',
    ]);
    expect(labels).toContain('一级巡视员');
    expect(labels).toContain('二级科员');
  });

  it('secrecy levels and clearances are ordered from lowest to highest', () => {
    expect(seedType('secrecy_level').entries.map((e) => e.label)).toEqual(['内部', '秘密', '机密', '绝密']);
    expect(seedType('clearance').entries.map((e) => e.label)).toEqual(['非涉密', '一般涉密', '重要涉密', '核心涉密']);
    for (const name of ['secrecy_level', 'clearance']) {
      const numeric = codes(name).map(Number);
      expect(numeric, name).toEqual([...numeric].sort((a, b) => a - b));
    }
  });

  it('archive_class has the ten classes and the eight subclasses, in order', () => {
    const t = seedType('archive_class');
    expect(codes('archive_class')).toEqual([
      '1', '2', '3', '4', '4-1', '4-2', '4-3', '4-4', '5', '6', '7', '8', '9', '9-1', '9-2', '9-3', '9-4', '10',
    ]);
    const classes = t.entries.filter((e) => e.parentCode === undefined);
    expect(classes.map((e) => e.code)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    const subclasses = t.entries.filter((e) => e.parentCode !== undefined);
    expect(subclasses).toHaveLength(8);
    for (const e of subclasses) expect(e.parentCode, e.code).toBe(e.code.split('-')[0]);
    expect(labelOf('archive_class', '1')).toBe('履历类材料');
    expect(labelOf('archive_class', '4')).toBe('学历学位、专业技术职务(职称)、学术评鉴和教育培训类材料');
    expect(labelOf('archive_class', '4-1')).toBe('学历学位');
    expect(labelOf('archive_class', '9-2')).toBe('任免');
    expect(labelOf('archive_class', '10')).toBe('其他可供组织参考的材料');
  });
});
