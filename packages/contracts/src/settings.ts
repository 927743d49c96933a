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
  'storage.cipher': def({
    label: '存储加密算法',
    description: '新写入的图像文件所用的加密算法：SM4（国密，带 HMAC-SM3 完整性校验）或 AES-256-GCM；已有文件保留其原算法',
    category: 'security',
    schema: z.enum(['sm4', 'aes-256-gcm']),
    default: 'sm4',
  }),
  'scan.minDpi': def({
    label: '最低分辨率（dpi）',
    description: '低于此分辨率的扫描页被标记（干部档案通常为 300 dpi）',
    category: 'system',
    schema: int(100, 1200),
    default: 300,
  }),
  'scan.maxFileMB': def({
    label: '单个扫描文件上限（MB）',
    description: '超过此大小的文件被拒收',
    category: 'system',
    schema: int(1, 1024),
    default: 200,
  }),
  'scan.pixelLimit': def({
    label: '单页像素上限（百万像素）',
    description: '超过此像素数的页面被拒收，防止解压炸弹（A4 600 dpi 彩色约 35 百万像素）',
    category: 'system',
    schema: int(10, 1000),
    default: 120,
  }),
  'scan.namingTemplates': def({
    label: '图像命名规则',
    description: '按文件名自动挂接所用的模板，依次尝试；可用 <档案号> <类号> <份号> <页号> <ext>；不含 <页号> 时文件的各页依次为第 1、2……页',
    category: 'system',
    schema: z
      .array(
        z
          .string()
          .trim()
          .min(1)
          .max(200)
          .refine((t) => t.includes('<份号>') && t.includes('<类号>'), '模板须包含 <类号> 和 <份号>'),
      )
      .min(1)
      .max(10),
    default: ['<档案号>/<类号>/<份号>/<页号>.<ext>', '<档案号>_<类号>-<份号>_<页号>.<ext>', '<档案号>_<类号>-<份号>.<ext>'],
  }),
  'scan.sane.device': def({
    label: '扫描仪设备（SANE）',
    description: 'scanimage 使用的设备名，如 fujitsu:fi-7160:12345；留空则使用第一台扫描仪',
    category: 'system',
    schema: z.string().trim().max(200),
    default: '',
  }),
  'scan.sane.resolution': def({
    label: '扫描分辨率（dpi）',
    description: '通过 SANE 扫描时的分辨率',
    category: 'system',
    schema: int(75, 1200),
    default: 300,
  }),
  'scan.sane.mode': def({
    label: '扫描色彩模式',
    description: '通过 SANE 扫描时的色彩模式：彩色、灰度或黑白',
    category: 'system',
    schema: z.enum(['Color', 'Gray', 'Lineart']),
    default: 'Color',
  }),
  'scan.sane.source': def({
    label: '扫描进纸方式',
    description: 'SANE 的 --source 值，如 ADF、ADF Duplex；留空则用设备默认（批量扫描时用进纸器）',
    category: 'system',
    schema: z.string().trim().max(60),
    default: '',
  }),
  'project.samplingPercent': def({
    label: '质检抽检比例（%）',
    description: '每个加工批次随机抽检的档案比例（至少抽 1 卷；自动校验不通过的档案一律全检）',
    category: 'system',
    schema: int(1, 100),
    default: 5,
  }),
  'project.passPercent': def({
    label: '验收合格率（%）',
    description: '批次抽检合格率达到此值方可验收',
    category: 'system',
    schema: int(50, 100),
    default: 95,
  }),
  'project.stuckDays': def({
    label: '环节滞留预警（天）',
    description: '档案在同一加工环节停留超过此天数即列为滞留',
    category: 'system',
    schema: int(1, 365),
    default: 5,
  }),
  'checks.maxSkewDeg': def({
    label: '残余倾斜上限（度）',
    description: '自动校验中，处理后页面倾斜超过此角度即判为歪斜',
    category: 'system',
    schema: z.number().min(0.1).max(10),
    default: 1,
  }),
  'use.approvalLevels': def({
    label: '查阅审批级数',
    description: '查阅申请按干部管理权限审批：1 级为干部管理单位的审批领导；2 级再由其上级单位的审批领导审批',
    category: 'security',
    schema: int(1, 2),
    default: 1,
  }),
  'use.maxGrantDays': def({
    label: '查阅授权最长期限（天）',
    description: '一次查阅授权自批准起最长有效的天数，到期自动失效',
    category: 'security',
    schema: int(1, 90),
    default: 7,
  }),
  'use.maxPrintLimit': def({
    label: '单次授权打印次数上限',
    description: '一项打印或摘录授权最多可打印的次数',
    category: 'security',
    schema: int(1, 50),
    default: 5,
  }),
  'use.readerSessions': def({
    label: '查阅人同时在线阅读数',
    description: '一名查阅人同时打开的阅读窗口数上限（超过时须先关闭其他阅读）',
    category: 'security',
    schema: int(1, 10),
    default: 1,
  }),
  'use.lendingDays': def({
    label: '档案借阅期限（天）',
    description: '借出纸质档案的默认归还期限；逾期将提醒',
    category: 'system',
    schema: int(1, 60),
    default: 14,
  }),
  'alerts.fastPagingPages': def({
    label: '翻页过快预警：页数',
    description: '在下述时长内查看超过此页数，视为翻页快于正常阅读',
    category: 'security',
    schema: int(3, 500),
    default: 20,
  }),
  'alerts.fastPagingSeconds': def({
    label: '翻页过快预警：时长（秒）',
    description: '统计翻页速度的时间窗口',
    category: 'security',
    schema: int(5, 3600),
    default: 60,
  }),
  'alerts.workHours': def({
    label: '工作时间',
    description: '工作日的工作时段（如 08:00-18:00）；此外时间查阅或修改档案将预警',
    category: 'security',
    schema: z.string().trim().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, '格式为 HH:MM-HH:MM'),
    default: '08:00-18:00',
  }),
  'alerts.workDays': def({
    label: '工作日',
    description: '一周中的工作日（1=周一 … 7=周日），逗号分隔',
    category: 'security',
    schema: z.string().trim().regex(/^[1-7](,[1-7])*$/, '形如 1,2,3,4,5'),
    default: '1,2,3,4,5',
  }),
  'alerts.failedLogins': def({
    label: '登录失败预警次数',
    description: '同一账号或同一地址在 10 分钟内登录失败达到此次数即预警',
    category: 'security',
    schema: int(2, 50),
    default: 3,
  }),
  'alerts.bulkExports': def({
    label: '批量导出预警次数',
    description: '同一用户在 1 小时内导出或打印达到此次数即预警',
    category: 'security',
    schema: int(2, 200),
    default: 10,
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
