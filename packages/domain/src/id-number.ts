/** 公民身份号码 (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit sequence, check character. */
import { type CalendarDate, type PartialDate, EARLIEST_YEAR, daysInMonth } from './partial-date.js';

export type IdNumberResult =
  | { ok: true; normalized: string; birthDate: string; gender: 'male' | 'female'; regionCode: string }
  | { ok: false; reason: string };

/**
 * First two digits of the region code (GB/T 2260 provinces). 71 台湾, 81 香港, 82 澳门 are in GB/T 2260;
 * 83 is what residence permits of Taiwan residents carry (港澳台居民居住证 use 81/82/83 in the same
 * 18-character scheme), so a number of that kind is accepted too.
 */
export const PROVINCE_CODES: ReadonlyMap<string, string> = new Map([
  ['11', '北京'], ['12', '天津'], ['13', '河北'], ['14', '山西'], ['15', '内蒙古'],
  ['21', '辽宁'], ['22', '吉林'], ['23', '黑龙江'],
  ['31', '上海'], ['32', '江苏'], ['33', '浙江'], ['34', '安徽'], ['35', '福建'], ['36', '江西'], ['37', '山东'],
  ['41', '河南'], ['42', '湖北'], ['43', '湖南'], ['44', '广东'], ['45', '广西'], ['46', '海南'],
  ['50', '重庆'], ['51', '四川'], ['52', '贵州'], ['53', '云南'], ['54', '西藏'],
  ['61', '陕西'], ['62', '甘肃'], ['63', '青海'], ['64', '宁夏'], ['65', '新疆'],
  ['71', '台湾'], ['81', '香港'], ['82', '澳门'], ['83', '台湾（居住证）'],
]);

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function idCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('须为 17 位数字');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

function dayNumber(y: number, m: number, d: number): number {
  return y * 10_000 + m * 100 + d;
}

function birthDateProblem(y: number, m: number, d: number, today: CalendarDate): string | null {
  const shown = `${y}年${m}月${d}日`;
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return `出生日期不是有效日期：${shown}`;
  if (y < EARLIEST_YEAR) return `出生日期早于 ${EARLIEST_YEAR} 年：${shown}`;
  if (dayNumber(y, m, d) > dayNumber(today.year, today.month, today.day)) return `出生日期晚于今天：${shown}`;
  return null;
}

/**
 * Checks a 公民身份号码 as typed. Spaces and full-width characters are tolerated and a lower-case x
 * becomes X, the form the standard prints. Problems are reported in reading order of the number,
 * with the check character last, because a wrong check character usually means a typo elsewhere.
 */
export function checkIdNumber(raw: string, today: CalendarDate): IdNumberResult {
  const s = raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  if (s === '') return { ok: false, reason: '公民身份号码为空' };
  if (s.length === 15 && /^\d{15}$/.test(s)) {
    return { ok: false, reason: '这是 15 位的旧号码，请填写 18 位公民身份号码' };
  }
  if (s.length !== 18) return { ok: false, reason: `公民身份号码应为 18 位，实为 ${s.length} 位` };
  if (!/^\d{17}[\dX]$/.test(s)) {
    return { ok: false, reason: '公民身份号码前 17 位须为数字，最后一位须为数字或 X' };
  }
  const regionCode = s.slice(0, 6);
  if (!PROVINCE_CODES.has(s.slice(0, 2))) {
    return { ok: false, reason: `地址码无效：前两位 ${s.slice(0, 2)} 不是省级行政区划代码` };
  }
  const y = Number(s.slice(6, 10));
  const m = Number(s.slice(10, 12));
  const d = Number(s.slice(12, 14));
  const problem = birthDateProblem(y, m, d, today);
  if (problem) return { ok: false, reason: problem };
  const expected = idCheckCharacter(s.slice(0, 17));
  if (s[17] !== expected) {
    return { ok: false, reason: `校验码错误：最后一位应为 ${expected}，实为 ${s[17]}，请核对号码是否录错` };
  }
  return {
    ok: true,
    normalized: s,
    birthDate: `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`,
    gender: Number(s[16]) % 2 === 1 ? 'male' : 'female',
    regionCode,
  };
}

/**
 * Whether the birth date in the ID number agrees with the cadre's recorded 出生日期.
 * The record is compared at its own precision, since cadre forms usually give only 出生年月:
 * agreement of year and month (and day, if known) is a match; any known part that differs is a
 * mismatch; a record with the year alone, even if it agrees, cannot confirm anything.
 */
export function compareBirthDate(
  idBirth: string,
  cadreBirth: PartialDate | null,
): 'match' | 'mismatch' | 'unknown' {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(idBirth);
  if (!m) throw new Error(`身份证出生日期格式应为 YYYY-MM-DD：${idBirth}`);
  if (cadreBirth === null) return 'unknown';
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (cadreBirth.year !== year) return 'mismatch';
  if (cadreBirth.month === null) return 'unknown';
  if (cadreBirth.month !== month) return 'mismatch';
  if (cadreBirth.day !== null && cadreBirth.day !== day) return 'mismatch';
  return 'match';
}
