import { describe, expect, it } from 'vitest';
import type { ClassCode } from './catalogue.js';
import {
  SEEDED_RULES,
  type CadreFacts,
  type CompletenessMaterial,
  type CompletenessResult,
  type CompletenessRule,
  type Condition,
  evaluate,
  evaluateCondition,
  resolveYear,
} from './completeness.js';
import type { PartialDate } from './partial-date.js';

const pd = (year: number, month: number | null = null, day: number | null = null): PartialDate => ({ year, month, day });

/** A cadre in service, known in every respect; each test changes what it is about. */
function facts(over: Partial<CadreFacts> = {}): CadreFacts {
  return {
    birthDate: pd(1970, 5),
    workStartDate: pd(1992, 7),
    partyMember: true,
    partyJoinDate: pd(1995, 6),
    personnelStatus: '在职',
    educationCode: '21',
    hasDegree: true,
    hasForeignDegree: false,
    titleLevel: 'intermediate',
    appointments: [{ year: 2001 }, { year: 2008 }],
    currentYear: 2025,
    ...over,
  };
}

const m = (name: string, classCode: ClassCode, date: PartialDate | null = null): CompletenessMaterial => ({
  name,
  classCode,
  date,
});

function rule(code: string): CompletenessRule {
  const r = SEEDED_RULES.find((x) => x.code === code);
  if (!r) throw new Error(`no seeded rule ${code}`);
  return r;
}

function check(code: string, f: CadreFacts, materials: CompletenessMaterial[]): CompletenessResult {
  return evaluate([rule(code)], f, materials)[0]!;
}

describe('SEEDED_RULES', () => {
  it('holds the rules of DOMAIN.md §3 that facts can decide, with unique codes', () => {
    expect(SEEDED_RULES.map((r) => r.code)).toEqual([
      'resume', 'resume_1999', 'resume_1988', 'annual_appraisal',
      'education_application', 'education_transcript', 'education_graduation', 'education_degree',
      'foreign_degree_certification', 'party_application', 'party_registration_1985', 'party_registration_1990',
      'appointment_forms', 'wage_since_1993', 'professional_title',
    ]);
  });

  it('is plain JSON, so it can be stored and edited', () => {
    expect(JSON.parse(JSON.stringify(SEEDED_RULES))).toEqual(SEEDED_RULES);
  });

  it('gives every rule a Chinese label, basis and at least one synonym, in a leaf class', () => {
    for (const r of SEEDED_RULES) {
      expect(r.label).toMatch(/[\u4e00-\u9fff]/);
      expect(r.basis).toMatch(/[\u4e00-\u9fff]/);
      expect(r.synonyms.length).toBeGreaterThan(0);
      expect(['4', '9']).not.toContain(r.classCode);
    }
  });
});

describe('干部履历表 (resume)', () => {
  it('present when a 干部履历表 is in class 1', () => {
    const r = check('resume', facts(), [m('干部任免审批表', '9-2'), m('干部履历表', '1', pd(2005))]);
    expect(r).toEqual({ code: 'resume', label: '干部履历表', status: 'present', matched: [1], reason: '已有 1 份' });
  });

  it('missing without one', () => {
    const r = check('resume', facts(), [m('自传', '2')]);
    expect(r).toMatchObject({ status: 'missing', missingItems: ['干部履历表'], matched: [], reason: '未找到干部履历表' });
  });

  it('missing when filed in the wrong class, and the reason points at it', () => {
    const r = check('resume', facts(), [m('干部履历表', '10', pd(2005))]);
    expect(r.status).toBe('missing');
    expect(r.reason).toBe('未找到干部履历表；第 10 类中有“干部履历表”，是否归类有误？');
  });

  it('applies to everyone, so nothing about the cadre can make it unknown', () => {
    const unknown = facts({ workStartDate: null, partyMember: null, personnelStatus: null, educationCode: null });
    expect(check('resume', unknown, []).status).toBe('missing');
  });
});

