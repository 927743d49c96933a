import { ReloadOutlined } from '@ant-design/icons';
import { ALERT_RULES, ALERT_RULE_LABELS, api, type AlertItem, type AlertRule, type AlertState } from '@dangan/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Select, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { call } from '../../api/client';
import { EmptyState, PageHeader } from '../../shared/components';
import { formatDateTime } from '../../shared/format';
import { AlertDrawer } from './AlertDrawer';
import { alertKeys, severityTag, stateTag, whoLabel } from './labels';

type Tab = AlertState | 'all';
const TABS: { key: Tab; label: string }[] = [
  { key: 'new', label: '未处理' },
  { key: 'acknowledged', label: '已确认' },
  { key: 'closed', label: '已关闭' },
  { key: 'all', label: '全部' },
];

const columns: TableColumnsType<AlertItem> = [
  { title: '时间', dataIndex: 'lastEventAt', width: 170, render: formatDateTime },
  { title: '规则', dataIndex: 'ruleLabel', width: 170 },
  {
    title: '级别',
    dataIndex: 'severity',
    width: 70,
    render: (s: AlertItem['severity']) => {
      const t = severityTag(s);
      return <Tag color={t.color}>{t.text}</Tag>;
    },
  },
  { title: '对象用户', key: 'user', width: 170, render: (_, a) => whoLabel(a.user) },
  { title: '地址', dataIndex: 'clientIp', width: 130, render: (v: string | null) => v ?? '—' },
  { title: '说明', dataIndex: 'description', render: (v: string) => <Typography.Text>{v}</Typography.Text> },
  {
    title: '状态',
    dataIndex: 'state',
    width: 90,
    render: (s: AlertState) => {
      const t = stateTag(s);
      return <Tag color={t.color}>{t.text}</Tag>;
    },
  },
];

/** 安全预警: what the scanner raised from the audit log, for the security officer to acknowledge and close. */
export default function AlertsPage() {
  const [params, setParams] = useSearchParams();
  const tab = (TABS.some((t) => t.key === params.get('state')) ? params.get('state') : 'new') as Tab;
  const [rule, setRule] = useState<AlertRule | undefined>();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [openId, setOpenId] = useState<string | null>(null);

  const query = { ...(tab === 'all' ? {} : { state: tab }), ...(rule ? { rule } : {}), page, pageSize };
  const { data, isFetching, refetch } = useQuery({
    queryKey: alertKeys.list(query),
    queryFn: () => call(api.alerts.list, { query }),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });

  const counts = data?.counts;
  const countOf = (key: Tab) => (!counts ? null : key === 'all' ? counts.new + counts.acknowledged + counts.closed : counts[key]);

  return (
    <>
      <PageHeader
        title="安全预警"
        description="系统依据审计日志自动发现的异常行为：翻页过快、非工作时间访问档案、多次登录失败、敏感角色从新地址登录、批量导出。时间均为北京时间。"
        extra={
          <>
            <Select<AlertRule>
              allowClear
              placeholder="全部规则"
              style={{ width: 200 }}
              aria-label="规则"
              value={rule}
              options={ALERT_RULES.map((r) => ({ value: r, label: ALERT_RULE_LABELS[r] }))}
              onChange={(v) => {
                setRule(v);
                setPage(1);
              }}
            />
            <Button icon={<ReloadOutlined />} onClick={() => void refetch()} loading={isFetching}>
              刷新
            </Button>
          </>
        }
      />
      <Card>
        <Tabs
          activeKey={tab}
          data-testid="alert-tabs"
          onChange={(key) => {
            setParams({ state: key }, { replace: true });
            setPage(1);
          }}
          items={TABS.map((t) => {
            const n = countOf(t.key);
            return { key: t.key, label: n === null ? t.label : `${t.label}（${n}）` };
          })}
        />
        <Table<AlertItem>
          rowKey="id"
          data-testid="alerts-table"
          columns={columns}
          dataSource={data?.items}
          loading={isFetching}
          onRow={(a) => ({ onClick: () => setOpenId(a.id), style: { cursor: 'pointer' } })}
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            hideOnSinglePage: true,
            showTotal: (t) => `共 ${t} 条`,
            onChange: (p, s) => {
              setPage(p);
              setPageSize(s);
            },
          }}
          scroll={{ x: 1100 }}
          locale={{ emptyText: <EmptyState text={tab === 'new' ? '没有未处理的安全预警' : '没有安全预警'} /> }}
        />
      </Card>
      <AlertDrawer id={openId} onClose={() => setOpenId(null)} />
    </>
  );
}
