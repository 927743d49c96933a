import { api } from '@dangan/contracts';
import type { ResponseOf } from '@dangan/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { call } from '../../api/client';
import { useSession } from '../../session/SessionProvider';
import { EmptyState, PageHeader } from '../../shared/components';
import { useErrorHandler } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import { keys } from '../../shared/queries';
import { displayValue, editorFor, problemOf, ValueEditor } from './editors';

type Setting = ResponseOf<typeof api.settings.list>[number];

/** The cards of the page: the security officer's settings, and the system administrator's in three parts. */
const GROUPS: { key: string; title: string; note: string; holds: (s: Setting) => boolean }[] = [
  { key: 'security', title: '安全策略', note: '由安全保密管理员维护', holds: (s) => s.category === 'security' },
  { key: 'system', title: '系统', note: '由系统管理员维护', holds: (s) => s.category === 'system' && !s.key.startsWith('scan.') },
  {
    key: 'scan', title: '扫描与图像', note: '上传与扫描图像的接收、命名与质量标准；由系统管理员维护',
    holds: (s) => s.category === 'system' && s.key.startsWith('scan.') && !s.key.startsWith('scan.sane.'),
  },
  { key: 'scanner', title: '扫描仪', note: '“扫描仪扫描”所用的设备与参数（SANE）；由系统管理员维护', holds: (s) => s.category === 'system' && s.key.startsWith('scan.sane.') },
];

/** Settings values are JSON: lists compare by content. */
function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

export default function SettingsPage() {
  const { refresh } = useSession();
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message } = App.useApp();
  const { data, isLoading } = useQuery({ queryKey: keys.settings, queryFn: () => call(api.settings.list) });
  const [drafts, setDrafts] = useState<Record<string, unknown>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});

  const save = useMutation({
    mutationFn: (s: { key: string; value: unknown }) => call(api.settings.update, { params: { key: s.key }, body: { value: s.value } }),
    onSuccess: async (saved) => {
      setDrafts(({ [saved.key]: _, ...rest }) => rest);
      setErrors(({ [saved.key]: _, ...rest }) => rest);
      await queryClient.invalidateQueries({ queryKey: keys.settings });
      // The idle timeout and the organization name travel in the session.
      await refresh();
      void message.success(`已保存「${saved.label}」`);
    },
    onError: (error, s) => {
      handleError(error);
      const reason = error instanceof Error ? error.message : '保存失败';
      setErrors((e) => ({ ...e, [s.key]: reason }));
    },
  });

  const columns: TableColumnsType<Setting> = [
    {
      title: '设置项',
      key: 'label',
      render: (_, s) => (
        <div>
          <Typography.Text strong>{s.label}</Typography.Text>
          <div>
            <Typography.Text type="secondary">{s.description}</Typography.Text>
          </div>
        </div>
      ),
    },
    {
      title: '当前值',
      key: 'value',
      width: 360,
      render: (_, s) => {
        const editor = editorFor(s.key, s.defaultValue);
        const value = s.key in drafts ? drafts[s.key] : s.value;
        const problem = s.key in drafts ? problemOf(editor, value) : null;
        const reason = problem ?? errors[s.key];
        return (
          <div>
            <ValueEditor
              editor={editor}
              label={s.label}
              value={value}
              invalid={!!reason}
              onChange={(v) => {
                setDrafts((d) => ({ ...d, [s.key]: v }));
                setErrors(({ [s.key]: _, ...rest }) => rest);
              }}
            />
            {reason ? (
              <div>
                <Typography.Text type="danger">{reason}</Typography.Text>
              </div>
            ) : (
              editor.kind === 'number' &&
              editor.min !== undefined &&
              editor.max !== undefined && (
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    取值范围 {editor.min}–{editor.max}
                  </Typography.Text>
                </div>
              )
            )}
          </div>
        );
      },
    },
    {
      title: '默认值',
      key: 'default',
      width: 150,
      render: (_, s) =>
        Array.isArray(s.defaultValue) ? (
          // One numbered entry a line, like the editor.
          <ol style={{ margin: 0, paddingInlineStart: 18, fontFamily: 'monospace', fontSize: 12, overflowWrap: 'anywhere' }}>
            {(s.defaultValue as unknown[]).map((v, i) => (
              <li key={i}>{String(v)}</li>
            ))}
          </ol>
        ) : (
          displayValue(editorFor(s.key, s.defaultValue), s.defaultValue)
        ),
    },
    {
      title: '最近修改',
      key: 'updated',
      width: 190,
      render: (_, s) =>
        s.updatedAt ? (
          <div>
            <div>{s.updatedBy ?? '—'}</div>
            <Typography.Text type="secondary">{formatDateTime(s.updatedAt)}</Typography.Text>
          </div>
        ) : (
          <Typography.Text type="secondary">未修改（使用默认值）</Typography.Text>
        ),
    },
    {
      title: '操作',
      key: 'actions',
      width: 150,
      render: (_, s) => {
        const editor = editorFor(s.key, s.defaultValue);
        const dirty = s.key in drafts && !same(drafts[s.key], s.value);
        const problem = dirty ? problemOf(editor, drafts[s.key]) : null;
        return (
          <Space size={4}>
            <Button
              type="primary"
              size="small"
              disabled={!dirty || !!problem}
              loading={save.isPending && save.variables?.key === s.key}
              onClick={() => save.mutate({ key: s.key, value: typeof drafts[s.key] === 'string' ? (drafts[s.key] as string).trim() : drafts[s.key] })}
            >
              保存
            </Button>
            {!same(s.key in drafts ? drafts[s.key] : s.value, s.defaultValue) && (
              <Button size="small" type="link" onClick={() => setDrafts((d) => ({ ...d, [s.key]: s.defaultValue }))}>
                恢复默认
              </Button>
            )}
          </Space>
        );
      },
    },
  ];

  const groups = GROUPS.map((g) => ({ ...g, items: (data ?? []).filter(g.holds) })).filter((g) => g.items.length > 0);
  return (
    <>
      <PageHeader title="系统设置" description="修改后立即生效，每次修改均记入审计日志。时间均为北京时间。" />
      <Flex vertical gap={16}>
        {isLoading && <Card loading />}
        {!isLoading && groups.length === 0 && (
          <Card>
            <EmptyState text="没有您可以修改的设置" />
          </Card>
        )}
        {groups.map((g) => (
          <Card key={g.key} title={g.title} extra={<Typography.Text type="secondary">{g.note}</Typography.Text>} data-testid={`settings-${g.key}`}>
            <Table<Setting> rowKey="key" columns={columns} dataSource={g.items} pagination={false} scroll={{ x: 900 }} />
          </Card>
        ))}
      </Flex>
    </>
  );
}
