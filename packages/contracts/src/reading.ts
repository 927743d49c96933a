import { z } from 'zod';
import { Id, IdParams, Ok, PageQuery, Timestamp, page } from './common.js';
import { endpoint } from './endpoint.js';

/**
 * Reading (在线查阅) under a grant: the reader's running grants, reading windows, the granted catalogue,
 * watermarked page images, printing with serial numbers (for an excerpt grant also a searchable PDF to
 * download), and the reading and print logs.
 */

export const ReadingMode = z.enum(['read', 'print', 'excerpt']);
export type ReadingMode = z.infer<typeof ReadingMode>;

export const ReadingGrant = z.object({
  requestId: Id,
  requestNo: z.string(),
  dossierId: Id,
  dossierNo: z.string(),
  cadreName: z.string(),
  mode: ReadingMode,
  modeLabel: z.string(),
  scopeSummary: z.string().describe('授权范围：整卷、某几类或若干份材料'),
  from: Timestamp,
  until: Timestamp,
  printLimit: z.number().int(),
  printsUsed: z.number().int(),
});
export type ReadingGrant = z.infer<typeof ReadingGrant>;

export const ReadingSession = z.object({
  id: Id,
  requestId: Id,
  requestNo: z.string(),
  dossierId: Id,
  openedAt: Timestamp,
  lastSeenAt: Timestamp,
  until: Timestamp,
});
export type ReadingSession = z.infer<typeof ReadingSession>;

export const ReaderMaterial = z.object({
  id: Id,
  classCode: z.string(),
  seq: z.string(),
  name: z.string(),
  formedOn: z.string().nullable(),
  pageCount: z.number().int(),
  pageIds: z.array(Id),
});
export type ReaderMaterial = z.infer<typeof ReaderMaterial>;

export const ReaderCatalogue = z.object({
  sessionId: Id,
  requestNo: z.string(),
  dossierNo: z.string(),
  cadreName: z.string(),
  mode: ReadingMode,
  until: Timestamp,
  printLimit: z.number().int(),
  printsUsed: z.number().int(),
  classes: z.array(z.object({ code: z.string(), label: z.string(), materials: z.array(ReaderMaterial) })),
});
export type ReaderCatalogue = z.infer<typeof ReaderCatalogue>;

export const READER_IMAGE_MAX_WIDTH = 1600;

export const ReaderImageQuery = z.object({
  w: z.coerce.number().int().min(200).max(READER_IMAGE_MAX_WIDTH).default(READER_IMAGE_MAX_WIDTH).describe('图像宽度（像素，最大 1600）'),
});

export const PrintBody = z.object({
  materialIds: z.array(Id).min(1, '请至少选择一份材料').max(200),
});

export const ReadingLogRow = z.object({
  id: Id,
  viewedAt: Timestamp,
  durationMs: z.number().int(),
  reader: z.object({ id: Id, name: z.string() }),
  requestId: Id,
  requestNo: z.string(),
  dossierId: Id,
  dossierNo: z.string(),
  cadreName: z.string(),
  materialName: z.string(),
  classCode: z.string(),
  pageNo: z.number().int().nullable(),
  clientIp: z.string().nullable(),
});
export type ReadingLogRow = z.infer<typeof ReadingLogRow>;

const DateOnly = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式为 YYYY-MM-DD');

export const ReadingLogQuery = PageQuery.extend({
  userId: Id.optional(),
  dossierId: Id.optional(),
  requestId: Id.optional(),
  from: DateOnly.optional().describe('起始日期（北京时间，含）'),
  to: DateOnly.optional().describe('截止日期（北京时间，含）'),
});
export const OwnReadingLogQuery = ReadingLogQuery.omit({ userId: true });

export const PrintLogRow = z.object({
  id: Id,
  serialNo: z.string(),
  createdAt: Timestamp,
  reader: z.object({ id: Id, name: z.string() }),
  requestId: Id,
  requestNo: z.string(),
  dossierId: Id,
  dossierNo: z.string(),
  cadreName: z.string(),
  materials: z.array(z.string()),
  pageCount: z.number().int(),
  sha256: z.string(),
  clientIp: z.string().nullable(),
});
export type PrintLogRow = z.infer<typeof PrintLogRow>;

export const PrintLogQuery = PageQuery.extend({
  requestId: Id.optional(),
  userId: Id.optional(),
});

const SessionParams = IdParams;

export const readingApi = {
  reading: {
    grants: endpoint({
      method: 'GET', path: '/api/reading/grants', summary: '我的有效查阅授权', tag: '查阅', access: 'access.read',
      response: z.array(ReadingGrant),
    }),
    open: endpoint({
      method: 'POST', path: '/api/reading/sessions', summary: '打开阅读窗口', tag: '查阅', access: 'access.read',
      body: z.object({ requestId: Id, dossierId: Id }), response: ReadingSession,
    }),
    heartbeat: endpoint({
      method: 'POST', path: '/api/reading/sessions/:id/heartbeat', summary: '阅读窗口保活', tag: '查阅', access: 'access.read',
      params: SessionParams, response: ReadingSession,
    }),
    close: endpoint({
      method: 'POST', path: '/api/reading/sessions/:id/close', summary: '关闭阅读窗口', tag: '查阅', access: 'access.read',
      params: SessionParams, response: Ok,
    }),
    catalogue: endpoint({
      method: 'GET', path: '/api/reading/sessions/:id/catalogue', summary: '已授权材料目录', tag: '查阅', access: 'access.read',
      params: SessionParams, response: ReaderCatalogue,
    }),
    image: endpoint({
      method: 'GET', path: '/api/reading/sessions/:id/pages/:pageId/image', summary: '带水印的页面图像', tag: '查阅',
      access: 'access.read', params: z.object({ id: Id, pageId: Id }), query: ReaderImageQuery, produces: ['image/jpeg'],
    }),
    print: endpoint({
      method: 'POST', path: '/api/reading/sessions/:id/print', summary: '打印已授权材料（PDF，带水印与流水号）', tag: '查阅',
      access: 'access.read', params: SessionParams, body: PrintBody, produces: ['application/pdf'],
    }),
    export: endpoint({
      method: 'POST', path: '/api/reading/sessions/:id/export', summary: '导出已授权材料为可检索 PDF（摘录授权，带水印与流水号，计一次打印）',
      tag: '查阅', access: 'access.read', params: SessionParams, body: PrintBody, produces: ['application/pdf'],
    }),
    log: endpoint({
      method: 'GET', path: '/api/reading/log', summary: '本人查阅记录', tag: '查阅', access: 'access.read',
      query: OwnReadingLogQuery, response: page(ReadingLogRow),
    }),
  },
  useLogs: {
    readingLog: endpoint({
      method: 'GET', path: '/api/use/reading-log', summary: '查阅记录（逐页）', tag: '查阅', access: 'use.manage',
      query: ReadingLogQuery, response: page(ReadingLogRow),
    }),
    prints: endpoint({
      method: 'GET', path: '/api/use/prints', summary: '打印记录', tag: '查阅', access: 'use.manage',
      query: PrintLogQuery, response: page(PrintLogRow),
    }),
  },
} as const;
