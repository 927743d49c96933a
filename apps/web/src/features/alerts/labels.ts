import type { AlertSeverity, AlertState } from '@dangan/contracts';
import { ALERT_SEVERITY_LABELS, ALERT_STATE_LABELS } from '@dangan/contracts';

export const alertKeys = {
  all: ['alerts'] as const,
  list: (query: object) => ['alerts', 'list', query] as const,
  detail: (id: string) => ['alerts', 'detail', id] as const,
  summary: ['alerts', 'summary'] as const,
};

const SEVERITY_COLORS: Record<AlertSeverity, string> = { high: 'red', medium: 'orange', low: 'blue' };
const STATE_COLORS: Record<AlertState, string> = { new: 'red', acknowledged: 'gold', closed: 'default' };

export function severityTag(s: AlertSeverity): { text: string; color: string } {
  return { text: ALERT_SEVERITY_LABELS[s], color: SEVERITY_COLORS[s] };
}

export function stateTag(s: AlertState): { text: string; color: string } {
  return { text: ALERT_STATE_LABELS[s], color: STATE_COLORS[s] };
}

export function whoLabel(user: { username: string | null; name: string | null }): string {
  if (user.name && user.username) return `${user.name}（${user.username}）`;
  return user.username ?? user.name ?? '—';
}
