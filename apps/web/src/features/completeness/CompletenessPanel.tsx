import { InfoCircleOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { api } from '@dangan/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Segmented, Skeleton, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, call, errorText } from '../../api/client';
import { useSession } from '../../session/SessionProvider';
import { EmptyState } from '../../shared/components';
import { useErrorHandler } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import { ClassCode, MissingStateTag, RESULT_STATUS, ResultTag, STATUS_ORDER } from './labels';
import { completenessKeys, putRegister, useCompletenessReport, type CompletenessResult, type MissingEntry } from './queries';
import { AdvanceModal, NoteMissingModal, type AdvanceDraft, type NoteDraft } from './RegisterModals';

type Filter = 'all' | CompletenessResult['status'];

/** A missing result names its items; one without a list misses the rule's material itself. */
function itemsOf(r: CompletenessResult): string[] {
  return r.missingItems?.length ? r.missingItems : [r.label];
}

/** The latest register entry of each item (the register is in the order noted). */
function latestEntries(register: MissingEntry[]): Map<string, MissingEntry> {
  const map = new Map<string, MissingEntry>();
  for (const e of register) map.set(e.item, e);
  return map;
}

const FOLDED = 6;

/**
 * A dossier's completeness (DOMAIN.md §3): the overall state, each rule's result with what is missing
 * and why, and the register of missing materials (欠缺材料登记) that follows each one until it is filed.
 * Embeddable in any dossier page; refreshes itself when that dossier's catalogue changes in the cache.
 */
export function CompletenessPanel({ dossierId }: { dossierId: string }) {
  const { can } = useSession();
  const canEdit = can('catalogue.edit');
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message, modal } = App.useApp();
  const { data: report, error, isLoading, isFetching, refetch } = useCompletenessReport(dossierId);
  const [filter, setFilter] = useState<Filter>('all');
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [note, setNote] = useState<NoteDraft | null>(null);
  const [advance, setAdvance] = useState<AdvanceDraft | null>(null);
  const [bulkRule, setBulkRule] = useState<string | null>(null);

  // The catalogue page keeps the dossier's catalogue under ['catalogue', id]; when it changes there,
  // the report is out of date. This observer only watches the cache, it never fetches.
  const { dataUpdatedAt: catalogueAt } = useQuery({
    queryKey: ['catalogue', dossierId],
    queryFn: () => call(api.dossiers.catalogue, { params: { id: dossierId } }),
    enabled: false,
  });
  const seenCatalogueAt = useRef(0);
  useEffect(() => {
    if (!catalogueAt) return;
    const before = seenCatalogueAt.current;
    seenCatalogueAt.current = catalogueAt;
    if (before && before !== catalogueAt) void queryClient.invalidateQueries({ queryKey: completenessKeys.report(dossierId) });
  }, [catalogueAt, dossierId, queryClient]);

  const rows = useMemo(() => {
    const all = (report?.results ?? []).map((r, i) => ({ ...r, index: i }));
    return all
      .filter((r) => filter === 'all' || r.status === filter)
      .sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || a.index - b.index);
  }, [report, filter]);

  if (error) {
    return (
      <Alert
        type="error"
        showIcon
        title="无法加载材料完整性报告"
        description={error instanceof ApiError ? error.message : errorText(error)}
        action={<Button onClick={() => void refetch()}>重试</Button>}
      />
    );
  }
  if (isLoading || !report) {
    return (
      <Card title="材料完整性">
        <Skeleton active paragraph={{ rows: 6 }} />
      </Card>
    );
  }

  const noted = latestEntries(report.register);
  const counts = Object.fromEntries(STATUS_ORDER.map((s) => [s, report.results.filter((r) => r.status === s).length])) as Record<
    CompletenessResult['status'],
    number
  >;
  const ruleLabel = new Map(report.results.map((r) => [r.code, r.label]));

  const noteAll = async (r: CompletenessResult, items: string[]) => {
    setBulkRule(r.code);
    let register: MissingEntry[] | null = null;
    let done = 0;
    try {
      for (const item of items) {
        register = await call(api.completeness.note, { params: { id: dossierId }, body: { item, ruleCode: r.code, remark: '' } });
        done += 1;
      }
      void message.success(`已登记 ${done} 项欠缺材料（${r.label}）`);
    } catch (e) {
      handleError(e);
    } finally {
      if (register) putRegister(queryClient, dossierId, register);
      else if (done === 0) void queryClient.invalidateQueries({ queryKey: completenessKeys.report(dossierId) });
      setBulkRule(null);
    }
  };

  const missingCell = (r: CompletenessResult & { index: number }) => {
    if (r.status !== 'missing' && !(r.status === 'unknown' && r.missingItems?.length)) {
      return <Typography.Text type="secondary">—</Typography.Text>;
    }
    const items = itemsOf(r);
    const isMissing = r.status === 'missing';
    const shown = expanded.has(r.code) ? items : items.slice(0, FOLDED);
    const unregistered = items.filter((i) => !noted.has(i));
    return (
      <Flex vertical gap={2} data-testid={`missing-items-${r.code}`}>
        {!isMissing && <Typography.Text type="warning">可能缺少：</Typography.Text>}
        {shown.map((item) => {
          const entry = noted.get(item);
          return (
            <Flex key={item} align="center" gap={6} wrap>
              <Typography.Text type={isMissing ? 'danger' : 'secondary'}>{item}</Typography.Text>
              {entry ? (
                <Tooltip
                  title={
                    entry.state === 'filed'
                      ? `欠缺材料登记中已于 ${formatDateTime(entry.filedAt)} 归档，但目录中尚未著录该材料，请在档案目录中著录`
                      : `已于 ${formatDateTime(entry.notedAt)} 登记为欠缺材料`
                  }
                >
                  <span>
                    <MissingStateTag entry={entry} />
                  </span>
                </Tooltip>
              ) : (
                isMissing &&
                canEdit && (
                  <Button
                    type="link"
                    size="small"
                    style={{ padding: 0, height: 'auto' }}
                    onClick={() => setNote({ item, ruleCode: r.code, fromRule: `${r.label}：${r.reason}` })}
                    data-testid="note-from-rule"
                  >
                    登记欠缺
                  </Button>
                )
              )}
            </Flex>
          );
        })}
        {items.length > FOLDED && (
          <Button
            type="link"
            size="small"
            style={{ padding: 0, height: 'auto', alignSelf: 'flex-start' }}
            onClick={() =>
              setExpanded((prev) => {
                const next = new Set(prev);
                if (next.has(r.code)) next.delete(r.code);
                else next.add(r.code);
                return next;
              })
            }
          >
            {expanded.has(r.code) ? '收起' : `展开其余 ${items.length - FOLDED} 项`}
          </Button>
        )}
        {isMissing && canEdit && unregistered.length > 1 && (
          <Button
            size="small"
            style={{ alignSelf: 'flex-start', marginTop: 4 }}
            loading={bulkRule === r.code}
            disabled={bulkRule !== null && bulkRule !== r.code}
            onClick={() =>
              modal.confirm({
                title: `将 ${unregistered.length} 项登记为欠缺材料？`,
                content: `${unregistered.slice(0, 10).join('、')}${unregistered.length > 10 ? ` 等 ${unregistered.length} 项` : ''}，登记后状态为“待收集”。`,
                okText: '全部登记',
                cancelText: '取消',
                onOk: () => noteAll(r, unregistered),
              })
            }
          >
            全部登记（{unregistered.length} 项）
          </Button>
        )}
      </Flex>
    );
  };

  const resultColumns: TableColumnsType<CompletenessResult & { index: number }> = [
    {
      title: '规则',
      dataIndex: 'label',
      width: 190,
      render: (label: string, r) => (
        <Space size={4} align="start">
          <Typography.Text strong>{label}</Typography.Text>
          <Tooltip title={<>依据：{r.basis}</>} styles={{ root: { maxWidth: 420 } }}>
            <InfoCircleOutlined style={{ color: '#8c8c8c', cursor: 'help' }} aria-label={`${label}的依据`} />
          </Tooltip>
        </Space>
      ),
    },
    { title: '类号', dataIndex: 'classCode', width: 64, render: (code: string) => <ClassCode code={code} /> },
    { title: '结果', dataIndex: 'status', width: 92, render: (s: CompletenessResult['status']) => <ResultTag status={s} /> },
    { title: '缺少的材料', key: 'missing', width: 280, render: (_, r) => missingCell(r) },
    { title: '说明', dataIndex: 'reason', render: (v: string) => <Typography.Text type="secondary">{v}</Typography.Text> },
  ];

  const registerColumns: TableColumnsType<MissingEntry> = [
    {
      title: '欠缺材料',
      dataIndex: 'item',
      render: (item: string, e) => (
        <div>
          <Typography.Text strong={e.state !== 'filed'}>
            {item}
          </Typography.Text>
          {e.ruleCode && (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                规则：{ruleLabel.get(e.ruleCode) ?? e.ruleCode}
              </Typography.Text>
            </div>
          )}
        </div>
      ),
    },
    { title: '状态', dataIndex: 'state', width: 90, render: (_, e) => <MissingStateTag entry={e} /> },
    { title: '登记时间', dataIndex: 'notedAt', width: 160, render: (v: string) => formatDateTime(v) },
    { title: '催要时间', dataIndex: 'requestedAt', width: 160, render: (v: string | null) => formatDateTime(v) },
    { title: '归档时间', dataIndex: 'filedAt', width: 160, render: (v: string | null) => formatDateTime(v) },
    { title: '备注', dataIndex: 'remark', width: 180, render: (v: string) => v || <Typography.Text type="secondary">—</Typography.Text> },
    ...(canEdit
      ? [
          {
            title: '操作',
            key: 'actions',
            width: 150,
            fixed: 'right' as const,
            render: (_: unknown, e: MissingEntry) =>
              e.state === 'filed' ? (
                <Typography.Text type="secondary">已完成</Typography.Text>
              ) : (
                <Space size={0}>
                  {e.state === 'pending' && (
                    <Button type="link" size="small" onClick={() => setAdvance({ entry: e, to: 'requested' })} data-testid="mark-requested">
                      已催要
                    </Button>
                  )}
                  <Button type="link" size="small" onClick={() => setAdvance({ entry: e, to: 'filed' })} data-testid="mark-filed">
                    已归档
                  </Button>
                </Space>
              ),
          },
        ]
      : []),
  ];

  const stateCounts = (['pending', 'requested', 'filed'] as const).map((s) => ({
    state: s,
    n: report.register.filter((e) => e.state === s).length,
  }));

  return (
    <Flex vertical gap={16} data-testid="completeness-panel">
      <Card
        size="small"
        title={
          <Space size={12} wrap>
            <span>材料完整性</span>
            {report.status === 'complete' ? (
              <Tag color="green" style={{ fontSize: 14, padding: '2px 10px' }} data-testid="completeness-status">
                材料齐全
              </Tag>
            ) : (
              <Tag color="red" style={{ fontSize: 14, padding: '2px 10px' }} data-testid="completeness-status">
                缺 {report.missingCount} 项
              </Tag>
            )}
            {counts.unknown > 0 && (
              <Typography.Text type="warning" style={{ fontWeight: 'normal' }}>
                另有 {counts.unknown} 条规则无法判断
              </Typography.Text>
            )}
          </Space>
        }
        extra={
          <Space size={12}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              检查于 {formatDateTime(report.evaluatedAt)}
            </Typography.Text>
            <Button size="small" icon={<ReloadOutlined />} loading={isFetching} onClick={() => void refetch()}>
              重新检查
            </Button>
          </Space>
        }
      >
        <Flex justify="space-between" align="center" gap={12} wrap style={{ marginBottom: 12 }}>
          <Segmented<Filter>
            value={filter}
            onChange={setFilter}
            options={[
              { value: 'all', label: `全部 ${report.results.length}` },
              ...STATUS_ORDER.map((s) => ({ value: s, label: `${RESULT_STATUS[s].label} ${counts[s]}`, disabled: counts[s] === 0 })),
            ]}
            aria-label="按结果筛选"
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            按干部信息和已著录的材料检查；“无法判断”多因干部信息不全，补全后自动重新检查
          </Typography.Text>
        </Flex>
        <Table
          size="small"
          rowKey="code"
          data-testid="completeness-results"
          columns={resultColumns}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 860 }}
          locale={{ emptyText: <EmptyState text={filter === 'all' ? '没有启用的完整性规则' : '没有此类结果'} /> }}
        />
      </Card>

      <Card
        size="small"
        title={
          <Space size={12} wrap>
            <span>欠缺材料登记</span>
            {stateCounts.map(({ state, n }) => (
              <Typography.Text key={state} type="secondary" style={{ fontWeight: 'normal', fontSize: 13 }}>
                <MissingStateTag entry={{ state, stateLabel: { pending: '待收集', requested: '已催要', filed: '已归档' }[state] }} /> {n}
              </Typography.Text>
            ))}
          </Space>
        }
        extra={
          canEdit && (
            <Button
              size="small"
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setNote({ item: '', ruleCode: null })}
              data-testid="note-by-hand"
            >
              登记欠缺材料
            </Button>
          )
        }
      >
        <Table
          size="small"
          rowKey="id"
          data-testid="missing-register"
          columns={registerColumns}
          dataSource={report.register}
          pagination={report.register.length > 20 ? { pageSize: 20 } : false}
          scroll={{ x: 1000 }}
          locale={{ emptyText: <EmptyState text="暂无欠缺材料登记" /> }}
        />
      </Card>

      <NoteMissingModal dossierId={dossierId} draft={note} rules={report.results} onClose={() => setNote(null)} />
      <AdvanceModal dossierId={dossierId} draft={advance} onClose={() => setAdvance(null)} />
    </Flex>
  );
}