describe('干部履历表（1999 年版）(resume_1999)', () => {
  it('present: a resume filled in 1999 or later, by date or by the edition in its name', () => {
    expect(check('resume_1999', facts(), [m('干部履历表', '1', pd(2000, 3))]).status).toBe('present');
    expect(check('resume_1999', facts(), [m('干部履历表（1999年版）', '1')]).status).toBe('present');
  });

  it('missing: only an older resume', () => {
    const r = check('resume_1999', facts(), [m('干部履历表', '1', pd(1995))]);
    expect(r).toMatchObject({ status: 'missing', matched: [0], missingItems: ['干部履历表（1999 年版）'] });
    expect(r.reason).toBe('未找到 1999 年以后形成的干部履历表（1999 年版）；现有的形成于 1995 年，不在此范围内');
  });

  it('unknown: a resume without a date cannot be placed', () => {
    const r = check('resume_1999', facts(), [m('干部履历表', '1')]);
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('未注明时间');
  });

  it('unknown: work start date unknown and no resume of 1999 or later', () => {
    const r = check('resume_1999', facts({ workStartDate: null }), []);
    expect(r).toMatchObject({ status: 'unknown', reason: '参加工作时间未知，无法判断是否在 1999 年以前参加工作' });
  });

  it('present even with the work start date unknown, when the resume is there', () => {
    expect(check('resume_1999', facts({ workStartDate: null }), [m('干部履历表', '1', pd(2003))]).status).toBe('present');
  });

  it('not applicable to a cadre who started work in 1999 or later', () => {
    const r = check('resume_1999', facts({ workStartDate: pd(1999, 7) }), []);
    expect(r).toMatchObject({ status: 'not_applicable', reason: '1999.07 参加工作，1999 年以前尚未参加工作' });
    expect(check('resume_1999', facts({ workStartDate: pd(1998, 12) }), []).status).toBe('missing');
  });
});

describe('干部履历表（1988 年版）(resume_1988)', () => {
  const old = facts({ workStartDate: pd(1982, 9) });

  it('present: a resume of 1988–1998', () => {
    expect(check('resume_1988', old, [m('干部履历表', '1', pd(1990, 4))]).status).toBe('present');
    expect(check('resume_1988', old, [m('干部履历表（1988年版）', '1', pd(2001))]).status).toBe('present');
  });

  it('missing: only the 1999 edition and an earlier one', () => {
    const r = check('resume_1988', old, [m('干部履历表', '1', pd(1999, 10)), m('干部履历表', '1', pd(1980))]);
    expect(r).toMatchObject({ status: 'missing', matched: [0, 1] });
    expect(r.reason).toContain('1988—1998 年');
  });

  it('unknown without a work start date', () => {
    expect(check('resume_1988', facts({ workStartDate: null }), []).status).toBe('unknown');
  });

  it('not applicable from 1988 on', () => {
    expect(check('resume_1988', facts({ workStartDate: pd(1988, 1) }), []).status).toBe('not_applicable');
  });
});

