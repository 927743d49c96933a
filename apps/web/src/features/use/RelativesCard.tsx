import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { api, type Relative } from '@dangan/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Form, Input, Modal, Popconfirm, Row, Select, Space, Table } from 'antd';
import { useEffect, useState } from 'react';
import { call } from '../../api/client';
import { useSession } from '../../session/SessionProvider';
import { useErrorHandler } from '../../shared/errors';
import { dictionaryOptions, useDictionary } from '../../shared/queries';
import { useKeys, useRelatives } from './queries';

interface Values {
  relation: string;
  name: string;
  idNumber: string;
  birthDate: string;
  workUnit: string;
}

type Dialog = { mode: 'create' } | { mode: 'edit'; relative: Relative };

/** 家庭成员 on the cadre's page: recorded so that 回避 recognises a relative asking for his dossier. */
export function RelativesCard({ cadreId }: { cadreId: string }) {
  const { can } = useSession();
  const { data, isLoading } = useRelatives(cadreId);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message } = App.useApp();
  const editable = can('cadre.edit');

  const remove = useMutation({
    mutationFn: (r: Relative) => call(api.relatives.remove, { params: { id: cadreId, relativeId: r.id } }),
    onSuccess: async (_, r) => {
      await queryClient.invalidateQueries({ queryKey: useKeys.relatives(cadreId) });
      void message.success(`已删除家庭成员「${r.name}」`);
    },
    onError: (e) => handleError(e),
  });

  return (
    <Card
      title="家庭成员"
      data-testid="relatives-card"
      extra={editable && (
        <Button icon={<PlusOutlined />} onClick={() => setDialog({ mode: 'create' })} data-testid="relative-add">
          添加家庭成员
        </Button>
      )}
    >
      <Table<Relative>
        rowKey="id"
        size="small"
        loading={isLoading}
        dataSource={data ?? []}
        pagination={false}
        data-testid="relatives-table"
        locale={{ emptyText: '未登记家庭成员' }}
        columns={[
          { title: '称谓', dataIndex: 'relationLabel', width: 110 },
          { title: '姓名', dataIndex: 'name', width: 120 },
          { title: '公民身份号码', dataIndex: 'idNumber', width: 200, render: (v: string | null) => <span style={{ fontFamily: 'monospace' }}>{v ?? '—'}</span> },
          { title: '出生日期', dataIndex: 'birthDate', width: 120, render: (v: string | null) => v ?? '—' },
          { title: '工作单位及职务', dataIndex: 'workUnit', render: (v: string) => v || '—' },
          ...(editable ? [{
            title: '操作', key: 'actions', width: 150,
            render: (_: unknown, r: Relative) => (
              <Space size={4}>
                <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setDialog({ mode: 'edit', relative: r })}>修改</Button>
                <Popconfirm title={`删除家庭成员「${r.name}」？`} okText="删除" cancelText="取消" okButtonProps={{ danger: true }} onConfirm={() => remove.mutateAsync(r)}>
                  <Button size="small" type="link" danger icon={<DeleteOutlined />}>删除</Button>
                </Popconfirm>
              </Space>
            ),
          }] : []),
        ]}
      />
      <RelativeModal cadreId={cadreId} dialog={dialog} onClose={() => setDialog(null)} />
    </Card>
  );
}

function RelativeModal({ cadreId, dialog, onClose }: { cadreId: string; dialog: Dialog | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const { data: relations } = useDictionary('relation');
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const editing = dialog?.mode === 'edit' ? dialog.relative : null;

  useEffect(() => {
    if (!dialog) return;
    form.resetFields();
    const r = dialog.mode === 'edit' ? dialog.relative : null;
    form.setFieldsValue({ relation: r?.relation, name: r?.name ?? '', idNumber: r?.idNumber ?? '', birthDate: r?.birthDate ?? '', workUnit: r?.workUnit ?? '' });
  }, [dialog, form]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = { relation: v.relation, name: v.name.trim(), idNumber: v.idNumber?.trim() || null, birthDate: v.birthDate?.trim() || null, workUnit: v.workUnit?.trim() ?? '' };
      return editing
        ? call(api.relatives.update, { params: { id: cadreId, relativeId: editing.id }, body })
        : call(api.relatives.create, { params: { id: cadreId }, body });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: useKeys.relatives(cadreId) });
      onClose();
    },
    onError: (e) => handleError(e, form),
  });

  return (
    <Modal open={!!dialog} title={editing ? `修改家庭成员：${editing.name}` : '添加家庭成员'} okText="保存" cancelText="取消"
      onOk={() => form.submit()} confirmLoading={save.isPending} onCancel={onClose} forceRender width={560}>
      <Form form={form} name="relative" layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="relative-form">
        <Row gutter={16}>
          <Col span={10}>
            <Form.Item label="称谓" name="relation" rules={[{ required: true, message: '请选择称谓' }]}>
              <Select options={dictionaryOptions(relations, editing?.relation)} placeholder="请选择" data-testid="relative-relation" />
            </Form.Item>
          </Col>
          <Col span={14}>
            <Form.Item label="姓名" name="name" rules={[{ required: true, whitespace: true, message: '请输入姓名' }]}>
              <Input maxLength={40} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label="公民身份号码" name="idNumber" extra="用于查阅回避；填写后按 GB 11643 校验">
          <Input maxLength={20} autoComplete="off" />
        </Form.Item>
        <Form.Item label="出生日期" name="birthDate" extra="如 1975、1975.06 或 1975-06-12；填写身份证号时可不填">
          <Input maxLength={20} autoComplete="off" />
        </Form.Item>
        <Form.Item label="工作单位及职务" name="workUnit">
          <Input maxLength={100} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
