import { QuestionCircleOutlined } from '@ant-design/icons';
import { api, type SearchHit } from '@dangan/contracts';
import { DOSSIER_STATES, DOSSIER_STATE_LABELS } from '@dangan/domain';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Flex, Input, Pagination, Popover, Segmented, Select, Space, Spin, Tag, TreeSelect, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { call, errorText } from '../../api/client';
import { useSession } from '../../session/SessionProvider';
import { EmptyState, PageHeader, UnitTreeSelect } from '../../shared/components';
import { dayjs } from '../../shared/format';
import { PageHitViewer } from './PageHitViewer';
import { CLASS_OPTIONS, KIND_COLORS, KIND_LABELS, classText, highlight, searchKeys, type SearchParams } from './model';
import './search.css';

const PAGE_SIZE = 20;
const STATE_OPTIONS = DOSSIER_STATES.map((s) => ({ value: s, label: DOSSIER_STATE_LABELS[s] }));
const stateLabel = (s: string) => (DOSSIER_STATE_LABELS as Record<string, string>)[s] ?? s;

const SYNTAX = (
  <div style={{ maxWidth: 360 }} data-testid="search-syntax">
    <ul style={{ paddingInlineStart: 18, margin: 0 }}>
      <li>空格表示“且”：王伟 考核</li>
      <li>OR 表示“或”：学士 OR 硕士</li>
      <li>-词 或 NOT 词 表示“非”：王伟 -处分</li>
      <li>双引号表示短语（须连续出现）："某某局办公室主任"</li>
      <li>可用拼音首字母查姓名：wdw 可查到“王大伟”</li>
    </ul>
  </div>
);

/** The search's state lives in the address, so that coming back from a dossier finds the results as they were. */
function useSearchState() {
  const [params, setParams] = useSearchParams();
  const state = {
    q: params.get('q') ?? '',
    unitId: params.get('unitId') ?? undefined,
    classCode: params.get('classCode') ?? undefined,
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
    state: params.get('state') ?? undefined,
    sort: (params.get('sort') === 'date' ? 'date' : 'relevance') as 'date' | 'relevance',
    page: Math.max(1, Number(params.get('page')) || 1),
    pageSize: Math.min(100, Number(params.get('pageSize')) || PAGE_SIZE),
  };
  const update = (patch: Partial<typeof state>) => {
    const next = { ...state, page: 1, ...patch };
    const out = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined || v === '' || (k === 'sort' && v === 'relevance') || (k === 'page' && v === 1) || (k === 'pageSize' && v === PAGE_SIZE)) continue;
      out.set(k, String(v));
    }
    setParams(out, { replace: true });
  };
  return [state, update] as const;
}

