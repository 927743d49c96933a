import { describe, expect, it } from 'vitest';
import { pinyinInitials } from './pinyin.js';

describe('pinyinInitials', () => {
  it('gives upper-case initials of ordinary names', () => {
    expect(pinyinInitials('王伟')).toBe('WW');
    expect(pinyinInitials('李娜')).toBe('LN');
    expect(pinyinInitials('张小明')).toBe('ZXM');
  });

  it('reads compound surnames', () => {
    expect(pinyinInitials('欧阳娜娜')).toBe('OYNN');
    expect(pinyinInitials('司马光')).toBe('SMG');
    expect(pinyinInitials('诸葛亮')).toBe('ZGL');
    expect(pinyinInitials('上官婉儿')).toBe('SGWE');
  });

  it.each([
    ['单雄信', 'SXX'], // 单 shan, not dan
    ['曾国藩', 'ZGF'], // 曾 zeng, not ceng
    ['解缙', 'XJ'], // 解 xie, not jie
    ['区志航', 'OZH'], // 区 ou, not qu
    ['仇英', 'QY'], // 仇 qiu, not chou
    ['朴槿惠', 'PJH'], // 朴 piao, not pu
    ['查良镛', 'ZLY'], // 查 zha, not cha
    ['盖聂', 'GN'], // 盖 ge, not gai
    ['尉迟恭', 'YCG'], // 尉迟 yuchi, not weichi
    ['乐嘉', 'YJ'], // 乐 yue, not le
    ['万俟卨', 'MQX'], // 万俟 moqi
    ['澹台明月', 'TTMY'], // 澹台 tantai
    ['召忠', 'SZ'], // 召 shao
  ])('reads the surname of %s by its surname reading: %s', (name, initials) => {
    expect(pinyinInitials(name)).toBe(initials);
  });

  it('reads the same characters in the given name with their ordinary readings', () => {
    expect(pinyinInitials('李解放')).toBe('LJF'); // 解放 jiefang
    expect(pinyinInitials('王单')).toBe('WD'); // 单 dan
    expect(pinyinInitials('张乐乐')).toBe('ZLL'); // 乐 le
    expect(pinyinInitials('李曾')).toBe('LC'); // 曾 ceng
    expect(pinyinInitials('曾单')).toBe('ZD');
  });

  it('skips separators in minority names', () => {
    expect(pinyinInitials('阿卜杜拉·买买提')).toBe('ABDLMMT');
    expect(pinyinInitials('王 伟')).toBe('WW');
    expect(pinyinInitials(' 王伟 ')).toBe('WW');
  });

  it('takes Latin words by their first letter, full-width or not', () => {
    expect(pinyinInitials('Zhang San')).toBe('ZS');
    expect(pinyinInitials('ＺＨＡＮＧ')).toBe('Z');
    expect(pinyinInitials('李a明')).toBe('LAM');
  });

  it('gives nothing for nothing', () => {
    expect(pinyinInitials('')).toBe('');
    expect(pinyinInitials('  ')).toBe('');
    expect(pinyinInitials('·')).toBe('');
  });
});
