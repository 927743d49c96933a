import { z } from 'zod';

/**
 * Every setting the system knows, with its default and its validation. Stored values live in the
 * database; a key that was never changed reads its default from here.
 * `category` decides who changes it: `security` → 安全保密管理员, `system` → 系统管理员.
 */
interface SettingDef<T extends z.ZodType> {
  label: string;
  description: string;
  category: 'security' | 'system';
  schema: T;
  default: z.output<T>;
}

function def<T extends z.ZodType>(d: SettingDef<T>): SettingDef<T> {
  return d;
}

const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const SETTINGS = {
  'password.minLength': def({
    label: '密码最小长度',
    description: '口令的最少字符数（等保三级要求不少于 8 位，本系统默认 10 位）',
    category: 'security',
    schema: int(8, 64),
    default: 10,
  }),
  'password.minClasses': def({
    label: '密码字符类别数',
    description: '大写字母、小写字母、数字、特殊字符四类中至少包含的类数',
    category: 'security',
    schema: int(2, 4),
    default: 3,
  }),
  'password.maxAgeDays': def({
    label: '密码有效期（天）',
    description: '超过此天数须修改密码；0 表示不限',
    category: 'security',
    schema: int(0, 3650),
    default: 90,
  }),
  'login.maxFailures': def({
    label: '登录失败锁定次数',
    description: '连续登录失败达到此次数后锁定账号',
    category: 'security',
    schema: int(3, 20),
    default: 5,
  }),
  'login.lockMinutes': def({
    label: '锁定时长（分钟）',
    description: '账号因连续登录失败被锁定的时长',
    category: 'security',
    schema: int(1, 1440),
    default: 30,
  }),
  'session.idleMinutes': def({
    label: '会话空闲超时（分钟）',
    description: '无操作超过此时长自动退出登录',
    category: 'security',
    schema: int(1, 240),
    default: 15,
  }),
  'session.absoluteHours': def({
    label: '会话最长时长（小时）',
    description: '登录后无论是否操作，超过此时长须重新登录',
    category: 'security',
    schema: int(1, 24),
    default: 8,
  }),
  'audit.hashAlgorithm': def({
    label: '审计链哈希算法',
    description: '新审计记录所用的哈希算法：SM3（国密）或 SHA-256；已有记录保留其原算法',
    category: 'system',
    schema: z.enum(['sm3', 'sha256']),
    default: 'sm3',
  }),
  'dossier.numberPattern': def({
    label: '档案号格式',
    description: '档案号须整体匹配的正则表达式；默认为 1–40 位汉字、字母、数字或连字符',
    category: 'system',
    schema: z
      .string()
      .min(1)
      .max(200)
      .refine((p) => {
        try {
          new RegExp(`^(?:${p})$`, 'u');
          return true;
        } catch {
          return false;
        }
      }, '不是有效的正则表达式'),
    default: '[0-9A-Za-z\\u4e00-\\u9fa5-]{1,40}',
  }),
  'system.organizationName': def({
    label: '单位名称',
    description: '显示在页面标题与打印件上的本单位名称',
    category: 'system',
    schema: z.string().trim().min(1).max(60),
    default: '组织部干部档案室',
  }),
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = (typeof SETTINGS)[K]['default'];
export type SettingValues = { [K in SettingKey]: SettingValue<K> };

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}

export function defaultSettings(): SettingValues {
  const out: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) out[key] = SETTINGS[key].default;
  return out as SettingValues;
}
