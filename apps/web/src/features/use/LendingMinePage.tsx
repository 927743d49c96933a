import { api, type Lending } from '@dangan/contracts';
import { useQuery } from '@tanstack/react-query';
import { Table, type TableColumnsType } from 'antd';
import { call } from '../../api/client';
import { PageHeader } from '../../shared/components';
import { formatDateTime } from '../../shared/format';
import { LendingStateTag } from './LendingPage';

/** 我的借阅: what the borrower has out, when it is due, and what is overdue (已逾期). */
export default function LendingMinePage() {
  const { data, isFetching } = useQuery({ queryKey: ['lendings', 'mine'], queryFn: () => call(api.lendings.mine) });
  const columns: TableColumnsType<Lending> = [
    { title: '档案号', dataIndex: 'dossierNo', width: 130 },
    { title: '姓名', dataIndex: 'cadreName', width: 100 },
    { title: '申请编号', dataIndex: 'requestNo', width: 130 },
    { title: '借出时间', dataIndex: 'lentAt', width: 150, render: (v: string) => formatDateTime(v) },
    { title: '应还日期', dataIndex: 'dueOn', width: 110 },
    { title: '归还时间', dataIndex: 'returnedAt', width: 150, render: (v: string | null) => formatDateTime(v) },
    { title: '状态', width: 120, render: (_, l) => <LendingStateTag lending={l} /> },
  ];
  return (
    <>
      <PageHeader title="我的借阅" description="借出的纸质档案请在应还日期前交回档案室；逾期将每天提醒。" />
      <Table data-testid="my-lending-table" rowKey="id" size="small" loading={isFetching} columns={columns} dataSource={data ?? []}
        pagination={false} locale={{ emptyText: '没有借阅记录' }} />
    </>
  );
}