describe('年度考核登记表 (annual_appraisal)', () => {
  const yearly = (years: number[]) => years.map((y) => m(`${y}年度考核登记表`, '3', pd(y + 1, 1)));

  it('present: every year from max(1997, start) to last year', () => {
    const f = facts({ workStartDate: pd(2019, 8) });
    const r = check('annual_appraisal', f, yearly([2019, 2020, 2021, 2022, 2023, 2024]));
    expect(r).toMatchObject({ status: 'present', reason: '2019—2024 年各年均有' });
    expect(r.matched).toHaveLength(6);
  });

  it('missing: lists the years without a form, starting at 1997 for an earlier start', () => {
    const f = facts({ workStartDate: pd(1990, 7) });
    const years = Array.from({ length: 28 }, (_, i) => 1997 + i).filter((y) => y !== 2003 && y !== 2010);
    const r = check('annual_appraisal', f, yearly(years));
    expect(r).toMatchObject({
      status: 'missing',
      missingItems: ['2003 年度考核登记表', '2010 年度考核登记表'],
      reason: '1997—2024 年中缺少 2 个年度',
    });
  });

  it('does not ask for the current year, nor for years before 1997', () => {
    const f = facts({ workStartDate: pd(1985) });
    const years = Array.from({ length: 28 }, (_, i) => 1997 + i);
    expect(check('annual_appraisal', f, yearly(years)).status).toBe('present');
    expect(check('annual_appraisal', f, yearly(years.slice(1))).missingItems).toEqual(['1997 年度考核登记表']);
  });

  it('takes the year from the name before the date (a 2003 form is filled in early 2004)', () => {
    const f = facts({ workStartDate: pd(2023, 3) });
    const r = check('annual_appraisal', f, [m('2023年度考核登记表', '3', pd(2024, 1)), m('年度考核登记表', '3', pd(2024, 12))]);
    expect(r.status).toBe('present');
  });

  it('lets an unnamed form dated in January to March stand for the previous year when that year is open', () => {
    const f = facts({ workStartDate: pd(2022, 3) });
    const early = [m('年度考核登记表', '3', pd(2023, 1)), m('年度考核登记表', '3', pd(2024, 2)), m('年度考核登记表', '3', pd(2025, 1))];
    expect(check('annual_appraisal', f, early).status).toBe('present');
    const named = [m('2022年度考核登记表', '3', pd(2022, 12)), m('年度考核登记表', '3', pd(2023, 2)), m('2024年度考核登记表', '3')];
    expect(check('annual_appraisal', f, named).status).toBe('present');
    const april = [m('年度考核登记表', '3', pd(2023, 4)), m('2023年度考核登记表', '3'), m('2024年度考核登记表', '3')];
    expect(check('annual_appraisal', f, april).missingItems).toEqual(['2022 年度考核登记表']);
  });

  it('unknown: undated forms might fill the gaps', () => {
    const f = facts({ workStartDate: pd(2022, 3) });
    const r = check('annual_appraisal', f, [m('2022年度考核登记表', '3'), m('年度考核登记表', '3')]);
    expect(r).toMatchObject({ status: 'unknown', missingItems: ['2023 年度考核登记表', '2024 年度考核登记表'] });
    expect(r.reason).toContain('另有 1 份未注明年度');
  });

  it('unknown: start of work unknown', () => {
    expect(check('annual_appraisal', facts({ workStartDate: null }), [])).toMatchObject({
      status: 'unknown',
      reason: '参加工作时间未知，无法确定起始年份',
    });
  });

  it('unknown: a retired cadre, whose last year in service we are not told', () => {
    expect(check('annual_appraisal', facts({ personnelStatus: '离退休' }), []).reason).toBe(
      '人员状态为「离退休」，最后在职年份不详，无法确定截止年份',
    );
    expect(check('annual_appraisal', facts({ personnelStatus: null }), []).status).toBe('unknown');
  });

  it('not applicable to a cadre who started work this year', () => {
    expect(check('annual_appraisal', facts({ workStartDate: pd(2025, 3) }), []).status).toBe('not_applicable');
  });

  it('counts only forms filed in class 3', () => {
    const f = facts({ workStartDate: pd(2024, 1) });
    const r = check('annual_appraisal', f, [m('2024年度考核登记表', '10')]);
    expect(r.status).toBe('missing');
    expect(r.reason).toContain('第 10 类中有“2024年度考核登记表”');
  });
});

describe('学历学位 chain (education_application / transcript / graduation)', () => {
  const chain = [
    m('高等学校招生考生登记表', '4-1', pd(1988, 6)),
    m('大学学习成绩表', '4-1', pd(1992, 6)),
    m('普通高等学校毕业生登记表', '4-1', pd(1992, 6)),
  ];
  const cases: [string, number][] = [
    ['education_application', 0],
    ['education_transcript', 1],
    ['education_graduation', 2],
  ];

  it.each(cases)('%s: present in the full chain', (code, index) => {
    const r = check(code, facts(), chain);
    expect(r).toMatchObject({ status: 'present', matched: [index] });
  });

  it.each(cases)('%s: missing when its link of the chain is absent', (code, index) => {
    const r = check(code, facts(), chain.filter((_, i) => i !== index));
    expect(r.status).toBe('missing');
  });

  it.each(cases)('%s: unknown when the education is not recorded', (code) => {
    expect(check(code, facts({ educationCode: null }), [])).toMatchObject({
      status: 'unknown',
      reason: '学历未知，无法判断是否为大学专科及以上学历',
    });
    expect(check(code, facts({ educationCode: undefined }), []).status).toBe('unknown');
  });

  it.each(cases)('%s: applies to 研究生, 本科 and 专科, not to 中专 or 高中', (code) => {
    expect(check(code, facts({ educationCode: '14' }), []).status).toBe('missing');
    expect(check(code, facts({ educationCode: '31' }), []).status).toBe('missing');
    expect(check(code, facts({ educationCode: '41' }), [])).toMatchObject({
      status: 'not_applicable',
      reason: '非大学专科及以上学历（学历代码 41）',
    });
    expect(check(code, facts({ educationCode: '61' }), []).status).toBe('not_applicable');
  });

  it('matches the application form by its usual names', () => {
    for (const n of ['报考登记表', '考生报名登记表', '高等学校招生考生登记表']) {
      expect(check('education_application', facts(), [m(n, '4-1')]).status).toBe('present');
    }
  });
});

