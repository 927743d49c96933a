import { api, type AlertEvent } from '@dangan/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Descriptions, Drawer, Space, Spin, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { call } from '../../api/client';
import { formatDateTime } from '../../shared/format';
import { RESULT_LABELS } from '../audit/labels';
import { alertKeys, severityTag, stateTag, whoLabel } from './labels';
import { NoteModal } from './NoteModal';

const eventColumns: TableColumnsType<AlertEvent> = [
  { title: '序号', dataIndex: 'seq', width: 80, align: 'right' },
  { title: '时间（北京时间）', dataIndex: 'at', width: 170, render: formatDateTime },
  { title: '用户', dataIndex: 'username', width: 120, render: (v: string | null) => v ?? '—' },
  { title: '地址', dataIndex: 'clientIp', width: 130, render: (v: string | null) => v ?? '—' },
  { title: '事件', dataIndex: 'actionLabel', width: 140 },
  { title: '对象', dataIndex: 'objectLabel', render: (v: string | null) => v ?? '—' },
  {
    title: '结果',
    dataIndex: 'result',
    width: 80,
    render: (r: string) => {
      const l = RESULT_LABELS[r as keyof typeof RESULT_LABELS];
      return l ? <Tag color={l.color}>{l.text}</Tag> : r;
    },
  },
];

/** One alert: what raised it (audit metadata only, never archive content) and its handling. */
export function AlertDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<'acknowledge' | 'close' | null>(null);
  const { data: alert, isFetching } = useQuery({
    queryKey: alertKeys.detail(id ?? ''),
    queryFn: () => call(api.alerts.get, { params: { id: id! } }),
    enabled: !!id,
  });

  const done = async (text: string) => {
    await queryClient.invalidateQueries({ queryKey: alertKeys.all });
    void message.success(text);
  };
  const acknowledge = useMutation({
    mutationFn: (note: string) => call(api.alerts.acknowledge, { params: { id: id! }, body: note ? { note } : {} }),
    onSuccess: () => done('预警已确认'),
  });
  const close = useMutation({
    mutationFn: (note: string) => call(api.alerts.close, { params: { id: id! }, body: { note } }),
    onSuccess: () => done('预警已关闭'),
  });

  const sev = alert && severityTag(alert.severity);
  const state = alert && stateTag(alert.state);
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      size={920}
      destroyOnHidden
      data-testid="alert-drawer"
      title={alert ? `安全预警：${alert.ruleLabel}` : '安全预警'}
      extra={
        alert && (
          <Space>
            {alert.state === 'new' && (
              <Button type="primary" data-testid="alert-acknowledge" onClick={() => setDialog('acknowledge')}>
                确认
              </Button>
            )}
            {alert.state !== 'closed' && (
              <Button danger data-testid="alert-close" onClick={() => setDialog('close')}>
                关闭
              </Button>
            )}
          </Space>
        )
      }
    >
      {!alert ? (
        <Spin spinning={isFetching} style={{ display: 'block', margin: '48px auto' }} />
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions bordered size="small" column={2} data-testid="alert-detail">
            <Descriptions.Item label="规则">{alert.ruleLabel}</Descriptions.Item>
            <Descriptions.Item label="级别">
              <Tag color={sev!.color}>{sev!.text}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label="对象用户">{whoLabel(alert.user)}</Descriptions.Item>
            <Descriptions.Item label="地址">{alert.clientIp ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="说明" span={2}>
              {alert.description}
            </Descriptions.Item>
            <Descriptions.Item label="首次事件">{formatDateTime(alert.firstEventAt)}</Descriptions.Item>
            <Descriptions.Item label="最近事件">{formatDateTime(alert.lastEventAt)}</Descriptions.Item>
            <Descriptions.Item label="产生时间">{formatDateTime(alert.raisedAt)}</Descriptions.Item>
            <Descriptions.Item label="状态">
              <Tag color={state!.color}>{state!.text}</Tag>
            </Descriptions.Item>
            {alert.acknowledgedBy && (
              <Descriptions.Item label="确认" span={2}>
                {alert.acknowledgedBy.name}，{formatDateTime(alert.acknowledgedAt)}
                {alert.note && <>：{alert.note}</>}
              </Descriptions.Item>
            )}
            {alert.closedBy && (
              <Descriptions.Item label="关闭" span={2}>
                {alert.closedBy.name}，{formatDateTime(alert.closedAt)}：{alert.closeNote}
              </Descriptions.Item>
            )}
          </Descriptions>
          <div>
            <Typography.Title level={5}>触发的审计事件（{alert.eventCount} 条{alert.events.length < alert.eventCount ? `，显示最近 ${alert.events.length} 条` : ''}）</Typography.Title>
            <Typography.Paragraph type="secondary">档案内容类对象只显示类别；完整记录请由安全审计员在审计日志中查阅。</Typography.Paragraph>
            <Table<AlertEvent>
              size="small"
              rowKey="seq"
              data-testid="alert-events"
              columns={eventColumns}
              dataSource={alert.events}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              scroll={{ x: 820 }}
            />
          </div>
        </Space>
      )}
      <NoteModal
        open={dialog === 'acknowledge'}
        title="确认安全预警"
        name="alert-acknowledge-form"
        okText="确认"
        required={false}
        onClose={() => setDialog(null)}
        onSubmit={(note) => acknowledge.mutateAsync(note)}
      />
      <NoteModal
        open={dialog === 'close'}
        title="关闭安全预警"
        name="alert-close-form"
        okText="关闭预警"
        required
        onClose={() => setDialog(null)}
        onSubmit={(note) => close.mutateAsync(note)}
      />
    </Drawer>
  );
}
