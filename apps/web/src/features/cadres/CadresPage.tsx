import { FileExcelOutlined, PlusOutlined } from '@ant-design/icons';
import { api, type QueryOf, type ResponseOf } from '@dangan/contracts';
import { DOSSIER_STATES, DOSSIER_STATE_LABELS } from '@dangan/domain';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, Input, Select, Space, Table, Typography, type TableColumnsType, type TableProps } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { call, urlOf } from '../../api/client';
import { useSession } from '../../session/SessionProvider';
import { EmptyState, PageHeader, UnitTreeSelect } from '../../shared/components';
import { dictionaryLabel, useDictionary } from '../../shared/queries';
import { CadreFormModal, type CadreDialog } from './CadreFormModal';
import { DossierStateTag, showPartialDate } from './format';
import { cadreKeys } from './queries';

type Item = ResponseOf<typeof api.cadres.list>['items'][number];
type Sort = 'name' | 'dossierNo' | 'birthDate' | 'updatedAt';
type Order = 'asc' | 'desc';

const SORTS: { value: Sort; label: string }[] = [
  { value: 'name', label: '按姓名' },
  { value: 'dossierNo', label: '按档案号' },
  { value: 'birthDate', label: '按出生日期' },
  { value: 'updatedAt', label: '按最近修改' },
];
const SORT_VALUES = new Set<string>(SORTS.map((s) => s.value));
const STATE_OPTIONS = DOSSIER_STATES.map((s) => ({ value: s, label: DOSSIER_STATE_LABELS[s] }));
type Completeness = 'complete' | 'incomplete' | 'unknown';
const COMPLETENESS_OPTIONS: { value: Completeness; label: string }[] = [
  { value: 'complete', label: '材料齐全' },
  { value: 'incomplete', label: '缺少材料' },
  { value: 'unknown', label: '尚未检查' },
];
const COMPLETENESS_VALUES = new Set<string>(COMPLETENESS_OPTIONS.map((o) => o.value));
const PAGE_SIZE = 20;

/** 出生年月 as lists show it: year and month. */
function birthMonth(iso: string | null): string {
  return showPartialDate(iso?.slice(0, 7));
}

/** The list's filters live in the address, so that coming back from a cadre finds the list as it was. */
function useListState() {
  const [params, setParams] = useSearchParams();
  const sort = (SORT_VALUES.has(params.get('sort') ?? '') ? params.get('sort') : 'name') as Sort;
  const state = {
    q: params.get('q') ?? '',
    unitId: params.get('unitId') ?? undefined,
    state: params.get('state') ?? undefined,
    completeness: (COMPLETENESS_VALUES.has(params.get('completeness') ?? '') ? params.get('completeness') : undefined) as Completeness | undefined,
    sort,
    order: (params.get('order') === 'desc' ? 'desc' : 'asc') as Order,
    page: Math.max(1, Number(params.get('page')) || 1),
    pageSize: Number(params.get('pageSize')) || PAGE_SIZE,
  };
  const update = (patch: Partial<typeof state>) => {
    const next = { ...state, page: 1, ...patch };
    const out = new URLSearchParams();
    if (next.q) out.set('q', next.q);
    if (next.unitId) out.set('unitId', next.unitId);
    if (next.state) out.set('state', next.state);
    if (next.completeness) out.set('completeness', next.completeness);
    if (next.sort !== 'name') out.set('sort', next.sort);
    if (next.order !== 'asc') out.set('order', next.order);
    if (next.page !== 1) out.set('page', String(next.page));
    if (next.pageSize !== PAGE_SIZE) out.set('pageSize', String(next.pageSize));
    setParams(out, { replace: true });
  };
  return [state, update] as const;
}

