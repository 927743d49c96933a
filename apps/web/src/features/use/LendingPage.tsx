import { api, type Lending, type LendingCandidate, type LendingState } from '@dangan/contracts';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, DatePicker, Form, Input, Modal, Space, Table, Tabs, Tag, Tooltip, Typography, type ButtonProps, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { call } from '../../api/client';
import { PageHeader } from '../../shared/components';
import { useErrorHandler } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';

const PAGE_SIZE = 20;
type Tab = 'pending' | LendingState;
const TABS: { key: Tab; label: string }[] = [
  { key: 'pending', label: '待借出' }, { key: 'open', label: '借出中' }, { key: 'overdue', label: '已逾期' }, { key: 'returned', label: '已归还' },
];
const lendingKeys = { all: ['lendings'] as const };

export function LendingStateTag({ lending }: { lending: Lending }) {
  const color = lending.state === 'overdue' ? 'red' : lending.state === 'open' ? 'blue' : 'default';
  return (
    <Tag color={color} data-testid="lending-state">
      {lending.stateLabel}
      {lending.state === 'overdue' ? ` ${lending.overdueDays} 天` : ''}
    </Tag>
  );
}

/** 借出: the due date (default today + the lending period, never after the grant's last day) and a note. */
function LendModal({ candidate, onClose }: { candidate: LendingCandidate | null; onClose: () => void }) {
  const [form] = Form.useForm<{ dueOn: Dayjs; note?: string }>();
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message } = App.useApp();
  const [pending, setPending] = useState(false);

  useEffect(() => {
    if (candidate) form.setFieldsValue({ dueOn: dayjs(candidate.defaultDueOn), note: '' });
  }, [candidate, form]);

  const submit = async (v: { dueOn: Dayjs; note?: string }) => {
    if (!candidate) return;
    setPending(true);
    try {
      const lending = await call(api.lendings.lend, {
        body: { requestId: candidate.requestId, dossierId: candidate.dossierId, dueOn: v.dueOn.format('YYYY-MM-DD'), note: v.note?.trim() ?? '' },
      });
      void message.success(`档案 ${lending.dossierNo} 已借出，应于 ${lending.dueOn} 归还`);
      void queryClient.invalidateQueries({ queryKey: lendingKeys.all });
      onClose();
    } catch (e) {
      handleError(e, form);
    } finally {
      setPending(false);
    }
  };

  const today = dayjs().format('YYYY-MM-DD');
  return (
    <Modal open={candidate !== null} title={candidate ? `借出档案：${candidate.dossierNo}（${candidate.cadreName}）` : '借出档案'} okText="借出"
      cancelText="取消" onOk={() => form.submit()} confirmLoading={pending} onCancel={onClose} forceRender okButtonProps={{ 'data-testid': 'lend-confirm' } as ButtonProps}>
      {candidate && (
        <Typography.Paragraph type="secondary">
          借阅人 {candidate.requester.name}（{candidate.requesterUnitName}），申请 {candidate.requestNo}，{candidate.purposeLabel}；授权至 {candidate.latestDueOn}。
        </Typography.Paragraph>
      )}
      <Form form={form} name="lend" layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item label="归还日期" name="dueOn" rules={[{ required: true, message: '请选择归还日期' }]}>
          <DatePicker data-testid="lend-due" allowClear={false}
            disabledDate={(d) => !candidate || d.format('YYYY-MM-DD') < today || d.format('YYYY-MM-DD') > candidate.latestDueOn} />
        </Form.Item>
        <Form.Item label="备注" name="note" rules={[{ max: 200, message: '不超过 200 个字' }]}>
          <Input.TextArea rows={2} placeholder="如：借出用途、交接人" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ReturnModal({ lending, onClose }: { lending: Lending | null; onClose: () => void }) {
  const [form] = Form.useForm<{ note?: string }>();
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message } = App.useApp();
  const [pending, setPending] = useState(false);

  useEffect(() => {
    if (lending) form.resetFields();
  }, [lending, form]);

  const submit = async (v: { note?: string }) => {
    if (!lending) return;
    setPending(true);
    try {
      await call(api.lendings.return, { params: { id: lending.id }, body: { note: v.note?.trim() ?? '' } });
      void message.success(`档案 ${lending.dossierNo} 已归还入库`);
      void queryClient.invalidateQueries({ queryKey: lendingKeys.all });
      onClose();
    } catch (e) {
      handleError(e, form);
    } finally {
      setPending(false);
    }
  };

  return (
    <Modal open={lending !== null} title={lending ? `归还档案：${lending.dossierNo}（${lending.cadreName}）` : '归还档案'} okText="确认归还"
      cancelText="取消" onOk={() => form.submit()} confirmLoading={pending} onCancel={onClose} forceRender okButtonProps={{ 'data-testid': 'return-confirm' } as ButtonProps}>
      {lending && (
        <Typography.Paragraph type="secondary">
          借阅人 {lending.borrower.name}，应于 {lending.dueOn} 归还{lending.state === 'overdue' ? `，已逾期 ${lending.overdueDays} 天` : ''}。请核对档案完好后确认。
        </Typography.Paragraph>
      )}
      <Form form={form} name="return" layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item label="备注" name="note" rules={[{ max: 200, message: '不超过 200 个字' }]}>
          <Input.TextArea rows={2} placeholder="如：档案完好" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function PendingTable({ onLend }: { onLend: (c: LendingCandidate) => void }) {
  const { data, isFetching } = useQuery({ queryKey: [...lendingKeys.all, 'pending'], queryFn: () => call(api.lendings.pending) });
  const columns: TableColumnsType<LendingCandidate> = [
    { title: '申请编号', dataIndex: 'requestNo', width: 130 },
    { title: '档案号', dataIndex: 'dossierNo', width: 130 },
    { title: '姓名', dataIndex: 'cadreName', width: 100 },
    { title: '借阅人', render: (_, c) => `${c.requester.name}（${c.requesterUnitName}）` },
    { title: '查阅目的', dataIndex: 'purposeLabel', width: 120 },
    { title: '授权截止', dataIndex: 'latestDueOn', width: 110 },
    { title: '档案状态', dataIndex: 'dossierStateLabel', width: 100 },
    {
      title: '操作', width: 100,
      render: (_, c) => (
        <Tooltip title={c.blockedReason ?? ''}>
          <Button size="small" type="primary" data-testid="lend-button" disabled={c.blockedReason !== null} onClick={() => onLend(c)}>借出</Button>
        </Tooltip>
      ),
    },
  ];
  return (
    <Table data-testid="lending-table" rowKey={(c) => `${c.requestId}:${c.dossierId}`} size="small" loading={isFetching} columns={columns}
      dataSource={data ?? []} pagination={false} locale={{ emptyText: '没有待借出的档案' }} />
  );
}

function LendingsTable({ state, onReturn }: { state: LendingState; onReturn: (l: Lending) => void }) {
  const [q, setQ] = useState('');
  const [pageNo, setPageNo] = useState(1);
  const query = { state, q: q || undefined, page: pageNo, pageSize: PAGE_SIZE };
  const { data, isFetching } = useQuery({
    queryKey: [...lendingKeys.all, 'list', query], queryFn: () => call(api.lendings.list, { query }), placeholderData: keepPreviousData,
  });
  const columns: TableColumnsType<Lending> = [
    { title: '档案号', dataIndex: 'dossierNo', width: 130 },
    { title: '姓名', dataIndex: 'cadreName', width: 100 },
    { title: '借阅人', render: (_, l) => `${l.borrower.name}（${l.borrowerUnitName}）` },
    { title: '申请编号', dataIndex: 'requestNo', width: 130 },
    { title: '借出时间', dataIndex: 'lentAt', width: 150, render: (v: string) => formatDateTime(v) },
    { title: '应还日期', dataIndex: 'dueOn', width: 110 },
    state === 'returned'
      ? { title: '归还时间', dataIndex: 'returnedAt', width: 150, render: (v: string | null) => formatDateTime(v) }
      : { title: '提醒', width: 90, render: (_, l) => (l.reminders > 0 ? `${l.reminders} 次` : '—') },
    { title: '状态', width: 110, render: (_, l) => <LendingStateTag lending={l} /> },
    ...(state === 'returned' ? [] : [{
      title: '操作', width: 90,
      render: (_: unknown, l: Lending) => <Button size="small" data-testid="return-button" onClick={() => onReturn(l)}>归还</Button>,
    }]),
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Input.Search allowClear placeholder="档案号、姓名、借阅人或申请编号" style={{ maxWidth: 320 }} onSearch={(v) => { setQ(v.trim()); setPageNo(1); }} />
      <Table data-testid="lending-table" rowKey="id" size="small" loading={isFetching} columns={columns} dataSource={data?.items ?? []}
        pagination={{ current: pageNo, pageSize: PAGE_SIZE, total: data?.total ?? 0, onChange: setPageNo, showTotal: (n) => `共 ${n} 条` }} />
    </Space>
  );
}

/** 借阅管理 for the archivist: hand out approved lend requests, take dossiers back, watch what is overdue. */
export default function LendingPage() {
  const [params, setParams] = useSearchParams();
  const tab = (TABS.some((t) => t.key === params.get('tab')) ? params.get('tab') : 'pending') as Tab;
  const [lending, setLending] = useState<LendingCandidate | null>(null);
  const [returning, setReturning] = useState<Lending | null>(null);
  return (
    <>
      <PageHeader title="借阅管理" description="纸质档案借出与归还；逾期未还的每天提醒一次，并列入我的待办。" />
      <Tabs activeKey={tab} onChange={(k) => setParams({ tab: k })} destroyOnHidden
        items={TABS.map((t) => ({
          key: t.key, label: t.label,
          children: t.key === 'pending' ? <PendingTable onLend={setLending} /> : <LendingsTable state={t.key} onReturn={setReturning} />,
        }))} />
      <LendModal candidate={lending} onClose={() => setLending(null)} />
      <ReturnModal lending={returning} onClose={() => setReturning(null)} />
    </>
  );
}
