import { ALERT_RULE_LABELS, type AlertEvent, type AlertItem } from '@dangan/contracts';
import type { AlertTable } from '../../platform/db/schema.use.js';
import { actionLabel } from '../audit/audit.actions.js';
import type { AlertRow, EventRow } from './alerts.repository.js';
import { describe, type AlertFigures, type Burst } from './alerts.rules.js';

export function burstOf(row: AlertTable): Burst {
  return {
    id: row.id,
    key: row.dedupe_key,
    rule: row.rule,
    subject: row.subject,
    userId: row.user_id,
    username: row.username,
    clientIp: row.client_ip,
    firstSeq: Number(row.first_seq),
    lastSeq: Number(row.last_seq),
    closed: row.state === 'closed',
    figures: JSON.parse(row.detail) as AlertFigures,
    raised: false,
    touched: false,
  };
}

export function toAlertItem(row: AlertRow): AlertItem {
  const figures = JSON.parse(row.detail) as AlertFigures;
  const who = row.user_name && row.username ? `${row.user_name}（${row.username}）` : (row.username ?? row.user_name ?? '');
  return {
    id: row.id,
    rule: row.rule,
    ruleLabel: ALERT_RULE_LABELS[row.rule],
    severity: row.severity,
    user: { id: row.user_id, username: row.username, name: row.user_name },
    clientIp: row.client_ip,
    title: row.title,
    description: describe(row.rule, who, row.client_ip, figures),
    eventCount: Number(row.event_count),
    state: row.state,
    raisedAt: row.raised_at,
    updatedAt: row.updated_at,
    firstEventAt: figures.firstAt,
    lastEventAt: figures.lastAt,
    acknowledgedBy: row.acknowledged_by ? { id: row.acknowledged_by, name: row.acknowledged_name ?? '' } : null,
    acknowledgedAt: row.acknowledged_at,
    note: row.note,
    closedBy: row.closed_by ? { id: row.closed_by, name: row.closed_name ?? '' } : null,
    closedAt: row.closed_at,
    closeNote: row.close_note,
  };
}

/**
 * Objects whose labels are account and system metadata. Every other label (a cadre's name, a dossier
 * number with a material title, a search text) is archive content, which the security officer must
 * not see (三员分立): only its kind is shown; the auditor reads the full event in the audit log.
 */
const METADATA_OBJECTS = new Set(['user', 'session', 'role', 'unit', 'setting', 'dictionary', 'alert', 'audit', 'route']);

const OBJECT_KINDS: Record<string, string> = {
  cadre: '干部', dossier: '档案', material: '材料', page: '页面', catalogue: '目录', search: '检索', relative: '家庭成员',
  reading: '查阅', reading_session: '查阅', access_request: '查阅申请', print: '打印件', lending: '借阅', stats: '统计',
};

export function objectLabelFor(objectType: string | null, label: string | null): string | null {
  if (objectType === null) return label;
  if (METADATA_OBJECTS.has(objectType)) return label;
  return `${OBJECT_KINDS[objectType] ?? '档案对象'}（内容不予显示）`;
}

export function toAlertEvent(e: EventRow): AlertEvent {
  return {
    seq: e.seq,
    at: e.at,
    username: e.username,
    clientIp: e.clientIp,
    action: e.action,
    actionLabel: actionLabel(e.action),
    objectType: e.objectType,
    objectLabel: objectLabelFor(e.objectType, e.objectLabel),
    result: e.result,
  };
}
