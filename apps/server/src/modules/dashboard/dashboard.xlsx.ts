import type { Dashboard, DashboardTable } from '@dangan/contracts';
import { DEFECT_TYPES, DEFECT_TYPE_LABELS, STAGES, STAGE_LABELS } from '@dangan/domain';
import ExcelJS from 'exceljs';
import { beijingDate } from './dashboard.models.js';

export const TABLE_TITLES: Record<DashboardTable, string> = {
  stages: '各环节进度',
  batches: '各批次进度',
  operators: '操作员日产量',
  defects: '缺陷率',
  stuck: '滞留档案',
};

type Cell = string | number | null;

interface Table {
  columns: { header: string; width: number }[];
  rows: Cell[][];
  /** How each figure is counted, for the 说明 sheet. */
  notes: string[];
}

/** A cell text that Excel must never read as a formula. */
function safe(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

const col = (header: string, width = 12) => ({ header, width });
const stageColumns = () => STAGES.map((s) => col(STAGE_LABELS[s], 10));

function beijingTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 16);
}

const TABLES: Record<DashboardTable, (d: Dashboard) => Table> = {
  stages: (d) => ({
    columns: [col('环节', 14), col('已完成'), col('进行中'), col('未开始'), col('当前停在此环节', 16)],
    rows: d.progress.stages.map((s) => [s.label, s.done, s.inProgress, s.pending, s.current]),
    notes: [
      `档案总数 ${d.progress.totals.dossiers} 卷（${d.progress.totals.batches} 个批次，不含已撤销批次）。`,
      '已完成 / 进行中 / 未开始：该环节处于此状态的档案数；三者之和为档案总数。',
      '当前停在此环节：第一个未完成的环节是此环节的档案数（全部环节完成的不计）。',
    ],
  }),
  batches: (d) => ({
    columns: [col('批次号', 14), col('名称', 24), col('状态', 10), col('档案数', 8), ...stageColumns(), col('全部完成', 10), col('进行中', 8), col('滞留', 8)],
    rows: d.progress.batches.map((b) => [
      safe(b.code), safe(b.name), b.stateLabel, b.dossiers, ...STAGES.map((s) => b.current[s] ?? 0), b.done, b.inProgress, b.stuck,
    ]),
    notes: [
      '各环节列：当前停在该环节（第一个未完成环节）的档案数。',
      '进行中：有环节已开始尚未完成的档案数。滞留：见「滞留档案」。',
      '只计本人数据范围内的档案。',
    ],
  }),
  operators: (d) => ({
    columns: [col('日期', 12), col('操作员', 16), col('扫描页数', 10), col('图像处理（卷次）', 16), col('图像处理（页）', 14), col('挂接（卷次）', 12), col('挂接（页）', 12)],
    rows: d.operators.rows.map((r) => [r.date, safe(r.operator.name), r.scannedPages, r.processedDossiers, r.processedPages, r.linkedDossiers, r.linkedPages]),
    notes: [
      `统计区间：${d.operators.from} 至 ${d.operators.to}（北京时间）。`,
      '扫描页数：当天由该用户上传（或扫描工作站接收）的扫描文件所产生的页数，按页面入库时间计，含之后删除或重扫替换的页。',
      '图像处理 / 挂接：当天由该用户完成「图像处理」「著录/挂接」环节的档案卷次（返工后再次完成另计），页数为这些档案现有的页数。',
    ],
  }),
  defects: (d) => ({
    columns: [
      col('周', 18), col('周一', 12), col('质检卷次', 10), col('不合格', 8), col('不合格率', 10), col('缺陷数', 8), col('受检页数', 10),
      col('每卷缺陷', 10), col('每千页缺陷', 12), ...DEFECT_TYPES.map((t) => col(DEFECT_TYPE_LABELS[t], 10)),
    ],
    rows: [...d.defects.weeks, { ...d.defects.totals, week: '', label: '合计' }].map((w) => [
      w.label, w.week || null, w.inspections, w.failed, w.failRate, w.defects, w.pages, w.perDossier, w.per1000Pages,
      ...DEFECT_TYPES.map((t) => w.byType[t] ?? 0),
    ]),
    notes: [
      '按质检结论的时间（北京时间）归周，周一起算；复检为新的一轮，另计一次。',
      '每卷缺陷 = 缺陷数 ÷ 质检卷次；每千页缺陷 = 缺陷数 × 1000 ÷ 受检页数（受检档案现有页数之和）；不合格率 = 不合格 ÷ 质检卷次。',
    ],
  }),
  stuck: (d) => ({
    columns: [col('批次号', 14), col('档案号', 16), col('姓名', 10), col('环节', 12), col('状态', 10), col('停留自（北京时间）', 20), col('停留天数', 10), col('开始人', 12)],
    rows: d.stuck.items.map((s) => [
      safe(s.batchCode), safe(s.dossierNo), safe(s.cadreName), s.stageLabel, s.status === 'in_progress' ? '进行中' : '等待开始',
      beijingTime(s.since), s.days, s.startedBy ? safe(s.startedBy.name) : '',
    ]),
    notes: [
      `滞留：加工中（已出库交接、尚未入库）的批次里，档案最近一次环节变动（开始、完成或返工；尚无变动的按出库交接登记时间）距今超过 ${d.stuck.stuckDays} 天（设置「环节滞留预警」）。`,
    ],
  }),
};

/** One dashboard table as a workbook: the figures, then a sheet saying how they are counted. */
export async function dashboardWorkbook(table: DashboardTable, d: Dashboard, organization: string): Promise<Buffer> {
  const t = TABLES[table](d);
  const wb = new ExcelJS.Workbook();
  wb.creator = organization;
  wb.created = new Date(d.generatedAt);
  const sheet = wb.addWorksheet(TABLE_TITLES[table], { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = t.columns;
  sheet.getRow(1).font = { bold: true };
  for (const r of t.rows) sheet.addRow(r);

  const about = wb.addWorksheet('说明');
  about.columns = [{ width: 14 }, { width: 100 }];
  about.addRow([`${organization} 数字化加工统计：${TABLE_TITLES[table]}`]).font = { bold: true, size: 12 };
  about.addRow(['生成时间', `${beijingTime(d.generatedAt)}（北京时间，${beijingDate(d.generatedAt)}）`]);
  about.addRow(['统计范围', d.batchId ? `批次 ${d.progress.batches[0]?.code ?? d.batchId}` : '全部批次（本人数据范围内）']);
  t.notes.forEach((n, i) => about.addRow([i === 0 ? '口径' : '', n]).getCell(2).alignment = { wrapText: true });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
