import { z } from 'zod';
import { Id, IdParams, Timestamp, text } from './common.js';
import { endpoint } from './endpoint.js';

/** Security alerts (安全预警): raised from the audit log by the scanner, handled by the security officer. */

export const ALERT_RULES = ['fast_paging', 'off_hours', 'failed_logins', 'new_address', 'bulk_export'] as const;
export const AlertRule = z.enum(ALERT_RULES);
export type AlertRule = z.infer<typeof AlertRule>;

export const ALERT_STATES = ['new', 'acknowledged', 'closed'] as const;
export const AlertState = z.enum(ALERT_STATES);
export type AlertState = z.infer<typeof AlertState>;

export const AlertSeverity = z.enum(['high', 'medium', 'low']);
export type AlertSeverity = z.infer<typeof AlertSeverity>;

export const ALERT_RULE_LABELS: Record<AlertRule, string> = {
  fast_paging: '查阅翻页过快',
  off_hours: '非工作时间访问档案',
  failed_logins: '多次登录失败',
  new_address: '敏感角色从新地址登录',
  bulk_export: '批量导出',
};
export const ALERT_STATE_LABELS: Record<AlertState, string> = { new: '未处理', acknowledged: '已确认', closed: '已关闭' };
export const ALERT_SEVERITY_LABELS: Record<AlertSeverity, string> = { high: '高', medium: '中', low: '低' };

const Person = z.object({ id: Id, name: z.string() });

export const AlertItem = z.object({
  id: Id,
  rule: AlertRule,
  ruleLabel: z.string(),
  severity: AlertSeverity,
  user: z.object({ id: Id.nullable(), username: z.string().nullable(), name: z.string().nullable() }).describe('对象用户（地址类预警为空）'),
  clientIp: z.string().nullable(),
  title: z.string(),
  description: z.string().describe('说明：人数、次数、时长与阈值'),
  eventCount: z.number().int().describe('触发的审计事件数'),
  state: AlertState,
  raisedAt: Timestamp,
  updatedAt: Timestamp,
  firstEventAt: Timestamp,
  lastEventAt: Timestamp,
  acknowledgedBy: Person.nullable(),
  acknowledgedAt: Timestamp.nullable(),
  note: z.string().describe('确认说明'),
  closedBy: Person.nullable(),
  closedAt: Timestamp.nullable(),
  closeNote: z.string(),
});
export type AlertItem = z.infer<typeof AlertItem>;

export const AlertCounts = z.object({ new: z.number().int(), acknowledged: z.number().int(), closed: z.number().int() });
export type AlertCounts = z.infer<typeof AlertCounts>;

export const AlertList = z.object({ items: z.array(AlertItem), total: z.number().int(), counts: AlertCounts });
export type AlertList = z.infer<typeof AlertList>;

/** An audit event behind an alert: audit metadata only; labels of archive objects are withheld (三员分立). */
export const AlertEvent = z.object({
  seq: z.number().int(),
  at: Timestamp,
  username: z.string().nullable(),
  clientIp: z.string().nullable(),
  action: z.string(),
  actionLabel: z.string(),
  objectType: z.string().nullable(),
  objectLabel: z.string().nullable().describe('对象；档案内容类对象只显示类别'),
  result: z.string(),
});
export type AlertEvent = z.infer<typeof AlertEvent>;

export const AlertDetail = AlertItem.extend({
  events: z.array(AlertEvent).describe('触发预警的审计事件（最多 50 条）'),
});
export type AlertDetail = z.infer<typeof AlertDetail>;

export const AlertQuery = z.object({
  state: AlertState.optional(),
  rule: AlertRule.optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type AlertQuery = z.infer<typeof AlertQuery>;

export const AlertAcknowledge = z.object({ note: z.string().trim().max(500).optional() });
export const AlertClose = z.object({ note: text(500).describe('关闭说明（处置结果）') });

export const AlertSummary = z.object({ new: z.number().int() });
export type AlertSummary = z.infer<typeof AlertSummary>;

export const alertsApi = {
  alerts: {
    list: endpoint({
      method: 'GET', path: '/api/alerts', summary: '安全预警列表（新的在前，附各状态数量）', tag: '安全预警', access: 'alert.manage',
      query: AlertQuery, response: AlertList,
    }),
    summary: endpoint({
      method: 'GET', path: '/api/alerts/summary', summary: '未处理的安全预警数', tag: '安全预警', access: 'alert.manage',
      response: AlertSummary,
    }),
    get: endpoint({
      method: 'GET', path: '/api/alerts/:id', summary: '安全预警详情（含触发的审计事件）', tag: '安全预警', access: 'alert.manage',
      params: IdParams, response: AlertDetail,
    }),
    acknowledge: endpoint({
      method: 'POST', path: '/api/alerts/:id/acknowledge', summary: '确认安全预警', tag: '安全预警', access: 'alert.manage',
      params: IdParams, body: AlertAcknowledge, response: AlertItem,
    }),
    close: endpoint({
      method: 'POST', path: '/api/alerts/:id/close', summary: '关闭安全预警（须填写处置说明）', tag: '安全预警', access: 'alert.manage',
      params: IdParams, body: AlertClose, response: AlertItem,
    }),
  },
} as const;
