import { api, type BatchDetail } from '@dangan/contracts';
import { useQuery } from '@tanstack/react-query';
import { Alert, Form, Input, InputNumber, Modal, Select, Table, Typography } from 'antd';
import { useEffect, useState, type HTMLAttributes } from 'react';
import { call } from '../../api/client';
import { useMe } from '../../session/SessionProvider';
import { projectKeys } from './model';
import { useProjectAction } from './useProjectAction';

function useOperators(enabled: boolean) {
  return useQuery({ queryKey: projectKeys.operators, queryFn: () => call(api.batches.operators), enabled });
}

function operatorOptions(list: { id: string; name: string; username: string; roles: string[] }[] | undefined, exclude: string) {
  return (list ?? [])
    .filter((u) => u.id !== exclude)
    .map((u) => ({ value: u.id, label: `${u.name}（${u.username}）${u.roles.length ? ` · ${u.roles.join('、')}` : ''}` }));
}

/**
 * 出库交接: the clerk hands the batch's paper to the processing side. The counts come from the
 * catalogue; both sides then confirm, each for himself, and only then are the dossiers 出库加工.
 */
export function CheckOutModal({ batch, open, onClose }: { batch: BatchDetail; open: boolean; onClose: () => void }) {
  const me = useMe();
  const [form] = Form.useForm<{ receiverId: string; note?: string }>();
  const { run } = useProjectAction();
  const [pending, setPending] = useState(false);
  const operators = useOperators(open);

  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const submit = async (v: { receiverId: string; note?: string }) => {
    setPending(true);
    const ok = await run('handover', () => call(api.batches.handOver, { params: { id: batch.id }, body: { receiverId: v.receiverId, note: v.note?.trim() ?? '' } }), '已登记出库交接，请双方确认');
    setPending(false);
    if (ok) onClose();
  };

  return (
    <Modal open={open} title={`出库交接：${batch.code}`} okText="登记交接" cancelText="取消" onOk={() => form.submit()} confirmLoading={pending} onCancel={onClose} width={720} forceRender>
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title={`交出方为您本人（${me.user.displayName}）。登记后双方各自确认，确认完成档案即为「出库加工」。`} />
      <Form form={form} name="checkout-handover" layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item label="接收方（加工方）" name="receiverId" rules={[{ required: true, message: '请选择接收方' }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} loading={operators.isLoading} options={operatorOptions(operators.data, me.user.id)} placeholder="选择扫描、加工人员" />
        </Form.Item>
        <Form.Item label="备注" name="note">
          <Input maxLength={500} placeholder="可不填" />
        </Form.Item>
      </Form>
      <Typography.Text strong>交接清单（数量取自档案目录）</Typography.Text>
      <Table
        rowKey="dossierId"
        size="small"
        style={{ marginTop: 8 }}
        pagination={false}
        dataSource={batch.dossiers}
        data-testid="checkout-items"
        columns={[
          { title: '档案号', dataIndex: 'dossierNo', width: 140 },
          { title: '姓名', dataIndex: 'cadreName' },
          { title: '材料', dataIndex: 'materialCount', align: 'right', render: (n: number) => `${n} 份` },
          { title: '页数', dataIndex: 'pageCount', align: 'right', render: (n: number) => `${n} 页` },
        ]}
        summary={(rows) => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={2}>{`合计 ${rows.length} 卷`}</Table.Summary.Cell>
            <Table.Summary.Cell index={2} align="right">{`${rows.reduce((n, r) => n + r.materialCount, 0)} 份`}</Table.Summary.Cell>
            <Table.Summary.Cell index={3} align="right">{`${rows.reduce((n, r) => n + r.pageCount, 0)} 页`}</Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
    </Modal>
  );
}

interface CheckInRow {
  materials: number;
  pages: number;
  note?: string;
}

/**
 * 入库交接: the processing side returns the paper; the clerk counts what comes back, dossier by
 * dossier, against what went out. A difference needs a note. Both sides confirm, then the dossiers are 在库.
 */
export function CheckInModal({ batch, open, onClose }: { batch: BatchDetail; open: boolean; onClose: () => void }) {
  const me = useMe();
  const [form] = Form.useForm<{ giverId: string; note?: string; items: Record<string, CheckInRow> }>();
  const { run } = useProjectAction();
  const [pending, setPending] = useState(false);
  const operators = useOperators(open);
  const out = batch.handovers.find((h) => h.direction === 'out' && h.completedAt);
  const expected = new Map((out?.items ?? []).map((i) => [i.dossierId, i]));
  const rows = batch.dossiers.map((d) => ({
    ...d,
    outMaterials: expected.get(d.dossierId)?.materials ?? d.materialCount,
    outPages: expected.get(d.dossierId)?.pages ?? d.pageCount,
  }));
  const items = Form.useWatch('items', form);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({
      giverId: out?.receiver.id,
      items: Object.fromEntries(rows.map((r) => [r.dossierId, { materials: r.outMaterials, pages: r.outPages, note: '' }])),
    });
    // Only when the dialog opens: later changes of the batch must not overwrite what the clerk counted.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const submit = async (v: { giverId: string; note?: string; items: Record<string, CheckInRow> }) => {
    setPending(true);
    const body = {
      giverId: v.giverId,
      note: v.note?.trim() ?? '',
      items: rows.map((r) => ({
        dossierId: r.dossierId,
        materials: v.items[r.dossierId]?.materials ?? 0,
        pages: v.items[r.dossierId]?.pages ?? 0,
        note: v.items[r.dossierId]?.note?.trim() ?? '',
      })),
    };
    const ok = await run('check-in', () => call(api.batches.checkIn, { params: { id: batch.id }, body }), '已登记入库交接，请双方确认');
    setPending(false);
    if (ok) onClose();
  };

  const differs = (dossierId: string, r: { outMaterials: number; outPages: number }) => {
    const got = items?.[dossierId];
    return !!got && (got.materials !== r.outMaterials || got.pages !== r.outPages);
  };

  return (
    <Modal open={open} title={`入库交接：${batch.code}`} okText="登记交接" cancelText="取消" onOk={() => form.submit()} confirmLoading={pending} onCancel={onClose} width={880} forceRender>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title={`接收方为您本人（${me.user.displayName}）。请逐卷清点交回的材料份数和页数，与出库时不符的须写明原因。`}
      />
      <Form form={form} name="check-in" layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item label="交还方（加工方）" name="giverId" rules={[{ required: true, message: '请选择交还方' }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} loading={operators.isLoading} options={operatorOptions(operators.data, me.user.id)} placeholder="选择交还档案的加工人员" style={{ maxWidth: 420 }} />
        </Form.Item>
        <Table
          rowKey="dossierId"
          size="small"
          pagination={false}
          dataSource={rows}
          data-testid="check-in-items"
          onRow={(r) => ({ 'data-dossier': r.dossierNo }) as HTMLAttributes<HTMLElement>}
          columns={[
            { title: '档案号', dataIndex: 'dossierNo', width: 120 },
            { title: '姓名', dataIndex: 'cadreName', width: 90 },
            { title: '出库时', key: 'out', width: 110, render: (_, r) => `${r.outMaterials} 份 ${r.outPages} 页` },
            {
              title: '交回材料（份）',
              key: 'materials',
              width: 120,
              render: (_, r) => (
                <Form.Item name={['items', r.dossierId, 'materials']} noStyle rules={[{ required: true }]}>
                  <InputNumber min={0} max={100000} precision={0} style={{ width: 96 }} aria-label={`${r.dossierNo} 交回材料份数`} />
                </Form.Item>
              ),
            },
            {
              title: '交回页数',
              key: 'pages',
              width: 120,
              render: (_, r) => (
                <Form.Item name={['items', r.dossierId, 'pages']} noStyle rules={[{ required: true }]}>
                  <InputNumber min={0} max={1000000} precision={0} style={{ width: 96 }} aria-label={`${r.dossierNo} 交回页数`} />
                </Form.Item>
              ),
            },
            {
              title: '差异说明',
              key: 'note',
              render: (_, r) => (
                <Form.Item
                  name={['items', r.dossierId, 'note']}
                  style={{ margin: 0 }}
                  rules={[{ required: differs(r.dossierId, r), whitespace: true, message: '数量与出库时不符，请说明原因' }]}
                >
                  <Input
                    maxLength={500}
                    placeholder={differs(r.dossierId, r) ? '数量不符，须说明' : '相符时可不填'}
                    status={differs(r.dossierId, r) ? 'warning' : undefined}
                    aria-label={`${r.dossierNo} 差异说明`}
                  />
                </Form.Item>
              ),
            },
          ]}
        />
        <Form.Item label="备注" name="note" style={{ marginTop: 12 }}>
          <Input maxLength={500} placeholder="可不填" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
