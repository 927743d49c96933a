import { api } from '@dangan/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { call } from '../../api/client';
import { useSession } from '../../session/SessionProvider';
import { useErrorHandler } from '../../shared/errors';
import { DossierPicker } from './DossierPicker';
import { invalidateProject } from './model';

interface Values {
  name: string;
  notes?: string;
  dossierIds?: string[];
}

/** 新建加工批次: a name, notes and (optionally, or later) the dossiers; the number is given by the server. */
export function CreateBatchModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const { can } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message } = App.useApp();
  const [pending, setPending] = useState(false);

  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const submit = async (v: Values) => {
    setPending(true);
    try {
      const batch = await call(api.batches.create, { body: { name: v.name.trim(), notes: v.notes?.trim() ?? '', dossierIds: v.dossierIds ?? [] } });
      void message.success(`已新建批次 ${batch.code}`);
      void invalidateProject(queryClient);
      onClose();
      navigate(`/batches/${batch.id}`);
    } catch (e) {
      handleError(e, form);
    } finally {
      setPending(false);
    }
  };

  return (
    <Modal
      open={open}
      title="新建加工批次"
      okText="新建"
      cancelText="取消"
      onOk={() => form.submit()}
      confirmLoading={pending}
      onCancel={onClose}
      width={640}
      forceRender
    >
      <Form form={form} name="batch-create" layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item label="批次名称" name="name" rules={[{ required: true, whitespace: true, message: '请填写批次名称' }, { max: 60, message: '不超过 60 个字' }]}>
          <Input placeholder="如：2026 年第一批干部档案数字化" maxLength={60} autoFocus />
        </Form.Item>
        <Form.Item label="备注" name="notes" rules={[{ max: 500, message: '不超过 500 个字' }]}>
          <Input.TextArea rows={2} maxLength={500} placeholder="加工单位、合同号等（可不填）" />
        </Form.Item>
        {can('cadre.read') && (
          <Form.Item label="档案" name="dossierIds" extra="只有「在库」的档案可以出库加工；也可以新建后再加入">
            <DossierPicker />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
