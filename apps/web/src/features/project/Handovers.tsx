import { CheckCircleFilled, ClockCircleOutlined } from '@ant-design/icons';
import { api, type BatchDetail, type Handover } from '@dangan/contracts';
import { Button, Card, Descriptions, Empty, Flex, Space, Table, Tag, Typography } from 'antd';
import { call } from '../../api/client';
import { useMe } from '../../session/SessionProvider';
import { formatDateTime } from '../../shared/format';
import { myHandoverPart } from './model';
import { useProjectAction } from './useProjectAction';

type Item = Handover['items'][number];

function Confirmation({ label, name, at }: { label: string; name: string; at: string | null }) {
  return (
    <Space size={6}>
      <span>{`${label}：${name}`}</span>
      {at ? (
        <Typography.Text type="success">
          <CheckCircleFilled /> {`已确认 ${formatDateTime(at)}`}
        </Typography.Text>
      ) : (
        <Typography.Text type="warning">
          <ClockCircleOutlined /> 待确认
        </Typography.Text>
      )}
    </Space>
  );
}

/** One 交接登记: who gives, who receives, each side's confirmation, and the counts dossier by dossier. */
export function HandoverCard({ handover: h }: { handover: Handover }) {
  const me = useMe();
  const { run, busy } = useProjectAction();
  const mine = myHandoverPart(h, me.user.id);
  const out = h.direction === 'out';
  const columns = [
    { title: '档案号', dataIndex: 'dossierNo', width: 120 },
    { title: '姓名', dataIndex: 'cadreName', width: 100 },
    {
      title: out ? '材料（目录）' : '材料（交回 / 交出）',
      key: 'materials',
      width: 140,
      align: 'right' as const,
      render: (_: unknown, i: Item) => (out ? `${i.materials} 份` : `${i.materials} / ${i.expectedMaterials} 份`),
    },
    {
      title: out ? '页数（目录）' : '页数（交回 / 交出）',
      key: 'pages',
      width: 140,
      align: 'right' as const,
      render: (_: unknown, i: Item) => (out ? `${i.pages} 页` : `${i.pages} / ${i.expectedPages} 页`),
    },
    {
      title: '差异说明',
      key: 'note',
      render: (_: unknown, i: Item) =>
        i.difference ? <Typography.Text type="warning">{i.note ? `数量不符：${i.note}` : '数量不符'}</Typography.Text> : <Typography.Text type="secondary">相符</Typography.Text>,
    },
  ];
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      data-testid="handover-card"
      data-direction={h.direction}
      title={
        <Space>
          <span>{out ? '出库交接' : '入库交接'}</span>
          {h.completedAt ? <Tag color="green">{`已完成 ${formatDateTime(h.completedAt)}`}</Tag> : <Tag color="gold">待双方确认</Tag>}
        </Space>
      }
      extra={
        mine.pending && (
          <Button
            type="primary"
            loading={busy === `confirm:${h.id}`}
            onClick={() => void run(`confirm:${h.id}`, () => call(api.handovers.confirm, { params: { id: h.id } }), `已作为${mine.side}确认交接`)}
            data-testid="confirm-handover"
          >
            {`确认交接（${mine.side}）`}
          </Button>
        )
      }
    >
      <Descriptions size="small" column={3} style={{ marginBottom: 8 }}>
        <Descriptions.Item label="登记">{`${h.createdBy.name} ${formatDateTime(h.createdAt)}`}</Descriptions.Item>
        <Descriptions.Item label="合计">{`${h.totals.dossiers} 卷 ${h.totals.materials} 份 ${h.totals.pages} 页`}</Descriptions.Item>
        <Descriptions.Item label="备注">{h.note || '—'}</Descriptions.Item>
      </Descriptions>
      <Flex gap={32} wrap style={{ marginBottom: 8 }} data-testid="handover-sides">
        <Confirmation label="交出方" name={h.giver.name} at={h.giverConfirmedAt} />
        <Confirmation label="接收方" name={h.receiver.name} at={h.receiverConfirmedAt} />
      </Flex>
      <Table<Item> rowKey="dossierId" size="small" columns={columns} dataSource={h.items} pagination={false} />
    </Card>
  );
}

export function HandoverList({ batch }: { batch: BatchDetail }) {
  if (batch.handovers.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚未登记交接" />;
  return (
    <div data-testid="handovers">
      {batch.handovers.map((h) => (
        <HandoverCard key={h.id} handover={h} />
      ))}
    </div>
  );
}
