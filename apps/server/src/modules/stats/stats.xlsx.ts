import type { Figure } from '@dangan/contracts';
import ExcelJS from 'exceljs';
import { beijingDay } from './stats.models.js';

/** A cell text that Excel must never read as a formula. */
function safe(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

/** Excel's sheet names: at most 31 characters, none of []:*?/\ , unique in the workbook. */
function sheetName(title: string, taken: Set<string>): string {
  const base = title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 28);
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
  taken.add(name);
  return name;
}

function beijingTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 16);
}

interface ReportHead {
  generatedAt: string;
  scope: string;
  from?: string;
  to?: string;
  asOf?: string;
}

/**
 * Figures as a workbook: each figure one sheet holding exactly its table (row header, columns,
 * total), then a 说明 sheet with the scope, filters and how each figure is counted.
 */
export async function statsWorkbook(section: string, report: ReportHead, figures: readonly Figure[], organization: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = organization;
  wb.created = new Date(report.generatedAt);
  const taken = new Set<string>(['说明']);
  for (const f of figures) {
    const sheet = wb.addWorksheet(sheetName(f.title, taken), { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = [{ header: f.rowHeader, width: 28 }, ...f.columns.map((c) => ({ header: c.label, width: Math.max(10, c.label.length * 2 + 2) }))];
    sheet.getRow(1).font = { bold: true };
    for (const r of [...f.rows, ...(f.total ? [f.total] : [])]) sheet.addRow([safe(r.label), ...r.values]);
    if (f.total) sheet.lastRow!.font = { bold: true };
  }
  const about = wb.addWorksheet('说明');
  about.columns = [{ width: 16 }, { width: 100 }];
  about.addRow([`${organization} ${section}`]).font = { bold: true, size: 12 };
  about.addRow(['生成时间', `${beijingTime(report.generatedAt)}（北京时间，${beijingDay(report.generatedAt)}）`]);
  about.addRow(['统计范围', safe(report.scope)]);
  if (report.from) about.addRow(['统计区间', `${report.from} 至 ${report.to}`]);
  if (report.asOf) about.addRow(['统计时点', report.asOf]);
  for (const f of figures) {
    f.notes.forEach((n, i) => (about.addRow([i === 0 ? f.title : '', n]).getCell(2).alignment = { wrapText: true }));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
