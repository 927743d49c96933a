import { z } from 'zod';
import { Id, IdParams, PageQuery, Timestamp, page, text } from './common.js';
import { endpoint } from './endpoint.js';

/**
 * A partial date as the API carries it: an ISO prefix, `2003`, `2003-05` or `2003-05-07`. Input may be
 * any form a clerk types (`2003.5.7`, `2003年5月`, …); the server parses and answers the ISO prefix.
 */
const PartialDateText = z.string().trim().max(20);
const Code = z.string().trim().max(16).nullable();
const OptionalText = (max: number) => z.string().trim().max(max).nullable();

export const IdNumberCheck = z.object({
  status: z.enum(['valid', 'invalid', 'mismatch', 'absent']),
  message: z.string(),
});

export const DossierSummary = z.object({
  id: Id,
  dossierNo: z.string(),
  state: z.string(),
  stateLabel: z.string(),
  custodianUnitId: Id,
  custodianUnitName: z.string(),
  location: z.string(),
  secrecyLevel: z.string().nullable(),
  materialCount: z.number().int(),
  pageCount: z.number().int(),
});
export type DossierSummary = z.infer<typeof DossierSummary>;

export const Cadre = z.object({
  id: Id,
  name: z.string(),
  nameInitials: z.string(),
  gender: z.string().nullable(),
  birthDate: z.string().nullable(),
  idNumber: z.string().nullable(),
  idNumberCheck: IdNumberCheck,
  ethnicity: z.string().nullable(),
  nativePlace: z.string().nullable(),
  birthPlace: z.string().nullable(),
  politicalStatus: z.string().nullable(),
  partyJoinDate: z.string().nullable(),
  workStartDate: z.string().nullable(),
  education: z.string().nullable(),
  degree: z.string().nullable(),
  position: z.string().nullable(),
  rank: z.string().nullable(),
  personnelStatus: z.string().nullable(),
  managingUnitId: Id,
  managingUnitName: z.string(),
  dossier: DossierSummary.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Cadre = z.infer<typeof Cadre>;

const CadreFields = z.object({
  name: text(30),
  gender: Code,
  birthDate: PartialDateText.nullable(),
  idNumber: z.string().trim().max(20).nullable(),
  ethnicity: Code,
  nativePlace: OptionalText(60),
  birthPlace: OptionalText(60),
  politicalStatus: Code,
  partyJoinDate: PartialDateText.nullable(),
  workStartDate: PartialDateText.nullable(),
  education: Code,
  degree: Code,
  position: OptionalText(200),
  rank: Code,
  personnelStatus: Code,
  managingUnitId: Id,
});

export const DossierInput = z.object({
  dossierNo: z.string().trim().min(1).max(40),
  custodianUnitId: Id,
  location: z.string().trim().max(60).default(''),
  secrecyLevel: Code.default(null),
});

export const CadreCreate = CadreFields.partial()
  .required({ name: true, managingUnitId: true })
  .extend({ dossier: DossierInput.optional() });
export const CadreUpdate = CadreFields.partial();

export const CadreListItem = z.object({
  id: Id,
  name: z.string(),
  gender: z.string().nullable(),
  birthDate: z.string().nullable(),
  idNumber: z.string().nullable(),
  position: z.string().nullable(),
  managingUnitName: z.string(),
  dossierId: Id.nullable(),
  dossierNo: z.string().nullable(),
  state: z.string().nullable(),
  stateLabel: z.string().nullable(),
  materialCount: z.number().int(),
  pageCount: z.number().int(),
  missingCount: z.number().int().nullable(),
  updatedAt: Timestamp,
});

export const CadreQuery = PageQuery.extend({
  q: z.string().trim().max(40).optional().describe('姓名、拼音首字母、身份号码或档案号'),
  unitId: Id.optional().describe('管理单位（含下级单位）'),
  state: z.string().max(32).optional(),
  completeness: z.enum(['complete', 'incomplete', 'unknown']).optional(),
  sort: z.enum(['name', 'dossierNo', 'birthDate', 'updatedAt']).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
});

export const Material = z.object({
  id: Id,
  dossierId: Id,
  classCode: z.string(),
  pieceNo: z.number().int(),
  seq: z.string(),
  name: z.string(),
  formedOn: z.string().nullable(),
  copies: z.number().int(),
  pages: z.number().int(),
  remark: z.string(),
  importance: z.number().int().nullable(),
  manualPosition: z.number().int().nullable(),
  warnings: z.array(z.string()),
  deletedAt: Timestamp.nullable(),
  deletedBy: z.string().nullable(),
  deleteReason: z.string().nullable(),
});
export type Material = z.infer<typeof Material>;

export const MaterialInput = z.object({
  classCode: z.string().trim().max(8),
  name: text(200),
  formedOn: PartialDateText.nullable().default(null),
  copies: z.number().int().min(1).max(999).default(1),
  pages: z.number().int().min(0).max(9999),
  remark: z.string().trim().max(200).default(''),
  importance: z.number().int().min(1).max(99).nullable().optional(),
});
export const MaterialUpdate = z.object({
  classCode: z.string().trim().max(8).optional(),
  name: text(200).optional(),
  formedOn: PartialDateText.nullable().optional(),
  copies: z.number().int().min(1).max(999).optional(),
  pages: z.number().int().min(0).max(9999).optional(),
  remark: z.string().trim().max(200).optional(),
  importance: z.number().int().min(1).max(99).nullable().optional(),
});

export const CatalogueClass = z.object({
  code: z.string(),
  label: z.string(),
  parentCode: z.string().nullable(),
  rule: z.enum(['time', 'importance_then_time', 'subclasses']),
  materialCount: z.number().int(),
  pageCount: z.number().int(),
  materials: z.array(Material),
});

export const Catalogue = z.object({
  dossier: DossierSummary,
  cadre: z.object({ id: Id, name: z.string(), managingUnitName: z.string() }),
  classes: z.array(CatalogueClass),
  materialCount: z.number().int(),
  pageCount: z.number().int(),
  deleted: z.array(Material),
});
export type Catalogue = z.infer<typeof Catalogue>;

const DossierParams = z.object({ id: Id });

export const ImportProblem = z.object({ sheet: z.string(), row: z.number().int(), column: z.string(), reason: z.string() });
export const ImportReport = z.object({
  ok: z.boolean(),
  dryRun: z.boolean(),
  problems: z.array(ImportProblem),
  summary: z.object({
    cadresCreated: z.number().int(), cadresUpdated: z.number().int(), cadresUnchanged: z.number().int(),
    materialsCreated: z.number().int(), materialsUpdated: z.number().int(), materialsUnchanged: z.number().int(),
  }),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const CompletenessResult = z.object({
  code: z.string(),
  label: z.string(),
  classCode: z.string(),
  status: z.enum(['present', 'missing', 'unknown', 'not_applicable']),
  missingItems: z.array(z.string()).optional(),
  matched: z.array(z.number().int()),
  reason: z.string(),
  basis: z.string(),
});
export const MissingEntry = z.object({
  id: Id,
  ruleCode: z.string().nullable(),
  item: z.string(),
  state: z.enum(['pending', 'requested', 'filed']),
  stateLabel: z.string(),
  notedAt: Timestamp,
  requestedAt: Timestamp.nullable(),
  filedAt: Timestamp.nullable(),
  remark: z.string(),
});
export const CompletenessReport = z.object({
  dossierId: Id,
  dossierNo: z.string(),
  cadre: z.object({ id: Id, name: z.string() }),
  status: z.enum(['complete', 'incomplete']),
  missingCount: z.number().int(),
  evaluatedAt: Timestamp,
  results: z.array(CompletenessResult),
  register: z.array(MissingEntry),
});
export type CompletenessReport = z.infer<typeof CompletenessReport>;
export const CompletenessRuleView = z.object({
  code: z.string(),
  label: z.string(),
  classCode: z.string(),
  enabled: z.boolean(),
  synonyms: z.array(z.string()),
  basis: z.string(),
  definition: z.unknown(),
  updatedAt: Timestamp,
  updatedBy: z.string().nullable(),
});

export const IMPORT_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv',
} as const;

export const archiveApi = {
  cadres: {
    list: endpoint({
      method: 'GET', path: '/api/cadres', summary: '干部与档案列表', tag: '干部档案', access: 'cadre.read',
      query: CadreQuery, response: page(CadreListItem),
    }),
    get: endpoint({
      method: 'GET', path: '/api/cadres/:id', summary: '干部详情', tag: '干部档案', access: 'cadre.read',
      params: IdParams, response: Cadre,
    }),
    create: endpoint({
      method: 'POST', path: '/api/cadres', summary: '登记干部（可同时建立档案）', tag: '干部档案', access: 'cadre.edit',
      body: CadreCreate, response: Cadre,
    }),
    update: endpoint({
      method: 'PATCH', path: '/api/cadres/:id', summary: '修改干部信息', tag: '干部档案', access: 'cadre.edit',
      params: IdParams, body: CadreUpdate, response: Cadre,
    }),
  },
  dossiers: {
    create: endpoint({
      method: 'POST', path: '/api/cadres/:id/dossier', summary: '为干部建立档案', tag: '干部档案', access: 'dossier.edit',
      params: IdParams, body: DossierInput, response: Cadre,
    }),
    update: endpoint({
      method: 'PATCH', path: '/api/dossiers/:id', summary: '修改档案（保管单位、位置、密级）', tag: '干部档案', access: 'dossier.edit',
      params: DossierParams,
      body: z.object({ custodianUnitId: Id.optional(), location: z.string().trim().max(60).optional(), secrecyLevel: Code.optional() }),
      response: DossierSummary,
    }),
    transition: endpoint({
      method: 'POST', path: '/api/dossiers/:id/transitions', summary: '档案状态变更', tag: '干部档案', access: 'dossier.edit',
      params: DossierParams, body: z.object({ event: z.string().max(40), reason: z.string().trim().max(200).default('') }),
      response: DossierSummary,
    }),
    catalogue: endpoint({
      method: 'GET', path: '/api/dossiers/:id/catalogue', summary: '档案目录', tag: '目录', access: 'dossier.read',
      params: DossierParams, response: Catalogue,
    }),
    print: endpoint({
      method: 'GET', path: '/api/dossiers/:id/catalogue.pdf', summary: '打印目录（PDF）', tag: '目录', access: 'dossier.read',
      params: DossierParams, produces: ['application/pdf'],
    }),
  },
  completeness: {
    report: endpoint({
      method: 'GET', path: '/api/dossiers/:id/completeness', summary: '材料完整性报告', tag: '完整性', access: 'dossier.read',
      params: DossierParams, response: CompletenessReport,
    }),
    note: endpoint({
      method: 'POST', path: '/api/dossiers/:id/missing', summary: '登记欠缺材料', tag: '完整性', access: 'catalogue.edit',
      params: DossierParams,
      body: z.object({ item: text(100), ruleCode: z.string().max(60).nullable().default(null), remark: z.string().trim().max(200).default('') }),
      response: z.array(MissingEntry),
    }),
    advance: endpoint({
      method: 'PATCH', path: '/api/missing-materials/:id', summary: '更新欠缺材料状态（待收集→已催要→已归档）', tag: '完整性',
      access: 'catalogue.edit', params: IdParams,
      body: z.object({ state: z.enum(['requested', 'filed']), remark: z.string().trim().max(200).optional() }),
      response: z.array(MissingEntry),
    }),
    rules: endpoint({
      method: 'GET', path: '/api/completeness-rules', summary: '完整性规则', tag: '完整性', access: 'dossier.read',
      response: z.array(CompletenessRuleView),
    }),
    updateRule: endpoint({
      method: 'PATCH', path: '/api/completeness-rules/:code', summary: '修改完整性规则（名称、启用、同义名称）', tag: '完整性',
      access: 'completeness.manage', params: z.object({ code: z.string().max(60) }),
      body: z.object({ label: text(60).optional(), enabled: z.boolean().optional(), synonyms: z.array(z.string().trim().max(60)).max(50).optional() }),
      response: CompletenessRuleView,
    }),
  },
  catalogueIo: {
    template: endpoint({
      method: 'GET', path: '/api/catalogue/template', summary: '下载目录导入模板（Excel）', tag: '目录', access: 'catalogue.import',
      produces: [IMPORT_TYPES.xlsx],
    }),
    import: endpoint({
      method: 'POST', path: '/api/catalogue/import', summary: '导入目录（Excel 或 CSV，先全部校验，有错不写入）', tag: '目录',
      access: 'catalogue.import',
      query: z.object({
        kind: z.enum(['cadres', 'materials']).optional().describe('CSV 文件的内容：干部或材料'),
        dryRun: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
      }),
      consumes: { types: [IMPORT_TYPES.xlsx, IMPORT_TYPES.csv, 'application/octet-stream'], maxBytes: 20 * 1024 * 1024 },
      response: ImportReport,
    }),
    export: endpoint({
      method: 'GET', path: '/api/catalogue/export', summary: '导出目录（Excel，可多份档案）', tag: '目录', access: 'dossier.read',
      query: z.object({ dossierIds: z.string().max(40_000).transform((s) => s.split(',').filter(Boolean)).pipe(z.array(Id).min(1).max(1000)) }),
      produces: [IMPORT_TYPES.xlsx],
    }),
  },
  materials: {
    create: endpoint({
      method: 'POST', path: '/api/dossiers/:id/materials', summary: '著录材料', tag: '目录', access: 'catalogue.edit',
      params: DossierParams, body: MaterialInput, response: Catalogue,
    }),
    update: endpoint({
      method: 'PATCH', path: '/api/materials/:id', summary: '修改材料', tag: '目录', access: 'catalogue.edit',
      params: IdParams, body: MaterialUpdate, response: Catalogue,
    }),
    remove: endpoint({
      method: 'POST', path: '/api/materials/:id/deletion', summary: '删除材料（保留记录，可恢复）', tag: '目录', access: 'catalogue.edit',
      params: IdParams, body: z.object({ reason: text(200) }), response: Catalogue,
    }),
    restore: endpoint({
      method: 'POST', path: '/api/materials/:id/restoration', summary: '恢复已删除材料', tag: '目录', access: 'material.restore',
      params: IdParams, response: Catalogue,
    }),
    reorder: endpoint({
      method: 'PUT', path: '/api/dossiers/:id/order', summary: '调整类内顺序（规则允许处）', tag: '目录', access: 'catalogue.edit',
      params: DossierParams, body: z.object({ classCode: z.string().max(8), materialIds: z.array(Id).min(1).max(2000) }),
      response: Catalogue,
    }),
  },
} as const;
