import { describe, expect, it } from 'vitest';
import {
  CLASS_SUGGESTIONS,
  CLASS_TREE,
  IMPORTANCE_PATTERNS,
  LEAF_CLASS_CODES,
  type CatalogueMaterial,
  type ClassCode,
  type NamedCatalogueMaterial,
  checkPlacement,
  classLabel,
  compareClassCodes,
  importanceFor,
  importanceLabel,
  isLeafClass,
  numberCatalogue,
  orderRule,
  parseClassCode,
  renumbered,
  sortCatalogue,
  sortClass,
  suggestClass,
} from './catalogue.js';
import { type PartialDate, parsePartialDate } from './partial-date.js';

function date(text: string | null): PartialDate | null {
  if (text === null) return null;
  const r = parsePartialDate(text, { year: 2030, month: 1, day: 1 });
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

let seq = 0;
function mat(
  id: string,
  classCode: ClassCode,
  when: string | null,
  extra: Partial<Omit<NamedCatalogueMaterial, 'date'>> = {},
): NamedCatalogueMaterial {
  return {
    id,
    classCode,
    date: date(when),
    importance: null,
    manualPosition: null,
    createdSeq: ++seq,
    name: id,
    ...extra,
  };
}

const ids = (ms: readonly CatalogueMaterial[]) => ms.map((m) => m.id);

const TIME_CLASSES: ClassCode[] = ['1', '2', '3', '4-1', '4-2', '4-3', '4-4', '7', '9-1', '9-2', '9-3', '9-4', '10'];
const IMPORTANCE_CLASSES: ClassCode[] = ['5', '6', '8'];

describe('CLASS_TREE', () => {
  it('holds the ten classes and eight subclasses in catalogue order', () => {
    expect(CLASS_TREE.map((n) => n.code)).toEqual([
      '1', '2', '3', '4', '4-1', '4-2', '4-3', '4-4', '5', '6', '7', '8', '9', '9-1', '9-2', '9-3', '9-4', '10',
    ]);
  });

  it('labels the classes as DOMAIN.md §2 does', () => {
    expect(classLabel('1')).toBe('履历类材料');
    expect(classLabel('4')).toBe('学历学位、专业技术职务（职称）、学术评鉴和教育培训类材料');
    expect(classLabel('4-2')).toBe('职业（任职）资格和专业技术职务（职称）');
    expect(classLabel('6')).toBe('党、团类材料');
    expect(classLabel('8')).toBe('违规违纪违法处理处分类材料');
    expect(classLabel('9-3')).toBe('出国（境）');
    expect(classLabel('10')).toBe('其他可供组织参考的材料');
  });

  it('hangs the subclasses under 4 and 9 only', () => {
    const parents = Object.fromEntries(CLASS_TREE.map((n) => [n.code, n.parent]));
    for (const c of ['4-1', '4-2', '4-3', '4-4']) expect(parents[c]).toBe('4');
    for (const c of ['9-1', '9-2', '9-3', '9-4']) expect(parents[c]).toBe('9');
    expect(CLASS_TREE.filter((n) => n.parent !== null)).toHaveLength(8);
  });

  it('files materials in leaves only: every class but 4 and 9', () => {
    expect(isLeafClass('4')).toBe(false);
    expect(isLeafClass('9')).toBe(false);
    expect(isLeafClass('4-1')).toBe(true);
    expect(isLeafClass('10')).toBe(true);
    expect(LEAF_CLASS_CODES).toEqual([
      '1', '2', '3', '4-1', '4-2', '4-3', '4-4', '5', '6', '7', '8', '9-1', '9-2', '9-3', '9-4', '10',
    ]);
  });

  it('compares class codes in catalogue order, not as text', () => {
    expect(compareClassCodes('2', '10')).toBeLessThan(0);
    expect(compareClassCodes('4-4', '5')).toBeLessThan(0);
    expect(compareClassCodes('9-4', '10')).toBeLessThan(0);
    expect(compareClassCodes('3', '3')).toBe(0);
  });
});

describe('parseClassCode', () => {
  it('reads leaf codes as typed', () => {
    expect(parseClassCode('3')).toEqual({ ok: true, code: '3' });
    expect(parseClassCode(' 10 ')).toEqual({ ok: true, code: '10' });
    expect(parseClassCode('4-1')).toEqual({ ok: true, code: '4-1' });
    expect(parseClassCode('9－2')).toEqual({ ok: true, code: '9-2' });
    expect(parseClassCode('９-４')).toEqual({ ok: true, code: '9-4' });
  });

  it('says a material cannot be filed under 4 or 9 itself, naming the subclasses', () => {
    const r4 = parseClassCode('4');
    expect(r4.ok).toBe(false);
    if (!r4.ok) {
      expect(r4.reason).toContain('第 4 类材料须归入子类');
      expect(r4.reason).toContain('4-1 学历学位');
      expect(r4.reason).toContain('4-4 培训');
    }
    const r9 = parseClassCode('9');
    if (r9.ok) throw new Error('expected 9 to be refused');
    expect(r9.reason).toContain('9-2 任免');
  });

  it('refuses codes that are not in the tree', () => {
    for (const t of ['0', '11', '4-5', '9-0', '5-1', '', 'abc']) {
      const r = parseClassCode(t);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toContain('无效的类号');
    }
  });
});

describe('orderRule', () => {
  it.each(TIME_CLASSES)('class %s orders by time', (code) => {
    expect(orderRule(code)).toBe('time');
  });

  it.each(IMPORTANCE_CLASSES)('class %s orders by importance, then time', (code) => {
    expect(orderRule(code)).toBe('importance_then_time');
  });
});

describe('sortClass: classes ordered by time (1, 2, 3, 7, 10, 4-x, 9-x)', () => {
  it.each(TIME_CLASSES)('class %s: by formation time, whatever the entry order', (code) => {
    const ms = [
      mat('c', code, '2010.03.01'),
      mat('a', code, '1998.07'),
      mat('d', code, '2015'),
      mat('b', code, '2003.05.07'),
    ];
    expect(ids(sortClass(ms))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('ignores importance in a time-ordered class', () => {
    const ms = [mat('late', '3', '2010', { importance: 1 }), mat('early', '3', '2001', { importance: 9 })];
    expect(ids(sortClass(ms))).toEqual(['early', 'late']);
  });

  it('puts a year-only date before the months of its year, and a month before its days', () => {
    const ms = [mat('day', '1', '2003.05.07'), mat('month', '1', '2003.05'), mat('year', '1', '2003'), mat('jan', '1', '2003.01')];
    expect(ids(sortClass(ms))).toEqual(['year', 'jan', 'month', 'day']);
  });

  it('lets the manual position decide between two materials of one date, and only there', () => {
    const a = mat('a', '7', '2003.05.07', { manualPosition: 2 });
    const b = mat('b', '7', '2003.05.07', { manualPosition: 1 });
    const c = mat('c', '7', '2001', { manualPosition: 3 });
    expect(ids(sortClass([a, b, c]))).toEqual(['c', 'b', 'a']);
    expect(ids(sortClass([{ ...a, manualPosition: 1 }, { ...b, manualPosition: 2 }, c]))).toEqual(['c', 'a', 'b']);
  });

  it('breaks a remaining tie by entry order', () => {
    const first = mat('z-first', '2', '2003.05');
    const second = mat('a-second', '2', '2003.05');
    expect(ids(sortClass([second, first]))).toEqual(['z-first', 'a-second']);
  });

  it('puts a tied material the clerk has placed before one never placed', () => {
    const placed = mat('placed', '10', '2003', { manualPosition: 5 });
    const unplaced = mat('unplaced', '10', '2003');
    const older = { ...unplaced, createdSeq: 0 };
    expect(ids(sortClass([older, placed]))).toEqual(['placed', 'unplaced']);
  });

  it('puts undated materials after the dated ones, in manual then entry order', () => {
    const ms = [
      mat('u1', '1', null),
      mat('d2', '1', '2005'),
      mat('u2', '1', null, { manualPosition: 1 }),
      mat('d1', '1', '1999'),
      mat('u3', '1', null),
    ];
    expect(ids(sortClass(ms))).toEqual(['d1', 'd2', 'u2', 'u1', 'u3']);
  });

  it('never lets a manual position override the dates', () => {
    const ms = [mat('new', '9-2', '2010', { manualPosition: 1 }), mat('old', '9-2', '2000', { manualPosition: 2 })];
    expect(ids(sortClass(ms))).toEqual(['old', 'new']);
  });

  it('returns a new array and leaves the input alone', () => {
    const ms = [mat('b', '1', '2005'), mat('a', '1', '2000')];
    const sorted = sortClass(ms);
    expect(sorted).not.toBe(ms);
    expect(ids(ms)).toEqual(['b', 'a']);
  });

  it('refuses materials of different classes, and sorts nothing to nothing', () => {
    expect(() => sortClass([mat('a', '1', '2000'), mat('b', '2', '2000')])).toThrow();
    expect(sortClass([])).toEqual([]);
  });
});

describe('sortClass: classes ordered by importance, then time (5, 6, 8)', () => {
  it.each(IMPORTANCE_CLASSES)('class %s: importance first, time inside a band, unranked last', (code) => {
    const ms = [
      mat('rank2-old', code, '1990', { importance: 2 }),
      mat('unranked', code, '1980'),
      mat('rank1-late', code, '2010', { importance: 1 }),
      mat('rank2-new', code, '2000', { importance: 2 }),
      mat('rank1-early', code, '2001', { importance: 1 }),
    ];
    expect(ids(sortClass(ms))).toEqual(['rank1-early', 'rank1-late', 'rank2-old', 'rank2-new', 'unranked']);
  });

  it.each(IMPORTANCE_CLASSES)('class %s: an undated material goes last in its own band, not last in the class', (code) => {
    const ms = [
      mat('r2', code, '1995', { importance: 2 }),
      mat('r1-undated', code, null, { importance: 1 }),
      mat('r1', code, '2005', { importance: 1 }),
    ];
    expect(ids(sortClass(ms))).toEqual(['r1', 'r1-undated', 'r2']);
  });

  it.each(IMPORTANCE_CLASSES)('class %s: same importance and date is the clerk\'s choice', (code) => {
    const x = mat('x', code, '2003.05', { importance: 3, manualPosition: 2 });
    const y = mat('y', code, '2003.05', { importance: 3, manualPosition: 1 });
    expect(ids(sortClass([x, y]))).toEqual(['y', 'x']);
    expect(ids(sortClass([{ ...x, manualPosition: 0 }, y]))).toEqual(['x', 'y']);
  });

  it('orders a class 5 file as DOMAIN.md lists it when ranks come from names', () => {
    const names = ['本人检讨', '证明材料', '调查报告', '本人对审查结论的意见', '关于张三同志问题的审查结论', '关于张三同志审查结论的批复'];
    const ms = names.map((n, i) => mat(`m${i}`, '5', '2003', { name: n, importance: importanceFor('5', n) }));
    expect(sortClass(ms).map((m) => m.name)).toEqual([...names].reverse());
  });
});

describe('sortCatalogue', () => {
  it('orders a whole dossier by class (in tree order), then by each class\'s rule', () => {
    const ms = [
      mat('10-a', '10', '2000'),
      mat('9-2-a', '9-2', '2001'),
      mat('2-a', '2', '2000'),
      mat('4-1-b', '4-1', '2005'),
      mat('5-x', '5', '2009', { importance: 1 }),
      mat('4-1-a', '4-1', '1990'),
      mat('5-y', '5', '2001', { importance: 4 }),
      mat('4-4-a', '4-4', '1980'),
      mat('1-a', '1', '2010'),
    ];
    expect(ids(sortCatalogue(ms))).toEqual(['1-a', '2-a', '4-1-a', '4-1-b', '4-4-a', '5-x', '5-y', '9-2-a', '10-a']);
  });
});

describe('numberCatalogue', () => {
  const dossier = [
    mat('r1999', '1', '1999.10'),
    mat('r1988', '1', '1988.03'),
    mat('k2004', '3', '2004.12'),
    mat('k2003', '3', '2003.12'),
    mat('deg', '4-1', '1995.07'),
    mat('grad', '4-1', '1995.06'),
    mat('enrol', '4-1', '1991.07'),
    mat('title', '4-2', '2001'),
    mat('vol', '6', '1996.05', { importance: 1 }),
    mat('reg', '6', '1990', { importance: 4 }),
    mat('app1', '9-2', '2001.03'),
    mat('app2', '9-2', '2008.11'),
    mat('oth', '10', null),
  ];

  it('gives 序号 as 类号-份号, three levels in 4-x and 9-x, restarting per leaf class', () => {
    const n = numberCatalogue(dossier);
    const serial = (id: string) => n.get(id)!.序号;
    expect(serial('r1988')).toBe('1-1');
    expect(serial('r1999')).toBe('1-2');
    expect(serial('k2003')).toBe('3-1');
    expect(serial('k2004')).toBe('3-2');
    expect(serial('enrol')).toBe('4-1-1');
    expect(serial('grad')).toBe('4-1-2');
    expect(serial('deg')).toBe('4-1-3');
    expect(serial('title')).toBe('4-2-1');
    expect(serial('vol')).toBe('6-1');
    expect(serial('reg')).toBe('6-2');
    expect(serial('app1')).toBe('9-2-1');
    expect(serial('app2')).toBe('9-2-2');
    expect(serial('oth')).toBe('10-1');
    expect(n.get('deg')).toEqual({ classCode: '4-1', 份号: 3, 序号: '4-1-3' });
    expect(n.size).toBe(dossier.length);
  });

  it('renumbers after an insert: later numbers shift, earlier ones and other classes stay, ids keep their material', () => {
    const before = numberCatalogue(dossier);
    const inserted = mat('grad2', '4-1', '1993.01');
    const after = numberCatalogue([...dossier, inserted]);
    expect(after.get('enrol')!.序号).toBe('4-1-1');
    expect(after.get('grad2')!.序号).toBe('4-1-2');
    expect(after.get('grad')!.序号).toBe('4-1-3');
    expect(after.get('deg')!.序号).toBe('4-1-4');
    expect(after.get('title')!.序号).toBe('4-2-1');
    expect(renumbered(before, after).sort()).toEqual(['deg', 'grad', 'grad2']);
  });

  it('appends an undated insert at the end of its class, renumbering nothing else', () => {
    const before = numberCatalogue(dossier);
    const after = numberCatalogue([...dossier, mat('undated', '3', null)]);
    expect(after.get('undated')!.序号).toBe('3-3');
    expect(renumbered(before, after)).toEqual(['undated']);
  });

  it('reports no changes when nothing moved, and a removal shifts the rest up', () => {
    const before = numberCatalogue(dossier);
    expect(renumbered(before, numberCatalogue([...dossier].reverse()))).toEqual([]);
    const after = numberCatalogue(dossier.filter((m) => m.id !== 'enrol'));
    expect(after.get('grad')!.序号).toBe('4-1-1');
    expect(renumbered(before, after).sort()).toEqual(['deg', 'grad']);
  });

  it('counts a material moved to another class as renumbered even when its 份号 stays', () => {
    const before = numberCatalogue([mat('k', '3', '2003'), mat('p', '7', '2001')]);
    const after = numberCatalogue([mat('k', '7', '2003'), mat('p', '7', '2001')]);
    expect(before.get('k')!.份号).toBe(1);
    expect(after.get('k')).toEqual({ classCode: '7', 份号: 2, 序号: '7-2' });
    const moved = numberCatalogue([mat('k', '7', '2000'), mat('p', '3', '2001')]);
    expect(moved.get('k')!.份号).toBe(1);
    expect(renumbered(before, moved).sort()).toEqual(['k', 'p']);
  });

  it('throws on a material filed under 4 or 9 itself, and on a repeated id', () => {
    expect(() => numberCatalogue([mat('x', '4', '2000')])).toThrow('第 4 类材料须归入子类');
    expect(() => numberCatalogue([mat('x', '9', '2000')])).toThrow('第 9 类材料须归入子类');
    expect(() => numberCatalogue([mat('x', '1', '2000'), mat('x', '2', '2000')])).toThrow('材料编号重复');
  });

  it('numbers an empty dossier as nothing', () => {
    expect(numberCatalogue([]).size).toBe(0);
  });
});

describe('importanceFor', () => {
  it.each([
    ['关于张三同志问题审查结论的批复', 1],
    ['关于张三同志问题的审查结论', 2],
    ['关于张三同志出生日期的认定', 2],
    ['本人对审查结论的意见', 3],
    ['本人意见', 3],
    ['关于张三同志问题的调查报告', 4],
    ['张三同志历史问题的证明材料', 5],
    ['本人检讨', 6],
    ['本人检查', 6],
    ['经济责任审计报告', null],
  ])('class 5: %s → %s', (name, rank) => {
    expect(importanceFor('5', name)).toBe(rank);
  });

  it.each([
    ['中国共产党入党志愿书', 1],
    ['入团志愿书', 1],
    ['入党申请书', 2],
    ['入团申请书', 2],
    ['预备党员转正申请', 3],
    ['预备党员转正申请书', 3],
    ['关于张三同志转正的审批意见', 3],
    ['党员登记表', 4],
    ['1985年党员登记表', 4],
    ['入党积极分子考察表', null],
  ])('class 6: %s → %s', (name, rank) => {
    expect(importanceFor('6', name)).toBe(rank);
  });

  it.each([
    ['关于对张三同志处分决定的批复', 1],
    ['关于给予张三同志党内警告处分的决定', 2],
    ['关于张三同志违纪问题的处理决定', 2],
    ['给予张三同志记过处分', 2],
    ['本人对处分决定的意见', 3],
    ['关于张三同志违纪问题的调查报告', 4],
    ['证明材料', 5],
    ['张三的检讨', 6],
    ['谈话记录', null],
  ])('class 8: %s → %s', (name, rank) => {
    expect(importanceFor('8', name)).toBe(rank);
  });

  it('tolerates spaces, brackets, years and full-width forms in names', () => {
    expect(importanceFor('6', ' 《中国共产党 入党志愿书》 ')).toBe(1);
    expect(importanceFor('5', '关于张三同志问题（2003年）审查结论的批复')).toBe(1);
  });

  it('suggests nothing in classes without an importance rule', () => {
    for (const code of TIME_CLASSES) expect(importanceFor(code, '中国共产党入党志愿书')).toBeNull();
  });
});

describe('IMPORTANCE_PATTERNS', () => {
  const byRank = (code: '5' | '6' | '8') =>
    [...IMPORTANCE_PATTERNS[code]].sort((a, b) => a.rank - b.rank).map((p) => p.label);

  it('ranks as DOMAIN.md §2 lists: class 5, class 8 with 处分决定 for 结论, class 6', () => {
    expect(byRank('5')).toEqual(['批复', '结论', '本人意见', '调查报告', '证明材料', '本人检讨']);
    expect(byRank('8')).toEqual(['批复', '处分决定', '本人意见', '调查报告', '证明材料', '本人检讨']);
    expect(byRank('6')).toEqual(['志愿书', '申请书', '转正', '登记表']);
  });

  it('uses each rank once, from 1 without gaps', () => {
    for (const code of ['5', '6', '8'] as const) {
      const ranks = IMPORTANCE_PATTERNS[code].map((p) => p.rank).sort((a, b) => a - b);
      expect(ranks).toEqual(ranks.map((_, i) => i + 1));
    }
  });

  it('is plain data that survives JSON and compiles', () => {
    expect(JSON.parse(JSON.stringify(IMPORTANCE_PATTERNS))).toEqual(IMPORTANCE_PATTERNS);
    expect(JSON.parse(JSON.stringify(CLASS_SUGGESTIONS))).toEqual(CLASS_SUGGESTIONS);
    for (const p of [...Object.values(IMPORTANCE_PATTERNS).flat(), ...CLASS_SUGGESTIONS]) {
      expect(() => new RegExp(p.pattern, 'u')).not.toThrow();
    }
  });

  it('names a rank per class', () => {
    expect(importanceLabel('5', 2)).toBe('结论');
    expect(importanceLabel('8', 2)).toBe('处分决定');
    expect(importanceLabel('6', 9)).toBeNull();
    expect(importanceLabel('1', 1)).toBeNull();
  });
});

describe('suggestClass', () => {
  it.each([
    ['入党志愿书', '6'],
    ['中国共产党入党志愿书', '6'],
    ['预备党员转正申请', '6'],
    ['年度考核登记表', '3'],
    ['2003年度考核登记表', '3'],
    ['干部考察材料', '3'],
    ['干部任免审批表', '9-2'],
    ['公务员录用审批表', '9-2'],
    ['工资套改表', '9-1'],
    ['工资变动审批表', '9-1'],
    ['学士学位证书', '4-1'],
    ['毕业生登记表', '4-1'],
    ['毕业登记表', '4-1'],
    ['大学学习成绩表', '4-1'],
    ['党校培训结业证书', '4-4'],
    ['中级职称评审表', '4-2'],
    ['专业技术职务任职资格评审表', '4-2'],
    ['因公出国（境）审批表', '9-3'],
    ['党代会代表登记表', '9-4'],
    ['关于给予张三同志党内警告处分的决定', '8'],
    ['嘉奖审批表', '7'],
    ['经济责任审计结果', '5'],
    ['干部履历表', '1'],
    ['自传', '2'],
    ['学术论文目录', '4-3'],
  ])('%s → %s', (name, code) => {
    expect(suggestClass(name)?.classCode).toBe(code);
  });

  it('says nothing for names that do not point anywhere', () => {
    for (const n of ['体检表', '其他材料', '', '关于张三同志的情况说明']) expect(suggestClass(n)).toBeNull();
  });

  it('names the words that matched', () => {
    expect(suggestClass('（2003年度）考核登记表')).toEqual({ classCode: '3', matched: '年度考核' });
  });
});

describe('checkPlacement', () => {
  it('has nothing to say about a well-placed material', () => {
    const a = mat('a', '3', '2003', { name: '2003年度考核登记表', manualPosition: 1 });
    const b = mat('b', '3', '2004', { name: '2004年度考核登记表', manualPosition: 2 });
    expect(checkPlacement(a, [a, b])).toEqual([]);
    expect(checkPlacement(b, [a, b])).toEqual([]);
  });

  it('warns about a material without a date', () => {
    const w = checkPlacement(mat('x', '1', null, { name: '干部履历表' }), []);
    expect(w).toEqual([{ code: 'undated', message: '未填写材料形成时间：本类按形成时间排序，暂排在本类末尾' }]);
    const w5 = checkPlacement(mat('y', '5', null, { name: '证明材料', importance: 5 }), []);
    expect(w5.map((x) => x.code)).toEqual(['undated']);
    expect(w5[0]!.message).toContain('同一重要程度内按形成时间排序');
  });

  it('warns when the manual position contradicts the dates, on both materials', () => {
    const late = mat('late', '9-2', '2005.03', { name: '干部任免审批表（甲）', manualPosition: 1 });
    const early = mat('early', '9-2', '2001.07', { name: '干部任免审批表（乙）', manualPosition: 2 });
    const onEarly = checkPlacement(early, [late, early]);
    expect(onEarly).toHaveLength(1);
    expect(onEarly[0]).toMatchObject({ code: 'date_out_of_order', relatedIds: ['late'] });
    expect(onEarly[0]!.message).toBe(
      '手工排定的位置与形成时间先后不符（本材料：2001.07）：「干部任免审批表（甲）」（2005.03）；本类按形成时间排序',
    );
    expect(checkPlacement(late, [late, early]).map((w) => w.relatedIds)).toEqual([['early']]);
  });

  it('does not warn where a partial date may be on either side', () => {
    const year = mat('year', '7', '2003', { name: '嘉奖', manualPosition: 2 });
    const month = mat('month', '7', '2003.05', { name: '记功', manualPosition: 1 });
    expect(checkPlacement(year, [year, month])).toEqual([]);
    expect(checkPlacement(month, [year, month])).toEqual([]);
  });

  it('compares only with materials that have a manual position themselves', () => {
    const placed = mat('placed', '2', '2001', { name: '自传', manualPosition: 2 });
    const unplaced = mat('unplaced', '2', '2009', { name: '自传（二）' });
    expect(checkPlacement(placed, [placed, unplaced])).toEqual([]);
    expect(checkPlacement(unplaced, [placed, unplaced])).toEqual([]);
  });

  it('lists at most three conflicting materials by name and counts the rest', () => {
    const me = mat('me', '10', '2000', { name: '本材料', manualPosition: 9 });
    const others = [1, 2, 3, 4].map((i) => mat(`o${i}`, '10', `201${i}`, { name: `材料${i}`, manualPosition: i }));
    const [w] = checkPlacement(me, [me, ...others]);
    expect(w!.message).toContain('「材料1」（2011）、「材料2」（2012）、「材料3」（2013）等 4 份');
    expect(w!.relatedIds).toEqual(['o1', 'o2', 'o3', 'o4']);
  });

  it('in classes 5, 6, 8 warns when the manual order puts a less important material first', () => {
    const approval = mat('approval', '5', '2004', { name: '审查结论的批复', importance: 1, manualPosition: 2 });
    const proof = mat('proof', '5', '2003', { name: '证明材料', importance: 5, manualPosition: 1 });
    const w = checkPlacement(approval, [approval, proof]);
    expect(w).toHaveLength(1);
    expect(w[0]!.code).toBe('importance_out_of_order');
    expect(w[0]!.message).toBe('手工排定的位置与重要程度不符（本材料：批复）：「证明材料」（证明材料）；本类先按重要程度排序');
  });

  it('in classes 5, 6, 8 warns about dates inside one importance band only', () => {
    const a = mat('a', '6', '1996', { name: '入党志愿书', importance: 1, manualPosition: 2 });
    const b = mat('b', '6', '1999', { name: '入团志愿书', importance: 1, manualPosition: 1 });
    const c = mat('c', '6', '1990', { name: '入党申请书', importance: 2, manualPosition: 3 });
    const w = checkPlacement(a, [a, b, c]);
    expect(w.map((x) => x.code)).toEqual(['date_out_of_order']);
    expect(w[0]!.relatedIds).toEqual(['b']);
    expect(w[0]!.message).toContain('同一重要程度内按形成时间排序');
  });

  it('suggests the rank a name implies when none is set', () => {
    const m = mat('m', '8', '2010', { name: '关于给予张三同志党内警告处分的决定' });
    expect(checkPlacement(m, [])).toEqual([
      {
        code: 'importance_unset',
        message: '未设重要程度：按材料名称建议为「处分决定」',
        suggestedImportance: 2,
      },
    ]);
    expect(checkPlacement({ ...m, importance: 4 }, [])).toEqual([]);
    expect(checkPlacement(mat('n', '6', '1995', { name: '入党积极分子考察表' }), [])).toEqual([]);
  });

  it('suggests another class when the name points there', () => {
    const w = checkPlacement(mat('m', '1', '1996.05', { name: '入党志愿书' }), []);
    expect(w).toEqual([
      {
        code: 'suggest_other_class',
        message: '材料名称含“入党志愿书”，通常归入第 6 类（党、团类材料），当前在第 1 类',
        suggestedClass: '6',
      },
    ]);
    expect(checkPlacement(mat('d', '4-2', '1995', { name: '学位证书' }), [])[0]!.suggestedClass).toBe('4-1');
    expect(checkPlacement(mat('k', '10', '2003', { name: '年度考核登记表' }), [])[0]!.suggestedClass).toBe('3');
    expect(checkPlacement(mat('t', '6', '1996', { name: '入党志愿书', importance: 1 }), [])).toEqual([]);
  });

  it('says a material under 4 or 9 itself must go to a subclass', () => {
    const w = checkPlacement(mat('m', '9', '2001', { name: '说明' }), []);
    expect(w.map((x) => x.code)).toEqual(['not_leaf_class']);
    expect(w[0]!.message).toContain('第 9 类材料须归入子类');
  });

  it('ignores the material itself and materials of other classes in the list', () => {
    const me = mat('me', '3', '2000', { name: '鉴定表', manualPosition: 2 });
    const self = { ...me, date: date('2020') };
    const otherClass = mat('x', '7', '2010', { name: '嘉奖', manualPosition: 1 });
    expect(checkPlacement(me, [self, otherClass])).toEqual([]);
  });
});