describe('学位材料 (education_degree)', () => {
  it('present, missing, unknown, not applicable', () => {
    expect(check('education_degree', facts(), [m('学士学位证书', '4-1', pd(1992))]).status).toBe('present');
    expect(check('education_degree', facts(), [m('毕业生登记表', '4-1', pd(1992))]).status).toBe('missing');
    expect(check('education_degree', facts({ hasDegree: null }), []).reason).toBe('学位情况未知，无法判断');
    expect(check('education_degree', facts({ hasDegree: false }), []).status).toBe('not_applicable');
  });
});

describe('国（境）外学历学位认证书 (foreign_degree_certification)', () => {
  const abroad = facts({ hasForeignDegree: true });

  it('present with the 留学服务中心 certification', () => {
    const r = check('foreign_degree_certification', abroad, [m('教育部留学服务中心国外学历学位认证书', '4-1', pd(2010))]);
    expect(r.status).toBe('present');
  });

  it('missing with only the foreign diploma', () => {
    expect(check('foreign_degree_certification', abroad, [m('硕士学位证书（英国）', '4-1', pd(2009))]).status).toBe('missing');
  });

  it('unknown when not recorded, not applicable without a foreign degree', () => {
    expect(check('foreign_degree_certification', facts({ hasForeignDegree: null }), []).status).toBe('unknown');
    expect(check('foreign_degree_certification', facts(), []).status).toBe('not_applicable');
  });
});

describe('入党志愿书 (party_application)', () => {
  it('present for a member with the form in class 6', () => {
    expect(check('party_application', facts(), [m('中国共产党入党志愿书', '6', pd(1995, 6))]).status).toBe('present');
  });

  it('missing for a member without it; an 入党申请书 does not count', () => {
    const r = check('party_application', facts(), [m('入党申请书', '6', pd(1994))]);
    expect(r).toMatchObject({ status: 'missing', missingItems: ['入党志愿书'] });
  });

  it('unknown when party membership is not recorded, unless the form is there', () => {
    expect(check('party_application', facts({ partyMember: null }), [])).toMatchObject({
      status: 'unknown',
      reason: '政治面貌未知，无法判断是否为中共党员',
      missingItems: ['入党志愿书'],
    });
    expect(check('party_application', facts({ partyMember: null }), [m('入党志愿书', '6')]).status).toBe('present');
  });

  it('not applicable to a non-member', () => {
    expect(check('party_application', facts({ partyMember: false }), [])).toMatchObject({
      status: 'not_applicable',
      reason: '非中共党员',
    });
  });

  it('points at a form filed in the wrong class', () => {
    expect(check('party_application', facts(), [m('入党志愿书', '1', pd(1995))]).reason).toContain('第 1 类中有“入党志愿书”');
  });
});

describe('党员登记表 (party_registration_1985 / party_registration_1990)', () => {
  const veteran = facts({ partyJoinDate: pd(1980, 7), workStartDate: pd(1976) });

  it('1985: present with a registration form of the 整党 years, by date or by name', () => {
    expect(check('party_registration_1985', veteran, [m('党员登记表', '6', pd(1986, 3))]).status).toBe('present');
    expect(check('party_registration_1985', veteran, [m('1985年党员登记表', '6')]).status).toBe('present');
  });

  it('1985: missing with only a later form', () => {
    expect(check('party_registration_1985', veteran, [m('党员登记表', '6', pd(1990, 5))])).toMatchObject({
      status: 'missing',
      matched: [0],
    });
  });

  it('1985: unknown for a member whose join date is not recorded', () => {
    expect(check('party_registration_1985', facts({ partyJoinDate: null }), [])).toMatchObject({
      status: 'unknown',
      reason: '入党时间未知，无法判断 1985 年以前是否已入党',
    });
    expect(check('party_registration_1985', facts({ partyMember: null, partyJoinDate: null }), []).reason).toContain(
      '政治面貌和入党时间未知',
    );
  });

  it('1985: not applicable to those who joined in 1985 or later, or are not members', () => {
    expect(check('party_registration_1985', facts({ partyJoinDate: pd(1985, 1) }), []).status).toBe('not_applicable');
    expect(check('party_registration_1985', facts({ partyMember: false, partyJoinDate: null }), []).status).toBe(
      'not_applicable',
    );
  });

  it('1990: present, missing, unknown, not applicable', () => {
    const f = facts({ partyJoinDate: pd(1987, 7) });
    expect(check('party_registration_1990', f, [m('党员登记表', '6', pd(1990, 2))]).status).toBe('present');
    expect(check('party_registration_1990', f, [m('党员登记表', '6', pd(1986))]).status).toBe('missing');
    expect(check('party_registration_1990', f, [m('党员登记表', '6')]).status).toBe('unknown');
    expect(check('party_registration_1985', f, []).status).toBe('not_applicable');
    expect(check('party_registration_1990', facts({ partyJoinDate: pd(1995) }), []).status).toBe('not_applicable');
  });
});

