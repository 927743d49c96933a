import { z } from 'zod';
import { Id, IdParams, Ok, Timestamp, text } from './common.js';
import { endpoint } from './endpoint.js';

/** The types a scan upload may declare; the server decides the real type from the content. */
export const SCAN_UPLOAD_TYPES = ['image/jpeg', 'image/png', 'image/tiff', 'application/pdf', 'application/octet-stream'];
/** Hard cap of one upload request; the `scan.maxFileMB` setting is the working limit. */
export const SCAN_UPLOAD_MAX_BYTES = 1024 * 1024 * 1024;

export const ScanSource = z.enum(['upload', 'folder', 'sane', 'console']);
export type ScanSource = z.infer<typeof ScanSource>;

export const ScanFileStatus = z.enum(['stored', 'duplicate', 'rejected']);
export const SCAN_FILE_STATUS_LABELS: Record<z.infer<typeof ScanFileStatus>, string> = {
  stored: '已接收',
  duplicate: '重复文件',
  rejected: '已拒收',
};

export const ScanFile = z.object({
  id: Id,
  batchId: Id,
  name: z.string().describe('上传时的文件名（已清理）'),
  size: z.number().int(),
  format: z.enum(['jpeg', 'png', 'tiff', 'pdf']).nullable(),
  pageCount: z.number().int(),
  status: ScanFileStatus,
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  duplicateOf: z.object({ fileId: Id, name: z.string(), dossierNo: z.string().nullable(), at: Timestamp }).nullable(),
  createdAt: Timestamp,
});
export type ScanFile = z.infer<typeof ScanFile>;

export const PageStatus = z.enum(['pending', 'processing', 'processed', 'failed']);
export type PageStatus = z.infer<typeof PageStatus>;
export const PAGE_STATUS_LABELS: Record<PageStatus, string> = {
  pending: '待处理',
  processing: '处理中',
  processed: '已处理',
  failed: '处理失败',
};

export const ScanBatch = z.object({
  id: Id,
  dossierId: Id.nullable(),
  dossierNo: z.string().nullable(),
  source: ScanSource,
  station: z.string().nullable(),
  createdBy: z.string(),
  createdAt: Timestamp,
  files: z.array(ScanFile),
  pages: z.object({
    total: z.number().int(),
    pending: z.number().int(),
    processing: z.number().int(),
    processed: z.number().int(),
    failed: z.number().int(),
  }),
});
export type ScanBatch = z.infer<typeof ScanBatch>;

const Box = z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()]);

/** A human's corrections, recorded as operations against the original (never a new lossy copy). */
export const PageOps = z.object({
  rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]).optional().describe('方向（覆盖自动判定）'),
  skewDeg: z.number().min(-45).max(45).optional().describe('纠偏角度（度，覆盖自动判定）'),
  cropBox: Box.nullable().optional().describe('裁切框 [左, 上, 宽, 高]（纠偏后图像的像素）；null 表示不裁切'),
  despeckle: z.boolean().optional().describe('去污点'),
});
export type PageOps = z.infer<typeof PageOps>;

export const PageAnalysis = z.object({
  skewDeg: z.number(),
  rotation: z.number().int(),
  cropBox: Box,
  blank: z.boolean(),
  blurScore: z.number(),
  blurry: z.boolean(),
  dpi: z.number(),
  dpiLow: z.boolean(),
  colorMode: z.enum(['color', 'gray']),
  hasColorContent: z.boolean(),
  edgeContent: z.object({ top: z.boolean(), right: z.boolean(), bottom: z.boolean(), left: z.boolean() }),
  specklesRemoved: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
});
export type PageAnalysis = z.infer<typeof PageAnalysis>;

export const ScanPage = z.object({
  id: Id,
  dossierId: Id,
  materialId: Id.nullable(),
  pageNo: z.number().int().nullable().describe('在材料中的页号；未挂接时为空'),
  unlinkedOrder: z.number().int().nullable(),
  fileId: Id,
  fileName: z.string(),
  sourcePage: z.number().int().describe('在原文件中的页序（从 1 起）'),
  status: PageStatus,
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  analysis: PageAnalysis.nullable(),
  ops: PageOps,
  version: z.number().int().describe('每次处理后递增，用于图像地址'),
  processedAt: Timestamp.nullable(),
  updatedAt: Timestamp,
});
export type ScanPage = z.infer<typeof ScanPage>;

export const PageStep = z.object({
  name: z.string(),
  params: z.record(z.string(), z.unknown()),
  result: z.record(z.string(), z.unknown()),
  ms: z.number(),
});

