import ExcelJS from 'exceljs';
import type { AcceptanceReport } from './report.model.js';

/** A cell text that Excel must never read as a formula. */
function safe(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

function pairsSheet(wb: ExcelJS.Workbook, name: string, sections: [string, [string, string][]][]): void {
  const sheet = wb.addWorksheet(name);
  sheet.columns = [{ width: 24 }, { width: 80 }];
  for (const [title, pairs] of sections) {
    const head = sheet.addRow([title]);
    head.font = { bold: true, size: 12 };
    for (const [k, v] of pairs) sheet.addRow([k, safe(v)]);
    sheet.addRow([]);
  }
}

/**
 * The 验收报告 as a workbook: 概况 (facts, scope, sampling, pass rates, outstanding items and the
 * signature lines), 档案明细, 缺陷统计.
 */
export async function renderAcceptanceXlsx(report: AcceptanceReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '档案管理系统';
  wb.created = report.generatedAt;
  const s = report.scope;
  pairsSheet(wb, '概况', [
    [report.title, [['单位', report.organizationName], ...report.facts]],
    ['加工范围', [['档案（卷）', String(s.dossiers)], ['目录材料（份）', String(s.materials)], ['目录页数', String(s.pages)], ['已扫描页数', String(s.scannedPages)]]],
    ['质量抽检', report.sampling],
    ['合格率', report.passRates],
    ['未完成事项', report.outstanding.length > 0 ? report.outstanding.map((t, i): [string, string] => [String(i + 1), t]) : [['—', '无']]],
    ['签字', report.signatures.map((p): [string, string] => [`${p}（签字）`, '　　　　　　　　日期：　　年　　月　　日'])],
  ]);

  const dossiers = wb.addWorksheet('档案明细', { views: [{ state: 'frozen', ySplit: 1 }] });
  dossiers.columns = [
    { header: '档案号', width: 18 }, { header: '姓名', width: 10 }, { header: '材料份数', width: 10 }, { header: '目录页数', width: 10 },
    { header: '扫描页数', width: 10 }, { header: '当前环节', width: 16 }, { header: '自动校验', width: 14 }, { header: '抽检', width: 22 },
    { header: '质检结论', width: 30 },
  ];
  dossiers.getRow(1).font = { bold: true };
  for (const d of report.dossiers) {
    dossiers.addRow([safe(d.dossierNo), safe(d.cadreName), d.materials, d.pages, d.scannedPages, d.stage, d.check, d.sample, d.verdicts]);
  }

  const defects = wb.addWorksheet('缺陷统计');
  defects.columns = [{ width: 20 }, { width: 12 }];
  defects.addRow(['按缺陷类型', '处数']).font = { bold: true };
  for (const [k, n] of report.defectsByType) defects.addRow([k, n]);
  defects.addRow([]);
  defects.addRow(['按加工人员', '处数']).font = { bold: true };
  for (const [k, n] of report.defectsByOperator) defects.addRow([safe(k), n]);

  return Buffer.from(await wb.xlsx.writeBuffer());
}