describe('干部任免审批表 (appointment_forms)', () => {
  it('present: one form per appointment since 1997', () => {
    const f = facts({ appointments: [{ year: 1993 }, { year: 2001 }, { year: 2008 }] });
    const r = check('appointment_forms', f, [m('干部任免审批表', '9-2', pd(2001, 3)), m('干部任免审批表', '9-2', pd(2008, 11))]);
    expect(r).toMatchObject({ status: 'present', reason: '1997 年以来 2 次任免均有', matched: [0, 1] });
  });

  it('missing: names the years, and counts two appointments in one year', () => {
    const f = facts({ appointments: [{ year: 2001 }, { year: 2008 }, { year: 2008 }, { year: 2015 }, { year: 2015 }] });
    const r = check('appointment_forms', f, [m('干部任免审批表', '9-2', pd(2008, 2))]);
    expect(r).toMatchObject({
      status: 'missing',
      missingItems: ['2001 年干部任免审批表', '2008 年干部任免审批表', '2015 年干部任免审批表（缺 2 份）'],
    });
  });

  it('unknown when the appointments are not recorded', () => {
    expect(check('appointment_forms', facts({ appointments: null }), [])).toMatchObject({
      status: 'unknown',
      reason: '任免经历未录入，无法判断应有几份',
    });
    expect(check('appointment_forms', facts({ appointments: undefined }), []).status).toBe('unknown');
  });

  it('unknown when an undated form might be the missing one', () => {
    const r = check('appointment_forms', facts(), [m('干部任免审批表', '9-2', pd(2001)), m('任免呈报表', '9-2')]);
    expect(r).toMatchObject({ status: 'unknown', missingItems: ['2008 年干部任免审批表'] });
  });

  it('not applicable without appointments since 1997', () => {
    expect(check('appointment_forms', facts({ appointments: [{ year: 1990 }] }), []).status).toBe('not_applicable');
    expect(check('appointment_forms', facts({ appointments: [] }), []).status).toBe('not_applicable');
  });
});

describe('工资材料 (wage_since_1993)', () => {
  it('present with a wage material of 1993 or later', () => {
    expect(check('wage_since_1993', facts(), [m('工资套改表', '9-1', pd(1993, 10))]).status).toBe('present');
  });

  it('missing with only older wage materials', () => {
    expect(check('wage_since_1993', facts(), [m('工资审批表', '9-1', pd(1992, 12))]).status).toBe('missing');
  });

  it('unknown without a work start date', () => {
    expect(check('wage_since_1993', facts({ workStartDate: null }), []).status).toBe('unknown');
  });

  it('applies to a cadre working in 1993, not to one who started in 1994', () => {
    expect(check('wage_since_1993', facts({ workStartDate: pd(1993, 12) }), []).status).toBe('missing');
    expect(check('wage_since_1993', facts({ workStartDate: pd(1994, 1) }), []).status).toBe('not_applicable');
  });
});

describe('职称 (professional_title)', () => {
  it('present, missing, unknown, not applicable', () => {
    const mat = [m('专业技术职务任职资格评审表', '4-2', pd(2005))];
    expect(check('professional_title', facts(), mat).status).toBe('present');
    expect(check('professional_title', facts({ titleLevel: 'senior' }), mat).status).toBe('present');
    expect(check('professional_title', facts(), []).status).toBe('missing');
    expect(check('professional_title', facts({ titleLevel: null }), []).reason).toBe('职称情况未知，无法判断是否为中级及以上');
    expect(check('professional_title', facts({ titleLevel: 'junior' }), [])).toMatchObject({
      status: 'not_applicable',
      reason: '职称为初级，不属于中级及以上',
    });
    expect(check('professional_title', facts({ titleLevel: 'none' }), [])).toMatchObject({
      status: 'not_applicable',
      reason: '无职称，不属于中级及以上',
    });
  });
});

