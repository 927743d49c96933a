import { ReadOutlined } from '@ant-design/icons';
import { api, type ReadingGrant } from '@dangan/contracts';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useNavigate } from 'react-router-dom';
import { call } from '../../api/client';
import { EmptyState, PageHeader } from '../../shared/components';
import { formatDateTime } from '../../shared/format';
import { readingKeys } from './readerApi';

const MODE_COLORS: Record<string, string> = { read: 'blue', print: 'purple', excerpt: 'geekblue' };

/** 我的查阅: the reader's running grants, each opened in the reading room view. */
export default function ReadingGrantsPage() {
  const navigate = useNavigate();
  const { data = [], isFetching } = useQuery({ queryKey: readingKeys.grants, queryFn: () => call(api.reading.grants), refetchInterval: 60_000 });

  const columns: TableColumnsType<ReadingGrant> = [
    { title: '申请编号', dataIndex: 'requestNo', width: 130 },
    {
      title: '干部', key: 'cadre',
      render: (_, g) => (
        <div>
          <Typography.Text strong>{g.cadreName}</Typography.Text>
          <div>
            <Typography.Text type="secondary">档案号 {g.dossierNo}</Typography.Text>
          </div>
        </div>
      ),
    },
    { title: '方式', dataIndex: 'modeLabel', width: 120, render: (label: string, g) => <Tag color={MODE_COLORS[g.mode]}>{label}</Tag> },
    { title: '授权范围', dataIndex: 'scopeSummary' },
    { title: '有效期至', dataIndex: 'until', width: 170, render: (v: string) => formatDateTime(v) },
    {
      title: '打印', key: 'prints', width: 120,
      render: (_, g) => (g.mode === 'read' ? <Typography.Text type="secondary">不可打印</Typography.Text> : `已用 ${g.printsUsed} / ${g.printLimit} 次`),
    },
    {
      title: '操作', key: 'actions', width: 120,
      render: (_, g) => (
        <Button type="primary" icon={<ReadOutlined />} onClick={() => navigate(`/reading/${g.requestId}/${g.dossierId}`)}>
          开始查阅
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHeader title="我的查阅" description="已批准且在有效期内的查阅授权。查阅时每页均带有您的姓名、单位、时间和地址水印，所看每一页都将记入查阅记录。" />
      <Card>
        <Table<ReadingGrant>
          data-testid="reading-grants"
          rowKey={(g) => `${g.requestId}:${g.dossierId}`}
          columns={columns}
          dataSource={data}
          loading={isFetching && data.length === 0}
          pagination={false}
          locale={{ emptyText: <EmptyState text="暂无有效的查阅授权。请先提交查阅申请，待审批通过后在此查阅。" /> }}
        />
      </Card>
    </>
  );
}
