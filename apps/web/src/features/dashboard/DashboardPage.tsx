import { ReloadOutlined } from '@ant-design/icons';
import { api, type DashboardQuery } from '@dangan/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Select, Skeleton, Space } from 'antd';
import { useMemo, useState } from 'react';
import { call, errorText } from '../../api/client';
import { PageHeader } from '../../shared/components';
import { formatDateTime } from '../../shared/format';
import { BatchesSection, DefectsSection, OperatorsSection, StagesSection, StuckSection, Totals } from './DashboardSections';
import { dashboardKeys } from './keys';

const DAY_OPTIONS = [7, 14, 30, 90].map((n) => ({ value: n, label: `最近 ${n} 天` }));
const WEEK_OPTIONS = [8, 12, 26, 52].map((n) => ({ value: n, label: `最近 ${n} 周` }));

/** 加工进度看板: the digitization project seen whole, in the reader's data scope. */
export default function DashboardPage() {
  const [query, setQuery] = useState<DashboardQuery>({ days: 30, weeks: 12 });
  const { data, error, isFetching, refetch } = useQuery({
    queryKey: dashboardKeys.dashboard(query),
    queryFn: () => call(api.dashboard.get, { query }),
    placeholderData: keepPreviousData,
  });

  // The batches to choose from come with the figures for all of them: the same query while none is
  // chosen, and from the cache once one is.
  const allQuery = { days: query.days, weeks: query.weeks };
  const { data: all } = useQuery({
    queryKey: dashboardKeys.dashboard(allQuery),
    queryFn: () => call(api.dashboard.get, { query: allQuery }),
    placeholderData: keepPreviousData,
  });
  const batchOptions = useMemo(
    () => (all?.progress.batches ?? []).map((b) => ({ value: b.batchId, label: `${b.code}（${b.name}）` })),
    [all],
  );

  const set = (patch: Partial<DashboardQuery>) => setQuery((q) => ({ ...q, ...patch }));

  return (
    <>
      <PageHeader
        title="加工进度看板"
        description={data ? `统计时间 ${formatDateTime(data.generatedAt)}；只计您数据范围内的批次与档案` : '数字化加工的进度、产量、质量与滞留'}
        extra={
          <Space wrap>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder="全部批次"
              style={{ width: 240 }}
              options={batchOptions}
              value={query.batchId}
              onChange={(batchId?: string) => set({ batchId })}
              aria-label="批次"
              data-testid="dashboard-batch"
            />
            <Select style={{ width: 120 }} options={DAY_OPTIONS} value={query.days} onChange={(days: number) => set({ days })} aria-label="日产量区间" />
            <Select style={{ width: 120 }} options={WEEK_OPTIONS} value={query.weeks} onChange={(weeks: number) => set({ weeks })} aria-label="缺陷趋势区间" />
            <Button icon={<ReloadOutlined />} loading={isFetching} onClick={() => void refetch()}>
              刷新
            </Button>
          </Space>
        }
      />
      {error && <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 16 }} />}
      {!data ? (
        !error && <Skeleton active paragraph={{ rows: 12 }} />
      ) : (
        <div data-testid="dashboard" style={{ opacity: isFetching ? 0.7 : 1, transition: 'opacity 0.2s' }}>
          <Totals d={data} />
          <StagesSection d={data} query={query} />
          <BatchesSection d={data} query={query} />
          <OperatorsSection d={data} query={query} />
          <DefectsSection d={data} query={query} />
          <StuckSection d={data} query={query} />
        </div>
      )}
    </>
  );
}
