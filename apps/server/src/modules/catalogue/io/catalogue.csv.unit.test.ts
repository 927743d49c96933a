import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeCsv, parseImportCsv } from './catalogue.csv.js';

const CADRES = [
  '档案号*,姓名*,性别,出生日期,公民身份号码,民族,籍贯,政治面貌,入党时间,参加工作时间,学历,现工作单位及职务,管理单位代码*,人员状态',
  '0100123,张明华,男,1975.03.12,110105197503120018,汉族,江苏南京,中共党员,1998.07.01,1996.08,研究生,"某某市发展和改革委员会副主任,党组成员",A01,在职',
  '0100124,李秀英,女,1980.11,32010219801105002X,回族,山东济南,群众,,2003.07,大学本科,某某市财政局预算科科长,A01,在职',
].join('\r\n');

const MATERIALS = ['档案号,类号,份号,材料名称,材料形成时间,份数,页数,备注', '0100123,1,,干部履历表,1999.06.10,1,8,', '0100123,4-1,3,大学本科毕业生登记表,1995.06,1,4,复印件'].join('\n');

describe('CSV import', () => {
  it('reads UTF-8 with a BOM, quoted commas included', () => {
    const parsed = parseImportCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CADRES)]), 'cadres');
    expect(parsed.problems).toEqual([]);
    expect(parsed.materials).toEqual([]);
    expect(parsed.cadres).toHaveLength(2);
    expect(parsed.cadres[0]).toMatchObject({ row: 2, dossierNo: '0100123', name: '张明华', position: '某某市发展和改革委员会副主任,党组成员' });
    expect(parsed.cadres[1]).toMatchObject({ row: 3, idNumber: '32010219801105002X', partyJoinDate: '' });
  });

  it('reads GB18030 (plain “CSV” from Excel on Chinese Windows)', () => {
    const gb = iconv.encode(CADRES, 'gb18030');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gb)).toThrow();
    const parsed = parseImportCsv(gb, 'cadres');
    expect(parsed.problems).toEqual([]);
    expect(parsed.cadres.map((c) => [c.name, c.ethnicity, c.nativePlace])).toEqual([
      ['张明华', '汉族', '江苏南京'],
      ['李秀英', '回族', '山东济南'],
    ]);
  });

  it('reads UTF-8 without a BOM, tab-separated text and UTF-16 “Unicode text”', () => {
    const expected = [
      { row: 2, dossierNo: '0100123', classCode: '1', pieceNo: '', name: '干部履历表', date: '1999.06.10', copies: '1', pages: '8', remark: '' },
      { row: 3, dossierNo: '0100123', classCode: '4-1', pieceNo: '3', name: '大学本科毕业生登记表', date: '1995.06', copies: '1', pages: '4', remark: '复印件' },
    ];
    const tabbed = MATERIALS.replace(/,/g, '\t');
    expect(parseImportCsv(Buffer.from(MATERIALS), 'materials')).toEqual({ cadres: [], materials: expected, problems: [] });
    expect(parseImportCsv(Buffer.from(tabbed), 'materials').materials).toEqual(expected);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(tabbed, 'utf-16le')]);
    expect(parseImportCsv(utf16, 'materials').materials).toEqual(expected);
  });

  it('keeps spreadsheet row numbers across blank lines and skips them', () => {
    const text = ['档案号,类号,材料名称', '', 'D1,1,自传', ',,', 'D1,2,思想汇报'].join('\n');
    expect(parseImportCsv(Buffer.from(text), 'materials').materials.map((m) => [m.row, m.name])).toEqual([
      [3, '自传'],
      [5, '思想汇报'],
    ]);
  });

  it('reports an ID number Excel wrote in scientific notation', () => {
    const text = ['档案号,姓名,公民身份号码,管理单位代码', 'D1,张三,1.10105E+17,A01'].join('\n');
    const parsed = parseImportCsv(Buffer.from(text), 'cadres');
    expect(parsed.problems).toEqual([
      { sheet: '干部', row: 2, column: '公民身份号码', reason: '身份号码被 Excel 转成了数字，请将该列设为文本后重新填写' },
    ]);
  });

  it('says so when the file holds the other kind of table, and names missing columns', () => {
    const swapped = parseImportCsv(Buffer.from(MATERIALS), 'cadres');
    expect(swapped.cadres).toEqual([]);
    expect(swapped.problems.map((p) => p.reason)).toEqual(['文件里是“材料”表，不是“干部”表，请选择正确的导入类型']);
    const partial = parseImportCsv(Buffer.from('档案号,姓名,性别\nD1,张三,男'), 'cadres');
    expect(partial.problems).toEqual([{ sheet: '干部', row: 1, column: '管理单位代码', reason: '缺少必填列“管理单位代码”' }]);
  });

  it('answers a broken or oversized file with a problem, not an exception', () => {
    const broken = parseImportCsv(Buffer.from('档案号,类号,材料名称\nD1,1,"自传\n'), 'materials');
    expect(broken.problems).toHaveLength(1);
    expect(broken.problems[0]).toMatchObject({ sheet: '文件', row: 0 });
    expect(broken.problems[0]!.reason).toContain('引号');

    const big = parseImportCsv(Buffer.from(MATERIALS), 'materials', { maxBytes: 10, maxRows: 10 });
    expect(big.problems[0]!.reason).toContain('MB');
    const many = parseImportCsv(Buffer.from(MATERIALS), 'materials', { maxBytes: 1e6, maxRows: 1 });
    expect(many.problems[0]!.reason).toBe('数据超过 1 行，请分成几个文件导入');
  });

  it('decodes GB18030 characters outside GBK', () => {
    const rare = '𠀀䶮'; // CJK Extension B and A: four-byte GB18030 sequences
    expect(decodeCsv(iconv.encode(`姓名\n${rare}`, 'gb18030'))).toBe(`姓名\n${rare}`);
  });
});
