import { describe, expect, it } from 'vitest';
import { PROVINCE_CODES, checkIdNumber, compareBirthDate, idCheckCharacter, type IdNumberResult } from './id-number.js';
import type { CalendarDate } from './partial-date.js';

const today: CalendarDate = { year: 2025, month: 6, day: 1 };

/*
 * Samples whose check character was computed by hand with the standard's weights
 * (7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 → 1 0 X 9 8 7 6 5 4 3 2), not with the code under test.
 */
const VALID = {
  standardExample: '11010519491231002X',
  beijing1990: '110101199003071233',
  shenzhen1985: '440304198506152037',
  shenzhen1985Female: '440304198506152045',
  leapDay2000: '11010120000229131X',
  leapDay1996: '510107199602294562',
  firstDay1900: '110101190001010014',
  hongKong: '810000198808088883',
  taiwanPermit: '830000199003071230',
  bornToday: '110101202506011237',
};

function ok(raw: string, t: CalendarDate = today) {
  const r = checkIdNumber(raw, t);
  if (!r.ok) throw new Error(`expected ${raw} to pass: ${r.reason}`);
  return r;
}

function reason(raw: string, t: CalendarDate = today): string {
  const r: IdNumberResult = checkIdNumber(raw, t);
  if (r.ok) throw new Error(`expected ${raw} to fail`);
  return r.reason;
}

describe('idCheckCharacter', () => {
  it('computes ISO 7064 MOD 11-2 over the first 17 digits', () => {
    for (const id of Object.values(VALID)) expect(idCheckCharacter(id.slice(0, 17))).toBe(id[17]);
  });

  it('gives X for remainder 2', () => {
    expect(idCheckCharacter('11010519491231002')).toBe('X');
  });

  it('throws unless given 17 digits', () => {
    expect(() => idCheckCharacter('1101051949123100')).toThrow();
    expect(() => idCheckCharacter('1101051949123100X')).toThrow();
  });
});

describe('checkIdNumber: valid numbers', () => {
  it('accepts the samples and reads birth date, gender and region', () => {
    expect(ok(VALID.standardExample)).toEqual({
      ok: true,
      normalized: '11010519491231002X',
      birthDate: '1949-12-31',
      gender: 'female',
      regionCode: '110105',
    });
    expect(ok(VALID.beijing1990)).toMatchObject({ birthDate: '1990-03-07', gender: 'male', regionCode: '110101' });
    expect(ok(VALID.shenzhen1985)).toMatchObject({ birthDate: '1985-06-15', gender: 'male', regionCode: '440304' });
    expect(ok(VALID.hongKong)).toMatchObject({ birthDate: '1988-08-08', gender: 'female', regionCode: '810000' });
    expect(ok(VALID.taiwanPermit).regionCode).toBe('830000');
  });

  it('reads gender from the 17th digit: odd is male, even is female', () => {
    expect(ok(VALID.beijing1990).gender).toBe('male'); // …12[3]3
    expect(ok(VALID.shenzhen1985).gender).toBe('male'); // …20[3]7
    expect(ok(VALID.shenzhen1985Female).gender).toBe('female'); // …20[4]5
    expect(ok(VALID.standardExample).gender).toBe('female'); // …00[2]X
  });

  it('accepts 29 February in leap years (2000 included)', () => {
    expect(ok(VALID.leapDay2000).birthDate).toBe('2000-02-29');
    expect(ok(VALID.leapDay1996).birthDate).toBe('1996-02-29');
  });

  it('accepts the boundaries: 1 January 1900 and today', () => {
    expect(ok(VALID.firstDay1900).birthDate).toBe('1900-01-01');
    expect(ok(VALID.bornToday).birthDate).toBe('2025-06-01');
  });

  it('normalizes a lower-case x to X', () => {
    expect(ok('11010519491231002x').normalized).toBe('11010519491231002X');
  });

  it('tolerates spaces and full-width characters as pasted from documents', () => {
    expect(ok(' 110105 19491231 002X ').normalized).toBe('11010519491231002X');
    expect(ok('１１０１０５１９４９１２３１００２Ｘ').normalized).toBe('11010519491231002X');
  });
});

