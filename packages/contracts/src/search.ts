import { z } from 'zod';
import { Id, PageQuery } from './common.js';
import { endpoint } from './endpoint.js';

/** A character range `[start, end)` in the text it belongs to. */
const Range = z.tuple([z.number().int(), z.number().int()]);
const Box = z.tuple([z.number(), z.number(), z.number(), z.number()]);

export const SearchHitKind = z.enum(['cadre', 'material', 'page']);
export type SearchHitKind = z.infer<typeof SearchHitKind>;

export const SearchHit = z.object({
  kind: SearchHitKind,
  cadre: z.object({ id: Id, name: z.string() }),
  dossier: z.object({ id: Id, dossierNo: z.string(), state: z.string() }).nullable(),
  material: z.object({ id: Id, name: z.string(), classCode: z.string(), formedOn: z.string().nullable() }).nullable(),
  page: z.object({ id: Id, pageNo: z.number().int().nullable() }).nullable(),
  snippet: z.object({
    text: z.string(),
    highlights: z.array(Range).describe('命中在摘要文字中的位置 [起, 止)'),
  }),
  boxes: z
    .array(z.object({
      line: z.number().int(),
      box: Box.describe('整行位置框 [左, 上, 宽, 高]（母版像素）'),
      hitBox: Box.describe('命中文字的位置框（按行内字符位置估算）'),
    }))
    .describe('页面命中：所在行及命中文字的位置框'),
  score: z.number(),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const SearchQuery = PageQuery.extend({
  q: z.string().trim().min(1).max(200).describe('检索式：空格为“与”，OR 为“或”，-词 或 NOT 词 为“非”，"…" 为短语'),
  unitId: Id.optional().describe('管理单位（含下级单位）'),
  classCode: z.string().trim().max(16).optional().describe('材料类号（含子类）'),
  from: z.string().trim().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/).optional().describe('材料形成时间起（YYYY[-MM[-DD]]）'),
  to: z.string().trim().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/).optional().describe('材料形成时间止'),
  state: z.string().trim().max(32).optional().describe('档案状态'),
  sort: z.enum(['relevance', 'date']).default('relevance'),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

export const SearchResult = z.object({
  total: z.number().int(),
  capped: z.boolean().describe('命中过多：每部分（目录、页面）只统计并排序前若干条，total 为下限'),
  counts: z.object({ cadre: z.number().int(), material: z.number().int(), page: z.number().int() }),
  items: z.array(SearchHit),
});
export type SearchResult = z.infer<typeof SearchResult>;

export const searchApi = {
  search: {
    query: endpoint({
      method: 'GET', path: '/api/search', summary: '全文检索（目录与页面文字）', tag: '检索', access: 'dossier.read',
      query: SearchQuery, response: SearchResult,
    }),
  },
} as const;
