import { ReloadOutlined } from '@ant-design/icons';
import { api, TASK_KINDS, TASK_KIND_LABELS, type TaskItem, type TaskKind } from '@dangan/contracts';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, List, Segmented, Skeleton, Space, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { call, errorText } from '../../api/client';
import { EmptyState, PageHeader } from '../../shared/components';
import { dayjs, formatDateTime } from '../../shared/format';
import { dashboardKeys } from './keys';

const KIND_COLORS: Record<TaskKind, string> = { rework: 'orange', approval: 'gold', handover: 'cyan', inspection: 'blue', overdue: 'red' };

function waited(since: string): string {
  const days = dayjs().diff(dayjs(since), 'day');
  return days >= 1 ? `${days} 天前` : '今天';
}

function TaskRow({ item }: { item: TaskItem }) {
  return (
    <List.Item data-testid="task" data-kind={item.kind}>
      <List.Item.Meta
        title={
          <Space size={8} wrap>
            <Tag color={KIND_COLORS[item.kind]} style={{ marginInlineEnd: 0 }}>
              {item.kindLabel}
            </Tag>
            <Link to={item.link}>{item.title}</Link>
            {item.overdue && item.kind !== 'overdue' && <Tag color="error">逾期</Tag>}
          </Space>
        }
        description={item.detail}
      />
      <Tooltip title={formatDateTime(item.since)}>
        <Typography.Text type={item.overdue ? 'danger' : 'secondary'} style={{ whiteSpace: 'nowrap' }}>
          {waited(item.since)}
        </Typography.Text>
      </Tooltip>
    </List.Item>
  );
}

/** 我的待办: what the signed-in user has to do in the digitization project, overdue first. */
export default function TasksPage() {
  const [kind, setKind] = useState<TaskKind | 'all'>('all');
  const { data, error, isFetching, refetch } = useQuery({ queryKey: dashboardKeys.tasks, queryFn: () => call(api.tasks.list), staleTime: 0 });
  const items = (data?.items ?? []).filter((i) => kind === 'all' || i.kind === kind);
  const count = (k: TaskKind) => data?.summary.byKind[k] ?? 0;

  return (
    <>
      <PageHeader
        title="我的待办"
        description={
          data ? `共 ${data.summary.total} 项${data.summary.overdue > 0 ? `，其中 ${data.summary.overdue} 项已超过 ${data.stuckDays} 天` : ''}` : '整改、审批、交接确认、质检与逾期事项'
        }
        extra={
          <Button icon={<ReloadOutlined />} loading={isFetching} onClick={() => void refetch()}>
            刷新
          </Button>
        }
      />
      {error && <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 16 }} />}
      <Card size="small">
        <Segmented
          value={kind}
          onChange={(v) => setKind(v as TaskKind | 'all')}
          options={[
            { value: 'all', label: `全部 ${data?.summary.total ?? 0}` },
            ...TASK_KINDS.map((k) => ({ value: k, label: `${TASK_KIND_LABELS[k]} ${count(k)}`, disabled: count(k) === 0 })),
          ]}
          style={{ marginBottom: 8 }}
          data-testid="task-kinds"
        />
        {!data && !error ? (
          <Skeleton active />
        ) : items.length === 0 ? (
          <EmptyState text="暂无待办事项" />
        ) : (
          <List dataSource={items} rowKey="key" renderItem={(item) => <TaskRow item={item} />} data-testid="tasks" />
        )}
      </Card>
    </>
  );
}
