import { api } from '@dangan/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Input, Space, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { call } from '../../api/client';
import { useSession } from '../../session/SessionProvider';
import { EmptyState, PageHeader } from '../../shared/components';
import { useErrorHandler } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import { definitionText } from './describe';
import { ClassCode } from './labels';
import { completenessKeys, useCompletenessRules } from './queries';
import { SynonymTags } from './SynonymTags';
import './completeness.css';

type Rule = NonNullable<ReturnType<typeof useCompletenessRules>['data']>[number];

interface Draft {
  label: string;
  enabled: boolean;
  synonyms: string[];
}

function draftOf(r: Rule): Draft {
  return { label: r.label, enabled: r.enabled, synonyms: r.synonyms };
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The fields of a draft that differ from the saved rule: what PATCH sends. */
function changes(r: Rule, d: Draft): { label?: string; enabled?: boolean; synonyms?: string[] } {
  return {
    ...(d.label.trim() !== r.label ? { label: d.label.trim() } : {}),
    ...(d.enabled !== r.enabled ? { enabled: d.enabled } : {}),
    ...(!sameList(d.synonyms, r.synonyms) ? { synonyms: d.synonyms } : {}),
  };
}

function labelProblem(label: string): string | null {
  const t = label.trim();
  if (!t) return '请填写名称';
  if (t.length > 60) return '名称不超过 60 个字';
  return null;
}

/** `/completeness-rules`: the rules that say which materials a dossier should hold, editable per row. */
export default function RulesPage() {
  const { can } = useSession();
  const canManage = can('completeness.manage');
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message } = App.useApp();
  const { data: rules, isLoading } = useCompletenessRules();
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [savingCode, setSavingCode] = useState<string | null>(null);

  const draft = (r: Rule): Draft => drafts[r.code] ?? draftOf(r);
  const edit = (r: Rule, patch: Partial<Draft>) => setDrafts((prev) => ({ ...prev, [r.code]: { ...(prev[r.code] ?? draftOf(r)), ...patch } }));
  const discard = (code: string) =>
    setDrafts((prev) => {
      const next = { ...prev };
      delete next[code];
      return next;
    });
  const dirty = (r: Rule) => !!drafts[r.code] && Object.keys(changes(r, drafts[r.code]!)).length > 0;

  const save = useMutation({
    mutationFn: (r: Rule) => call(api.completeness.updateRule, { params: { code: r.code }, body: changes(r, draft(r)) }),
    onMutate: (r) => setSavingCode(r.code),
    onSuccess: async (saved) => {
      queryClient.setQueryData<Rule[]>(completenessKeys.rules, (old) => old?.map((r) => (r.code === saved.code ? saved : r)));
      discard(saved.code);
      void message.success(`已保存规则「${saved.label}」，各档案的完整性将按新规则检查`);
      // Reports shown elsewhere were made with the old rule.
      await queryClient.invalidateQueries({ queryKey: ['completeness', 'report'] });
    },
    onError: (error) => handleError(error),
    onSettled: () => setSavingCode(null),
  });

  const columns: TableColumnsType<Rule> = [
    {
      title: '名称',
      dataIndex: 'label',
      width: 210,
      render: (_, r) => {
        const d = draft(r);
        const problem = canManage ? labelProblem(d.label) : null;
        return (
          <div>
            {canManage ? (
              <Input
                value={d.label}
                status={problem ? 'error' : undefined}
                maxLength={60}
                onChange={(e) => edit(r, { label: e.target.value })}
                aria-label={`规则名称：${r.label}`}
              />
            ) : (
              <Typography.Text strong>{r.label}</Typography.Text>
            )}
            {problem && (
              <Typography.Text type="danger" style={{ display: 'block', fontSize: 12 }}>
                {problem}
              </Typography.Text>
            )}
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, marginTop: 4 }}>
              {r.updatedBy ? `${r.updatedBy} 修改于 ${formatDateTime(r.updatedAt)}` : '初始规则'}
            </Typography.Text>
          </div>
        );
      },
    },
    { title: '类号', dataIndex: 'classCode', width: 52, render: (code: string) => <ClassCode code={code} /> },
    {
      title: '启用',
      dataIndex: 'enabled',
      width: 76,
      render: (_, r) => (
        <Switch
          checked={draft(r).enabled}
          disabled={!canManage}
          checkedChildren="启用"
          unCheckedChildren="停用"
          onChange={(enabled) => edit(r, { enabled })}
          aria-label={`启用规则：${r.label}`}
        />
      ),
    },
    {
      title: '同义名称',
      key: 'synonyms',
      width: 270,
      render: (_, r) => (
        <SynonymTags value={draft(r).synonyms} editable={canManage} label={r.label} onChange={(synonyms) => edit(r, { synonyms })} />
      ),
    },
    {
      title: '适用范围与要求',
      key: 'definition',
      width: 220,
      render: (_, r) => {
        const d = definitionText(r.definition);
        if (!d) return <Typography.Text type="secondary">—</Typography.Text>;
        return (
          <div style={{ fontSize: 13 }}>
            <div>
              <Typography.Text type="secondary">适用：</Typography.Text>
              {d.applies}
            </div>
            <div>
              <Typography.Text type="secondary">要求：</Typography.Text>
              {d.expects}
            </div>
          </div>
        );
      },
    },
    {
      title: '依据',
      dataIndex: 'basis',
      render: (v: string) => (
        <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 13 }} ellipsis={{ rows: 3, tooltip: v }}>
          {v}
        </Typography.Paragraph>
      ),
    },
    ...(canManage
      ? [
          {
            title: '操作',
            key: 'actions',
            width: 104,
            fixed: 'right' as const,
            render: (_: unknown, r: Rule) => {
              if (!dirty(r)) return null;
              return (
                <Space orientation="vertical" size={4}>
                  <Tag color="orange">未保存</Tag>
                  <Space size={4}>
                    <Button
                      type="primary"
                      size="small"
                      disabled={!!labelProblem(draft(r).label) || (savingCode !== null && savingCode !== r.code)}
                      loading={savingCode === r.code}
                      onClick={() => save.mutate(r)}
                      data-testid={`save-rule-${r.code}`}
                    >
                      保存
                    </Button>
                    <Button size="small" disabled={savingCode === r.code} onClick={() => discard(r.code)}>
                      撤销
                    </Button>
                  </Space>
                </Space>
              );
            },
          },
        ]
      : []),
  ];

  const unsaved = (rules ?? []).filter(dirty).length;
  return (
    <>
      <PageHeader
        title="完整性规则"
        description="规定干部档案中通常应有的材料。检查时按干部信息判断规则是否适用，材料名称包含任一同义名称即算作该材料；停用的规则不参与检查。"
      />
      {!canManage && <Alert type="info" showIcon style={{ marginBottom: 16 }} title="您可以查看规则；修改规则需要“维护材料完整性规则”权限。" />}
      {unsaved > 0 && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={`有 ${unsaved} 条规则的修改尚未保存，请在该行点击“保存”。`} />
      )}
      <Card>
        <Table<Rule>
          rowKey="code"
          size="middle"
          data-testid="rules-table"
          columns={columns}
          dataSource={rules}
          loading={isLoading}
          pagination={false}
          scroll={{ x: 1120 }}
          rowClassName={(r) => (draft(r).enabled ? '' : 'rule-disabled')}
          locale={{ emptyText: <EmptyState text="暂无完整性规则" /> }}
        />
      </Card>
    </>
  );
}
