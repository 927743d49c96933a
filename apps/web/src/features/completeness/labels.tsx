import { CLASS_TREE } from '@dangan/domain';
import { Tag, Tooltip } from 'antd';
import type { CompletenessResult, MissingEntry } from './queries';

type Status = CompletenessResult['status'];

export const RESULT_STATUS: Record<Status, { label: string; color: string }> = {
  present: { label: '齐全', color: 'green' },
  missing: { label: '缺少', color: 'red' },
  unknown: { label: '无法判断', color: 'orange' },
  not_applicable: { label: '不适用', color: 'default' },
};

export const STATUS_ORDER: Status[] = ['missing', 'unknown', 'present', 'not_applicable'];

export function ResultTag({ status }: { status: Status }) {
  const s = RESULT_STATUS[status];
  return (
    <Tag color={s.color} style={{ marginInlineEnd: 0 }}>
      {s.label}
    </Tag>
  );
}

const STATE_COLORS: Record<MissingEntry['state'], string> = { pending: 'volcano', requested: 'blue', filed: 'green' };

export function MissingStateTag({ entry }: { entry: Pick<MissingEntry, 'state' | 'stateLabel'> }) {
  return (
    <Tag color={STATE_COLORS[entry.state]} style={{ marginInlineEnd: 0 }}>
      {entry.stateLabel}
    </Tag>
  );
}

const CLASS_LABELS = new Map<string, string>(CLASS_TREE.map((n) => [n.code, n.label]));

/** A 类号 with its class name on hover: 「4-1」 → 学历学位. */
export function ClassCode({ code }: { code: string }) {
  const label = CLASS_LABELS.get(code);
  return label ? (
    <Tooltip title={`第 ${code} 类：${label}`}>
      <span style={{ fontVariantNumeric: 'tabular-nums', cursor: 'help' }}>{code}</span>
    </Tooltip>
  ) : (
    <span>{code}</span>
  );
}
