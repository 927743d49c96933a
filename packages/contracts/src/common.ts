import { z } from 'zod';

export const Id = z.string().min(1).max(64).describe('标识');
export const Timestamp = z.string().describe('ISO-8601 时间（UTC）');

export const ApiErrorBody = z.object({
  code: z.string().describe('稳定的错误码'),
  message: z.string().describe('中文错误说明'),
  fields: z.record(z.string(), z.string()).optional().describe('字段 → 中文原因'),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

export const Ok = z.object({ ok: z.literal(true) });

export const IdParams = z.object({ id: Id });

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int() });
}

export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

/** A trimmed, non-empty single-line text with a length limit. */
export function text(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), { message: '不能包含控制字符' });
}