function HitRow({ hit, onOpen }: { hit: SearchHit; onOpen: (hit: SearchHit) => void }) {
  const { can } = useSession();
  const where: string[] = [];
  if (hit.material) where.push(`${classText(hit.material.classCode)} · ${hit.material.name}`);
  if (hit.material?.formedOn) where.push(`形成时间 ${hit.material.formedOn}`);
  if (hit.kind === 'page') where.push(hit.page?.pageNo != null ? `第 ${hit.page.pageNo} 页` : '未挂接页面');
  return (
    <div className="search-hit" data-testid="search-hit" data-kind={hit.kind} data-page-id={hit.page?.id ?? undefined}>
      <Flex gap={8} align="center" wrap>
        <Tag color={KIND_COLORS[hit.kind]} style={{ marginInlineEnd: 0 }} data-testid="hit-kind">
          {KIND_LABELS[hit.kind]}
        </Tag>
        {can('cadre.read') ? (
          <Link to={`/cadres/${hit.cadre.id}`}>
            <Typography.Text strong style={{ color: 'inherit' }} data-testid="hit-cadre">
              {hit.cadre.name}
            </Typography.Text>
          </Link>
        ) : (
          <Typography.Text strong data-testid="hit-cadre">
            {hit.cadre.name}
          </Typography.Text>
        )}
        {hit.dossier && (
          <Typography.Text type="secondary">
            档案号 <span style={{ fontFamily: 'monospace' }}>{hit.dossier.dossierNo}</span>
            {hit.dossier.state && ` · ${stateLabel(hit.dossier.state)}`}
          </Typography.Text>
        )}
        {where.length > 0 && <Typography.Text type="secondary">{where.join(' · ')}</Typography.Text>}
        <span style={{ flex: 1 }} />
        {hit.kind === 'page' && (
          <Button size="small" type="link" onClick={() => onOpen(hit)} data-testid="open-page">
            查看页面
          </Button>
        )}
        {hit.kind === 'material' && hit.dossier && (
          <Link to={`/dossiers/${hit.dossier.id}/catalogue`}>
            <Button size="small" type="link">
              查看目录
            </Button>
          </Link>
        )}
      </Flex>
      <div
        className="search-hit-snippet"
        data-testid="hit-snippet"
        role={hit.kind === 'page' ? 'button' : undefined}
        tabIndex={hit.kind === 'page' ? 0 : undefined}
        style={hit.kind === 'page' ? { cursor: 'pointer' } : undefined}
        onClick={hit.kind === 'page' ? () => onOpen(hit) : undefined}
        onKeyDown={hit.kind === 'page' ? (e) => e.key === 'Enter' && onOpen(hit) : undefined}
      >
        {hit.snippet.text ? highlight(hit.snippet.text, hit.snippet.highlights) : <Typography.Text type="secondary">（无摘要）</Typography.Text>}
      </div>
    </div>
  );
}

