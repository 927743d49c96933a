import type { AuditEvent } from '@dangan/contracts';
import { Descriptions, Flex, Table, Tag, Typography } from 'antd';
import { displayValue, editorFor } from '../settings/editors';
import { formatValue, keyLabel, type ValueContext } from './labels';

interface DiffRow {
  key: string;
  label: string;
  before: string;
  after: string;
  changed: boolean;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function diffRows(event: AuditEvent, before: unknown, after: unknown, ctx: ValueContext): DiffRow[] {
  if (isRecord(before) || isRecord(after)) {
    const b = isRecord(before) ? before : {};
    const a = isRecord(after) ? after : {};
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
    return keys.map((k) => ({
      key: k,
      label: keyLabel(k),
      before: isRecord(before) ? formatValue(k, b[k], ctx) : '—',
      after: isRecord(after) ? formatValue(k, a[k], ctx) : '—',
      changed: !same(b[k], a[k]),
    }));
  }
  // A setting's value, or a list such as a user's roles.
  const key = event.action === 'user.roles' ? 'roles' : 'value';
  const show = (v: unknown) =>
    event.objectType === 'setting' && event.objectId ? displayValue(editorFor(event.objectId, v), v) : formatValue(key, v, ctx);
  return [{ key, label: keyLabel(key), before: show(before), after: show(after), changed: !same(before, after) }];
}

function BeforeAfter({ event, before, after, ctx }: { event: AuditEvent; before: unknown; after: unknown; ctx: ValueContext }) {
  const rows = diffRows(event, before, after, ctx);
  const created = before === undefined;
  return (
    <Table<DiffRow>
      size="small"
      bordered
      pagination={false}
      rowKey="key"
      data-testid="audit-diff"
      dataSource={rows}
      rowClassName={(r) => (r.changed && !created ? 'audit-changed' : '')}
      columns={[
        {
          title: '项目',
          dataIndex: 'label',
          width: 180,
          render: (label: string, r) => (
            <Flex gap={6} align="center">
              <span>{label}</span>
              {r.changed && !created && <Tag color="orange">已变更</Tag>}
            </Flex>
          ),
        },
        ...(created ? [] : [{ title: '修改前', dataIndex: 'before', render: (v: string) => <span style={{ wordBreak: 'break-all' }}>{v}</span> }]),
        { title: created ? '内容' : '修改后', dataIndex: 'after', render: (v: string) => <span style={{ wordBreak: 'break-all' }}>{v}</span> },
      ]}
    />
  );
}

export function AuditDetail({ event, ctx }: { event: AuditEvent; ctx: ValueContext }) {
  const detail = event.detail;
  const hasDiff = isRecord(detail) && ('before' in detail || 'after' in detail);
  const rest = isRecord(detail) ? Object.entries(detail).filter(([k]) => !hasDiff || (k !== 'before' && k !== 'after')) : [];

  return (
    <Flex vertical gap={12} style={{ padding: '4px 8px' }} data-testid="audit-detail">
      {hasDiff && <BeforeAfter event={event} before={detail.before} after={detail.after} ctx={ctx} />}
      {rest.length > 0 && (
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, lg: 2 }}
          items={rest.map(([k, v]) => ({ key: k, label: keyLabel(k), children: formatValue(k, v, ctx) }))}
        />
      )}
      {detail !== null && !isRecord(detail) && <Typography.Text>{formatValue('value', detail, ctx)}</Typography.Text>}
      {detail === null && <Typography.Text type="secondary">此事件无更多详情。</Typography.Text>}
      <Descriptions
        size="small"
        column={{ xs: 1, lg: 2 }}
        items={[
          { key: 'oid', label: '对象标识', children: event.objectId ?? '—' },
          { key: 'alg', label: '哈希算法', children: event.algorithm === 'sm3' ? 'SM3（国密）' : event.algorithm === 'sha256' ? 'SHA-256' : event.algorithm },
          {
            key: 'hash',
            label: '哈希值',
            span: 'filled',
            children: (
              <Typography.Text code style={{ fontSize: 12, wordBreak: 'break-all' }}>
                {event.hash}
              </Typography.Text>
            ),
          },
        ]}
      />
    </Flex>
  );
}
