import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { AuditEvent } from '@dangan/contracts';

const RESULT_LABELS: Record<string, string> = { success: '成功', failure: '失败', denied: '拒绝' };

const COLUMNS: { header: string; width: number; value: (e: AuditEvent) => string | number }[] = [
  { header: '序号', width: 8, value: (e) => e.seq },
  { header: '时间（北京时间）', width: 21, value: (e) => beijing(e.at) },
  { header: '用户', width: 14, value: (e) => e.username ?? '' },
  { header: '角色', width: 16, value: (e) => e.roles },
  { header: '客户端地址', width: 16, value: (e) => e.clientIp ?? '' },
  { header: '事件', width: 16, value: (e) => e.actionLabel },
  { header: '事件代码', width: 18, value: (e) => e.action },
  { header: '对象类型', width: 10, value: (e) => e.objectType ?? '' },
  { header: '对象', width: 22, value: (e) => e.objectLabel ?? e.objectId ?? '' },
  { header: '结果', width: 6, value: (e) => RESULT_LABELS[e.result] ?? e.result },
  { header: '详情', width: 60, value: (e) => (e.detail === null ? '' : JSON.stringify(e.detail)) },
  { header: '算法', width: 7, value: (e) => e.algorithm },
  { header: '哈希', width: 66, value: (e) => e.hash },
];

function beijing(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3_600_000);
  return d.toISOString().replace('T', ' ').slice(0, 19);
}

/** A spreadsheet cell must never run as a formula when opened (CSV injection). */
function csvCell(v: string | number): string {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function auditCsv(batches: AsyncIterable<AuditEvent[]>): Readable {
  const out = new PassThrough();
  (async () => {
    out.write('\ufeff' + COLUMNS.map((c) => csvCell(c.header)).join(',') + '\r\n');
    for await (const batch of batches) {
      const text = batch.map((e) => COLUMNS.map((c) => csvCell(c.value(e))).join(',')).join('\r\n');
      if (!out.write(text + '\r\n')) await new Promise((r) => out.once('drain', r));
    }
    out.end();
  })().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}

/** Streams rows into the workbook as they are read, so a large log does not sit in memory. */
export function auditXlsx(batches: AsyncIterable<AuditEvent[]>, title: string): Readable {
  const out = new PassThrough();
  (async () => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
    workbook.creator = title;
    const sheet = workbook.addWorksheet('审计日志', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = COLUMNS.map((c) => ({ header: c.header, width: c.width }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for await (const batch of batches) {
      for (const e of batch) sheet.addRow(COLUMNS.map((c) => c.value(e))).commit();
    }
    sheet.commit();
    await workbook.commit();
  })().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}