export default function SearchPage() {
  const [s, update] = useSearchState();
  const [draft, setDraft] = useState(s.q);
  const [open, setOpen] = useState<SearchHit | null>(null);

  const query: SearchParams = {
    q: s.q, unitId: s.unitId, classCode: s.classCode, from: s.from, to: s.to, state: s.state,
    sort: s.sort, page: s.page, pageSize: s.pageSize,
  };
  const { data, error, isFetching, isPlaceholderData, refetch } = useQuery({
    queryKey: searchKeys.results(query),
    queryFn: () => call(api.search.query, { query }),
    enabled: s.q.trim().length > 0,
    placeholderData: keepPreviousData,
    retry: false,
  });
  const shown = s.q.trim() ? data : undefined;
  const monthOf = (v: string | undefined) => (v ? dayjs(v.length === 4 ? `${v}-01` : v) : null);

  return (
    <div data-testid="search-page">
      <PageHeader title="全文检索" description="在您有权查阅的干部档案中检索干部信息、材料目录与扫描页面上识别出的文字" />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Flex gap={8} align="center">
            <Input.Search
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              onSearch={(v) => {
                // The same words again search again: the pages' text may have changed meanwhile.
                if (v.trim() === s.q && s.q) void refetch();
                else update({ q: v.trim() });
              }}
              placeholder={'输入检索词，如：王伟 "某某局办公室主任"'}
              enterButton="检索"
              allowClear
              size="large"
              maxLength={200}
              aria-label="检索词"
              data-testid="search-input"
            />
            <Popover content={SYNTAX} title="检索语法" placement="bottomRight">
              <Button type="text" icon={<QuestionCircleOutlined />} aria-label="检索语法">
                语法
              </Button>
            </Popover>
          </Flex>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            空格表示“且”，OR 表示“或”，-词 或 NOT 表示“非”，双引号表示短语；可用拼音首字母查姓名
          </Typography.Text>
          <Flex gap={8} wrap align="center">
            <UnitTreeSelect
              value={s.unitId}
              onChange={(v: string | undefined) => update({ unitId: v ?? undefined })}
              placeholder="单位（含下级）"
              style={{ width: 220 }}
              aria-label="单位"
            />
            <TreeSelect
              value={s.classCode}
              onChange={(v: string | undefined) => update({ classCode: v ?? undefined })}
              treeData={CLASS_OPTIONS}
              placeholder="材料类别"
              allowClear
              treeDefaultExpandAll
              popupMatchSelectWidth={360}
              style={{ width: 220 }}
              aria-label="类别"
            />
            <DatePicker.RangePicker
              picker="month"
              value={[monthOf(s.from), monthOf(s.to)]}
              onChange={(v) => update({ from: v?.[0]?.format('YYYY-MM') ?? undefined, to: v?.[1]?.format('YYYY-MM') ?? undefined })}
              placeholder={['形成时间起', '形成时间止']}
              allowEmpty={[true, true]}
              aria-label="形成时间"
            />
            <Select
              value={s.state}
              onChange={(v: string | undefined) => update({ state: v ?? undefined })}
              options={STATE_OPTIONS}
              placeholder="档案状态"
              allowClear
              style={{ width: 140 }}
              aria-label="档案状态"
            />
            <span style={{ flex: 1 }} />
            <Segmented
              value={s.sort}
              onChange={(v) => update({ sort: v as 'date' | 'relevance' })}
              options={[{ value: 'relevance', label: '按相关度' }, { value: 'date', label: '按形成时间' }]}
              aria-label="排序"
            />
          </Flex>
        </Space>
      </Card>

      {error ? (
        <Alert type="error" showIcon title={`检索失败：${errorText(error)}`} data-testid="search-error" />
      ) : !s.q.trim() ? (
        <Card>
          <EmptyState text="请输入检索词后按“检索”" />
        </Card>
      ) : (
        <Card
          size="small"
          title={
            <span data-testid="search-total" data-total={shown && !isPlaceholderData ? shown.total : ''} data-query={isPlaceholderData ? '' : s.q}>
              {shown ? (shown.capped ? `超过 ${shown.total} 条结果` : `共 ${shown.total} 条结果`) : '正在检索…'}
              {shown?.capped && (
                <Typography.Text type="secondary" style={{ marginLeft: 8, fontWeight: 'normal' }} data-testid="search-capped">
                  命中过多，仅在先找到的结果中排序；请增加检索词或筛选条件以缩小范围
                </Typography.Text>
              )}
            </span>
          }
          extra={
            shown && (
              <Space size={4} data-testid="search-counts">
                <Tag color={KIND_COLORS.cadre}>干部 {shown.counts.cadre}</Tag>
                <Tag color={KIND_COLORS.material}>材料 {shown.counts.material}</Tag>
                <Tag color={KIND_COLORS.page}>页面 {shown.counts.page}</Tag>
              </Space>
            )
          }
          styles={{ body: { padding: 0 } }}
        >
          <Spin spinning={isFetching}>
            {shown && shown.items.length === 0 ? (
              <div style={{ padding: 24 }} data-testid="search-empty">
                <EmptyState text="没有找到符合条件的结果，请换个检索词或放宽筛选条件" />
              </div>
            ) : (
              <div data-testid="search-results">
                {shown?.items.map((hit, i) => (
                  <HitRow key={`${hit.kind}-${hit.page?.id ?? hit.material?.id ?? hit.cadre.id}-${i}`} hit={hit} onOpen={setOpen} />
                ))}
                {!shown && <div style={{ height: 120 }} />}
              </div>
            )}
          </Spin>
          {shown && shown.total > s.pageSize && (
            <Flex justify="flex-end" style={{ padding: 12 }}>
              <Pagination
                current={s.page}
                pageSize={s.pageSize}
                total={shown.total}
                showSizeChanger
                pageSizeOptions={[10, 20, 50, 100]}
                showTotal={(t) => (shown.capped ? `超过 ${t} 条` : `共 ${t} 条`)}
                onChange={(page, pageSize) => update({ page, pageSize })}
              />
            </Flex>
          )}
        </Card>
      )}
      <PageHitViewer hit={open} onClose={() => setOpen(null)} />
    </div>
  );
}