describe('checkIdNumber: refused numbers', () => {
  it('refuses a wrong check character and says which it should be', () => {
    expect(reason('110101199003071234')).toBe('校验码错误：最后一位应为 3，实为 4，请核对号码是否录错');
    expect(reason('110105194912310021')).toContain('最后一位应为 X');
    expect(reason('11010119900307123X')).toContain('实为 X');
  });

  it('catches a single mistyped digit and two swapped digits', () => {
    expect(reason('110101199003071283')).toContain('校验码错误'); // 17th digit 3 → 8
    expect(reason('110101199003071323')).toContain('校验码错误'); // 16th and 17th digits swapped
  });

  it('refuses 29 February in a non-leap year even with a matching check character', () => {
    expect(reason('110101200102291237')).toBe('出生日期不是有效日期：2001年2月29日');
    expect(reason('110101190002291233')).toContain('不是有效日期');
  });

  it('refuses impossible months and days', () => {
    expect(reason('110101199013011234')).toContain('不是有效日期：1990年13月1日');
    expect(reason('110101199004311235')).toContain('不是有效日期：1990年4月31日');
  });

  it('refuses a birth date before 1900 or after today', () => {
    expect(reason('110101189912311231')).toBe('出生日期早于 1900 年：1899年12月31日');
    expect(reason('110101202601011235')).toBe('出生日期晚于今天：2026年1月1日');
    expect(reason('110101202506021232')).toContain('晚于今天');
    expect(ok('110101202506021232', { year: 2025, month: 6, day: 2 }).birthDate).toBe('2025-06-02');
  });

  it('refuses a region code that is not a province', () => {
    expect(reason('910101199003071232')).toBe('地址码无效：前两位 91 不是省级行政区划代码');
    expect(reason('000101199003071238')).toContain('前两位 00');
  });

  it('refuses wrong lengths, naming the length', () => {
    expect(reason('11010119900307123')).toBe('公民身份号码应为 18 位，实为 17 位');
    expect(reason('1101011990030712330')).toBe('公民身份号码应为 18 位，实为 19 位');
  });

  it('explains a 15-digit number is the old form', () => {
    expect(reason('110101900307123')).toContain('15 位的旧号码');
  });

  it('refuses letters other than a final X', () => {
    expect(reason('11010119900307123Y')).toContain('最后一位须为数字或 X');
    expect(reason('1101011990030712X3')).toContain('前 17 位须为数字');
  });

  it('refuses an empty input', () => {
    expect(reason('')).toBe('公民身份号码为空');
    expect(reason('   ')).toBe('公民身份号码为空');
  });
});

describe('PROVINCE_CODES', () => {
  it('holds the 34 provincial-level codes of GB/T 2260 plus 83 for residence permits', () => {
    expect(PROVINCE_CODES.size).toBe(35);
    for (const code of ['11', '15', '23', '37', '46', '50', '54', '65', '71', '81', '82', '83']) {
      expect(PROVINCE_CODES.has(code)).toBe(true);
    }
    for (const code of ['10', '16', '24', '38', '47', '55', '66', '72', '80', '84', '91']) {
      expect(PROVINCE_CODES.has(code)).toBe(false);
    }
  });
});

describe('compareBirthDate', () => {
  it('matches a full date that agrees', () => {
    expect(compareBirthDate('1990-03-07', { year: 1990, month: 3, day: 7 })).toBe('match');
  });

  it('matches year and month when the record has no day (出生年月)', () => {
    expect(compareBirthDate('1990-03-07', { year: 1990, month: 3, day: null })).toBe('match');
  });

  it('flags any known part that differs', () => {
    expect(compareBirthDate('1990-03-07', { year: 1990, month: 3, day: 8 })).toBe('mismatch');
    expect(compareBirthDate('1990-03-07', { year: 1990, month: 4, day: null })).toBe('mismatch');
    expect(compareBirthDate('1990-03-07', { year: 1989, month: 3, day: 7 })).toBe('mismatch');
    expect(compareBirthDate('1990-03-07', { year: 1991, month: null, day: null })).toBe('mismatch');
  });

  it('cannot confirm from a year alone, nor without a record', () => {
    expect(compareBirthDate('1990-03-07', { year: 1990, month: null, day: null })).toBe('unknown');
    expect(compareBirthDate('1990-03-07', null)).toBe('unknown');
  });

  it('takes the birth date checkIdNumber gives', () => {
    const r = ok(VALID.beijing1990);
    expect(compareBirthDate(r.birthDate, { year: 1990, month: 3, day: 7 })).toBe('match');
  });

  it('throws on a malformed ID birth date (a bug, not data)', () => {
    expect(() => compareBirthDate('19900307', null)).toThrow();
  });
});
