import { api, type Unit } from '@dangan/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useEffect } from 'react';
import { call } from '../../api/client';
import { UnitTreeSelect } from '../../shared/components';
import { useErrorHandler } from '../../shared/errors';
import { useLatched } from '../../shared/useLatched';
import { dictionaryOptions, keys, useDictionary } from '../../shared/queries';

interface Values {
  parentId: string | null;
  code: string;
  name: string;
  type: string | null;
  sortOrder: number;
}

export type UnitDialog = { mode: 'create'; parentId: string | null } | { mode: 'edit'; unit: Unit };

export function UnitFormModal({ dialog, onClose, onSaved }: { dialog: UnitDialog | null; onClose: () => void; onSaved: (u: Unit) => void }) {
  const [form] = Form.useForm<Values>();
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message } = App.useApp();
  const { data: types } = useDictionary('unit_type');
  const shown = useLatched(dialog);
  const editing = shown?.mode === 'edit' ? shown.unit : null;

  useEffect(() => {
    if (!dialog) return;
    form.resetFields();
    form.setFieldsValue(
      dialog.mode === 'edit'
        ? { parentId: dialog.unit.parentId, code: dialog.unit.code, name: dialog.unit.name, type: dialog.unit.type, sortOrder: dialog.unit.sortOrder }
        : { parentId: dialog.parentId, code: '', name: '', type: null, sortOrder: 0 },
    );
  }, [dialog, form]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = { ...v, parentId: v.parentId ?? null, type: v.type ?? null, code: v.code.trim(), name: v.name.trim() };
      return editing ? call(api.units.update, { params: { id: editing.id }, body }) : call(api.units.create, { body });
    },
    onSuccess: async (unit) => {
      await queryClient.invalidateQueries({ queryKey: keys.units });
      void message.success(editing ? '单位信息已保存' : `已新建单位「${unit.name}」`);
      onSaved(unit);
    },
    onError: (error) => handleError(error, form),
  });

  return (
    <Modal
      open={!!dialog}
      title={editing ? `编辑单位：${editing.name}` : '新建单位'}
      okText="保存"
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      onCancel={onClose}
      forceRender
    >
      <Form form={form} name="unit" layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="unit-form">
        <Form.Item label="上级单位" name="parentId" extra="不选择则为顶级单位">
          <UnitTreeSelect exclude={editing?.id} placeholder="顶级单位" />
        </Form.Item>
        <Form.Item
          label="单位代码"
          name="code"
          rules={[
            { required: true, whitespace: true, message: '请输入单位代码' },
            { pattern: /^\s*[A-Za-z0-9-]{1,32}\s*$/, message: '单位代码为 1–32 位字母、数字或 -' },
          ]}
        >
          <Input placeholder="如 A01-03" maxLength={32} />
        </Form.Item>
        <Form.Item label="单位名称" name="name" rules={[{ required: true, whitespace: true, message: '请输入单位名称' }, { max: 60, message: '单位名称不超过 60 个字' }]}>
          <Input maxLength={60} showCount />
        </Form.Item>
        <Form.Item label="单位类型" name="type">
          <Select allowClear placeholder="请选择单位类型" options={dictionaryOptions(types, editing?.type)} />
        </Form.Item>
        <Form.Item label="排序号" name="sortOrder" extra="同级单位按排序号从小到大排列" rules={[{ required: true, message: '请输入排序号' }]}>
          <InputNumber min={0} max={100000} precision={0} controls={false} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