export const ScanPageDetail = ScanPage.extend({
  steps: z.array(PageStep),
  original: z.object({ hash: z.string(), algorithm: z.string(), size: z.number().int(), format: z.string() }),
});
export type ScanPageDetail = z.infer<typeof ScanPageDetail>;

export const DossierPages = z.object({
  dossierId: Id,
  dossierNo: z.string(),
  cadreName: z.string(),
  materials: z.array(
    z.object({
      id: Id,
      classCode: z.string(),
      pieceNo: z.number().int(),
      seq: z.string(),
      name: z.string(),
      expectedPages: z.number().int().describe('目录页数'),
      pageIds: z.array(Id).describe('已挂接的页，按页号'),
    }),
  ),
  unlinkedPageIds: z.array(Id),
  pages: z.array(ScanPage),
});
export type DossierPages = z.infer<typeof DossierPages>;

export const PageImageVariant = z.enum(['web', 'thumb', 'master', 'original']);
export type PageImageVariant = z.infer<typeof PageImageVariant>;

/** A scanner SANE can reach (USB or network), as `scanimage -L` lists it. */
export const SaneDevice = z.object({
  name: z.string().describe('SANE 设备名，如 fujitsu:fi-7160:12345'),
  vendor: z.string(),
  model: z.string(),
  type: z.string(),
});
export type SaneDevice = z.infer<typeof SaneDevice>;

export const SaneScanResult = z.object({
  batch: ScanBatch,
  scanned: z.number().int().describe('扫描仪送出的页数'),
  warning: z.string().nullable().describe('扫描中途停止等提示（已扫的页已接收）'),
});
export type SaneScanResult = z.infer<typeof SaneScanResult>;

/** One recognised line: its text, box `[x, y, w, h]` in master pixels, confidence, and each character's. */
export const PageTextLine = z.object({
  text: z.string(),
  box: Box,
  confidence: z.number(),
  chars: z.array(z.number()).optional(),
  edited: z.boolean().optional().describe('该行已人工校对'),
});

export const PageText = z.object({
  pageId: Id,
  version: z.number().int().describe('识别所依据的页面版本'),
  lines: z.array(PageTextLine).describe('按阅读顺序'),
  text: z.string(),
  meanConfidence: z.number().nullable(),
  lowConfidenceChars: z.number().int().describe('置信度低于 0.8 的字数'),
  edited: z.boolean().describe('是否经过人工校对'),
});
export type PageText = z.infer<typeof PageText>;

/** Longest text of one proofread line. */
export const PROOFREAD_LINE_MAX = 500;

export const PageTextEdit = z.object({
  id: Id,
  lineIndex: z.number().int().describe('行号（从 0 起）'),
  before: z.string(),
  after: z.string(),
  editedBy: z.object({ id: Id, name: z.string() }),
  editedAt: Timestamp,
});
export type PageTextEdit = z.infer<typeof PageTextEdit>;