describe('evaluate', () => {
  it('answers every rule, in order, for a whole dossier', () => {
    const results = evaluate(SEEDED_RULES, facts(), [m('干部履历表', '1', pd(2010))]);
    expect(results.map((r) => r.code)).toEqual(SEEDED_RULES.map((r) => r.code));
    expect(results.find((r) => r.code === 'resume')!.status).toBe('present');
    expect(results.find((r) => r.code === 'party_application')!.status).toBe('missing');
  });

  it('counts materials of a subclass for a rule on its parent class', () => {
    const r: CompletenessRule = { ...rule('education_degree'), classCode: '4' };
    expect(evaluate([r], facts(), [m('学位证书', '4-1')])[0]!.status).toBe('present');
  });

  it('runs edited rules stored as JSON', () => {
    const stored: CompletenessRule = JSON.parse(
      JSON.stringify({
        code: 'training',
        label: '培训登记表',
        classCode: '4-4',
        appliesWhen: { kind: 'all', of: [{ kind: 'party_member' }, { kind: 'worked_before', year: 2000 }] },
        expectation: { kind: 'per_year', from: { max: [2020, 'work_start_year'] }, to: 2022 },
        synonyms: ['培训'],
        basis: '本单位规定',
      }),
    );
    const r = evaluate([stored], facts(), [m('2020年培训登记表', '4-4'), m('党校培训', '4-4', pd(2022, 6))])[0]!;
    expect(r).toMatchObject({ status: 'missing', missingItems: ['2021 年培训登记表'] });
  });
});

describe('evaluateCondition', () => {
  const f = facts();
  const yes: Condition = { kind: 'always' };
  const no: Condition = { kind: 'worked_before', year: 1980 };
  const unknown: Condition = { kind: 'has_degree' };
  const g = facts({ hasDegree: null });

  it('combines with all: false wins, then unknown', () => {
    expect(evaluateCondition({ kind: 'all', of: [yes, no, unknown] }, g).value).toBe(false);
    expect(evaluateCondition({ kind: 'all', of: [yes, unknown] }, g).value).toBe('unknown');
    expect(evaluateCondition({ kind: 'all', of: [yes, { kind: 'party_member' }] }, f)).toEqual({
      value: true,
      reason: '适用于所有干部；中共党员',
    });
  });

  it('combines with any: true wins, then unknown', () => {
    expect(evaluateCondition({ kind: 'any', of: [no, unknown, yes] }, g).value).toBe(true);
    expect(evaluateCondition({ kind: 'any', of: [no, unknown] }, g).value).toBe('unknown');
    expect(evaluateCondition({ kind: 'any', of: [no] }, g).value).toBe(false);
  });

  it('reads a join date even when membership itself is not recorded', () => {
    const c: Condition = { kind: 'joined_party_before', year: 1990 };
    expect(evaluateCondition(c, facts({ partyMember: null, partyJoinDate: pd(1984) })).value).toBe(true);
  });
});

describe('resolveYear', () => {
  const f = facts({ workStartDate: pd(2003, 7), partyJoinDate: pd(2005) });

  it('reads numbers, facts and max/min of them', () => {
    expect(resolveYear(1997, f)).toEqual({ year: 1997 });
    expect(resolveYear('work_start_year', f)).toEqual({ year: 2003 });
    expect(resolveYear('party_join_year', f)).toEqual({ year: 2005 });
    expect(resolveYear('last_year', f)).toEqual({ year: 2024 });
    expect(resolveYear('last_service_year', f)).toEqual({ year: 2024 });
    expect(resolveYear({ max: [1997, 'work_start_year'] }, f)).toEqual({ year: 2003 });
    expect(resolveYear({ min: [1997, 'work_start_year'] }, f)).toEqual({ year: 1997 });
    expect(resolveYear({ max: [2010, { min: ['work_start_year', 'party_join_year'] }] }, f)).toEqual({ year: 2010 });
  });

  it('is unknown when a fact it needs is', () => {
    expect(resolveYear('party_join_year', facts({ partyJoinDate: null }))).toEqual({ unknown: '入党时间未知，无法确定起始年份' });
    expect(resolveYear({ max: [1997, 'work_start_year'] }, facts({ workStartDate: null }))).toHaveProperty('unknown');
    expect(resolveYear('last_year', facts({ personnelStatus: '去世' }))).toEqual({ year: 2024 });
  });
});