export default function CadresPage() {
  const { can } = useSession();
  const navigate = useNavigate();
  const [list, update] = useListState();
  const [dialog, setDialog] = useState<CadreDialog | null>(null);
  const { data: genders } = useDictionary('gender');

  const query: QueryOf<typeof api.cadres.list> = {
    q: list.q || undefined,
    unitId: list.unitId,
    state: list.state,
    completeness: list.completeness,
    sort: list.sort,
    order: list.order,
    page: list.page,
    pageSize: list.pageSize,
  };
  const { data, isFetching } = useQuery({
    queryKey: cadreKeys.list(query),
    queryFn: () => call(api.cadres.list, { query }),
    placeholderData: keepPreviousData,
  });

  const sortOrderOf = (key: Sort) => (list.sort === key ? (list.order === 'asc' ? 'ascend' : 'descend') : null);
  const filtered = !!(list.q || list.unitId || list.state || list.completeness);

  const columns: TableColumnsType<Item> = [
    {
      title: '姓名',
      key: 'name',
      width: 120,
      sorter: true,
      sortOrder: sortOrderOf('name'),
      render: (_, c) => (
        <Space size={6}>
          <Link to={`/cadres/${c.id}`}>
            <Typography.Text strong style={{ color: 'inherit' }}>
              {c.name}
            </Typography.Text>
          </Link>
          {c.gender && <Typography.Text type="secondary">{dictionaryLabel(genders, c.gender)}</Typography.Text>}
        </Space>
      ),
    },
    { title: '出生年月', key: 'birthDate', width: 100, sorter: true, sortOrder: sortOrderOf('birthDate'), render: (_, c) => birthMonth(c.birthDate) },
    {
      title: '身份号码',
      dataIndex: 'idNumber',
      width: 176,
      render: (v: string | null) => (v ? <span style={{ fontFamily: 'monospace' }}>{v}</span> : <Typography.Text type="secondary">未填写</Typography.Text>),
    },
    {
      title: '现工作单位及职务',
      dataIndex: 'position',
      ellipsis: { showTitle: true },
      render: (v: string | null) => v || '—',
    },
    { title: '管理单位', dataIndex: 'managingUnitName', width: 140, ellipsis: { showTitle: true } },
    {
      title: '档案号',
      key: 'dossierNo',
      width: 112,
      sorter: true,
      sortOrder: sortOrderOf('dossierNo'),
      render: (_, c) => c.dossierNo ?? <Typography.Text type="secondary">—</Typography.Text>,
    },
    { title: '状态', key: 'state', width: 80, render: (_, c) => <DossierStateTag state={c.state} label={c.stateLabel} /> },
    {
      title: '材料/页数',
      key: 'counts',
      width: 104,
      align: 'right',
      render: (_, c) =>
        c.dossierId ? (
          <div>
            <div>{`${c.materialCount} 份 / ${c.pageCount} 页`}</div>
            {!!c.missingCount && <Typography.Text type="warning" style={{ fontSize: 12 }}>{`缺 ${c.missingCount} 项材料`}</Typography.Text>}
          </div>
        ) : (
          '—'
        ),
    },
    {
      title: '操作',
      key: 'actions',
      width: 100,
      fixed: 'right',
      render: (_, c) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => navigate(`/cadres/${c.id}`)}>
            详情
          </Button>
          {c.dossierId && can('dossier.read') && (
            <Button type="link" size="small" onClick={() => navigate(`/dossiers/${c.dossierId}/catalogue`)}>
              目录
            </Button>
          )}
        </Space>
      ),
    },
  ];

  const onTableChange: TableProps<Item>['onChange'] = (pagination, _filters, sorter, extra) => {
    if (extra.action === 'paginate') {
      const pageSize = pagination.pageSize ?? PAGE_SIZE;
      update({ page: pageSize === list.pageSize ? (pagination.current ?? 1) : 1, pageSize });
    } else if (extra.action === 'sort') {
      const s = Array.isArray(sorter) ? sorter[0] : sorter;
      const key = String(s?.columnKey ?? '');
      // A third click clears a column's sort: back to the default, by name.
      if (s?.order && SORT_VALUES.has(key)) update({ sort: key as Sort, order: s.order === 'descend' ? 'desc' : 'asc' });
      else update({ sort: 'name', order: 'asc' });
    }
  };

  return (
    <>
      <PageHeader
        title="干部档案"
        description="登记干部与档案，按姓名、拼音首字母、身份号码或档案号查找，进入档案目录著录材料。"
        extra={
          <Space>
            {(data?.items.some((i) => i.dossierId) ?? false) && (
              <Button
                icon={<FileExcelOutlined />}
                href={urlOf(api.catalogueIo.export, { query: { dossierIds: (data?.items ?? []).flatMap((i) => (i.dossierId ? [i.dossierId] : [])).join(',') } })}
                data-testid="export-page-catalogues"
              >
                导出本页目录
              </Button>
            )}
            {can('cadre.edit') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ mode: 'create' })}>
                登记干部
              </Button>
            )}
          </Space>
        }
      />
      <Card>
        <Flex gap={12} wrap style={{ marginBottom: 16 }} data-testid="cadre-filters">
          <Input.Search
            key={list.q}
            defaultValue={list.q}
            placeholder="姓名、拼音首字母、身份号码或档案号"
            allowClear
            enterButton="查询"
            aria-label="查找干部"
            style={{ width: 320 }}
            onSearch={(value) => update({ q: value.trim() })}
          />
          <UnitTreeSelect
            placeholder="按管理单位筛选"
            aria-label="按管理单位筛选"
            style={{ width: 220 }}
            value={list.unitId}
            onChange={(value: string | undefined) => update({ unitId: value })}
          />
          <Select
            allowClear
            placeholder="档案状态"
            aria-label="按档案状态筛选"
            style={{ width: 120 }}
            value={list.state}
            options={STATE_OPTIONS}
            onChange={(value: string | undefined) => update({ state: value })}
          />
          <Select
            allowClear
            placeholder="材料完整性"
            aria-label="按材料完整性筛选"
            style={{ width: 130 }}
            value={list.completeness}
            options={COMPLETENESS_OPTIONS}
            onChange={(value: Completeness | undefined) => update({ completeness: value })}
          />
          <Space.Compact>
            <Select
              aria-label="排序"
              style={{ width: 130 }}
              value={list.sort}
              options={SORTS}
              onChange={(value: Sort) => update({ sort: value, order: value === 'updatedAt' ? 'desc' : 'asc' })}
            />
            <Select
              aria-label="排序方向"
              style={{ width: 90 }}
              value={list.order}
              options={[
                { value: 'asc', label: '升序' },
                { value: 'desc', label: '降序' },
              ]}
              onChange={(value: Order) => update({ order: value })}
            />
          </Space.Compact>
        </Flex>
        <Table<Item>
          rowKey="id"
          data-testid="cadres-table"
          size="middle"
          columns={columns}
          dataSource={data?.items}
          loading={isFetching}
          scroll={{ x: 1060 }}
          onChange={onTableChange}
          showSorterTooltip={false}
          locale={{ emptyText: <EmptyState text={filtered ? '没有符合条件的干部' : '暂无干部，请点击“登记干部”'} /> }}
          pagination={{
            current: list.page,
            pageSize: list.pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [10, 20, 50, 100],
            showTotal: (total) => `共 ${total} 人`,
          }}
        />
      </Card>
      <CadreFormModal dialog={dialog} onClose={() => setDialog(null)} onCreated={(cadre) => navigate(`/cadres/${cadre.id}`)} />
    </>
  );
}