export const scanApi = {
  scans: {
    createBatch: endpoint({
      method: 'POST', path: '/api/scan-batches', summary: '新建扫描批次（上传一批图像前）', tag: '扫描', access: 'scan.ingest',
      body: z.object({ dossierId: Id }), response: ScanBatch,
    }),
    batch: endpoint({
      method: 'GET', path: '/api/scan-batches/:id', summary: '扫描批次进度', tag: '扫描', access: 'scan.ingest',
      params: IdParams, response: ScanBatch,
    }),
    upload: endpoint({
      method: 'POST', path: '/api/scan-batches/:id/files', summary: '上传一个图像文件（JPEG、PNG、TIFF、PDF）', tag: '扫描',
      access: 'scan.ingest', params: IdParams,
      query: z.object({
        name: z.string().min(1).max(500).describe('文件名或相对路径（用于按命名规则挂接）'),
      }),
      consumes: { types: SCAN_UPLOAD_TYPES, maxBytes: SCAN_UPLOAD_MAX_BYTES },
      response: ScanFile,
    }),
    sane: endpoint({
      method: 'POST', path: '/api/scan-batches/:id/sane', summary: '用扫描仪（SANE）扫描到此批次', tag: '扫描', access: 'scan.ingest',
      params: IdParams,
      body: z.object({
        materialId: Id.optional().describe('挂接到的材料；缺省时页面暂不挂接'),
        startPage: z.number().int().min(1).max(100000).optional().describe('第一页的页号；缺省时接在材料已有页之后'),
        pages: z.number().int().min(1).max(1000).optional().describe('扫描页数；缺省时扫到进纸器无纸（平板为 1 页）'),
      }),
      response: SaneScanResult,
    }),
    scanners: endpoint({
      method: 'GET', path: '/api/scanners', summary: '可用的扫描仪（SANE）', tag: '扫描', access: 'scan.ingest',
      response: z.array(SaneDevice),
    }),
  },
  pages: {
    ofDossier: endpoint({
      method: 'GET', path: '/api/dossiers/:id/pages', summary: '档案的页面图像与挂接', tag: '扫描',
      access: ['scan.ingest', 'scan.link', 'qc.inspect'], params: IdParams, response: DossierPages,
    }),
    get: endpoint({
      method: 'GET', path: '/api/pages/:id', summary: '页面详情（处理步骤与参数）', tag: '扫描',
      access: ['scan.ingest', 'scan.link', 'qc.inspect'], params: IdParams, response: ScanPageDetail,
    }),
    image: endpoint({
      method: 'GET', path: '/api/pages/:id/image', summary: '页面图像', tag: '扫描', access: ['scan.ingest', 'scan.link', 'qc.inspect'],
      params: IdParams,
      query: z.object({ variant: PageImageVariant.default('web'), v: z.coerce.number().int().optional() }),
      produces: ['image/jpeg', 'image/png', 'image/tiff', 'application/pdf'],
    }),
    edit: endpoint({
      method: 'PUT', path: '/api/pages/:id/ops', summary: '人工修正（旋转、纠偏、裁切、去污点），按原图重新处理', tag: '扫描',
      access: 'scan.ingest', params: IdParams, body: z.object({ ops: PageOps }), response: ScanPage,
    }),
    link: endpoint({
      method: 'POST', path: '/api/pages/:id/link', summary: '挂接到材料（或移到另一材料、取消挂接）', tag: '扫描',
      access: 'scan.link', params: IdParams,
      body: z.object({
        materialId: Id.nullable().describe('目标材料；null 表示取消挂接'),
        position: z.number().int().min(1).max(100000).optional().describe('在材料中的页号；缺省时放在最后'),
      }),
      response: DossierPages,
    }),
    reorder: endpoint({
      method: 'PUT', path: '/api/materials/:id/page-order', summary: '调整材料内页序', tag: '扫描', access: 'scan.link',
      params: IdParams, body: z.object({ pageIds: z.array(Id).max(10000) }), response: DossierPages,
    }),
    remove: endpoint({
      method: 'POST', path: '/api/pages/:id/deletion', summary: '删除页面（保留原图与记录）', tag: '扫描', access: 'scan.ingest',
      params: IdParams, body: z.object({ reason: text(200) }), response: Ok,
    }),
    replace: endpoint({
      method: 'POST', path: '/api/pages/:id/replacement', summary: '以重扫图像替换页面', tag: '扫描', access: 'scan.ingest',
      params: IdParams, query: z.object({ name: z.string().min(1).max(500) }),
      consumes: { types: SCAN_UPLOAD_TYPES, maxBytes: SCAN_UPLOAD_MAX_BYTES },
      response: ScanPage,
    }),
    text: endpoint({
      method: 'GET', path: '/api/pages/:id/text', summary: '页面识别文字（行、位置、置信度）', tag: '扫描',
      access: ['scan.ingest', 'scan.link', 'qc.inspect'], params: IdParams, response: PageText,
    }),
    editTextLine: endpoint({
      method: 'PUT', path: '/api/pages/:id/text/lines/:index', summary: '校对页面文字的一行（并更新检索）', tag: '扫描',
      access: ['scan.ingest', 'qc.inspect'],
      params: z.object({ id: Id, index: z.coerce.number().int().describe('行号（从 0 起）') }),
      body: z.object({ text: z.string().max(PROOFREAD_LINE_MAX * 4) }),
      response: PageText,
    }),
    textEdits: endpoint({
      method: 'GET', path: '/api/pages/:id/text/edits', summary: '页面文字的校对记录', tag: '扫描',
      access: ['scan.ingest', 'scan.link', 'qc.inspect'], params: IdParams, response: z.array(PageTextEdit),
    }),
    materialPdf: endpoint({
      method: 'GET', path: '/api/materials/:id/pdf', summary: '导出材料为可检索 PDF（图像加隐藏文字层）', tag: '扫描',
      access: 'dossier.read', params: IdParams, produces: ['application/pdf'],
    }),
    dossierPdf: endpoint({
      method: 'GET', path: '/api/dossiers/:id/pdf', summary: '导出档案为可检索 PDF（按目录顺序）', tag: '扫描',
      access: 'dossier.read', params: IdParams, produces: ['application/pdf'],
    }),
  },
} as const;
