import { describe, expect, it } from 'vitest';
import { nameMatches, normalizeMaterialName, yearsInName } from './material-name.js';

describe('normalizeMaterialName', () => {
  it('drops spaces, punctuation and book-title marks', () => {
    expect(normalizeMaterialName(' 《中国共产党 入党志愿书》 ')).toBe('中国共产党入党志愿书');
    expect(normalizeMaterialName('干部任免审批表（拟任：副处长）')).toBe('干部任免审批表拟任副处长');
    expect(normalizeMaterialName('学历、学位证书复印件')).toBe('学历学位证书复印件');
  });

  it('folds full-width letters and digits, and lower-cases Latin', () => {
    expect(normalizeMaterialName('ＭＢＡ学位证书')).toBe('mba学位证书');
    expect(normalizeMaterialName('２００３年度考核登记表')).toBe('年度考核登记表');
  });

  it('drops years and dates but keeps 年度', () => {
    expect(normalizeMaterialName('2003年度考核登记表')).toBe('年度考核登记表');
    expect(normalizeMaterialName('2003 年度考核登记表')).toBe('年度考核登记表');
    expect(normalizeMaterialName('干部履历表（1999年版）')).toBe('干部履历表版');
    expect(normalizeMaterialName('2003年5月7日入党志愿书')).toBe('入党志愿书');
    expect(normalizeMaterialName('1985年党员登记表')).toBe('党员登记表');
  });
});

describe('yearsInName', () => {
  it('finds four-digit years standing alone, in order', () => {
    expect(yearsInName('2003年度考核登记表')).toEqual([2003]);
    expect(yearsInName('干部履历表（1999年版）')).toEqual([1999]);
    expect(yearsInName('1997—1998年度考核登记表')).toEqual([1997, 1998]);
    expect(yearsInName('２００３年度考核登记表')).toEqual([2003]);
  });

  it('ignores numbers that are not years', () => {
    expect(yearsInName('干部任免审批表')).toEqual([]);
    expect(yearsInName('第12345号文件')).toEqual([]);
    expect(yearsInName('1850年的记载')).toEqual([]);
    expect(yearsInName('编号20030507')).toEqual([]);
  });
});

describe('nameMatches', () => {
  it('matches by containment after normalization on both sides', () => {
    expect(nameMatches('2003年度考核登记表', '年度考核')).toBe(true);
    expect(nameMatches('中国共产党入党志愿书', '入党 志愿书')).toBe(true);
    expect(nameMatches('入党申请书', '入党志愿书')).toBe(false);
  });

  it('never matches an empty synonym', () => {
    expect(nameMatches('任何材料', '')).toBe(false);
    expect(nameMatches('任何材料', '（）')).toBe(false);
  });
});
