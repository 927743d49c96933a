import { api, type DictionaryEntry } from '@dangan/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useEffect } from 'react';
import { call } from '../../api/client';
import { useErrorHandler } from '../../shared/errors';
import { keys } from '../../shared/queries';
import { useLatched } from '../../shared/useLatched';

interface Values {
  code: string;
  label: string;
  parentCode: string | null;
  sortOrder: number | null;
}

export type EntryDialog = { mode: 'create' } | { mode: 'edit'; entry: DictionaryEntry };

export function EntryFormModal({
  type,
  typeLabel,
  hierarchical,
  entries,
  dialog,
  onClose,
}: {
  type: string;
  typeLabel: string;
  hierarchical: boolean;
  entries: DictionaryEntry[];
  dialog: EntryDialog | null;
  onClose: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message } = App.useApp();
  const shown = useLatched(dialog);
  const editing = shown?.mode === 'edit' ? shown.entry : null;

  useEffect(() => {
    if (!dialog) return;
    form.resetFields();
    form.setFieldsValue(
      dialog.mode === 'edit'
        ? { code: dialog.entry.code, label: dialog.entry.label, parentCode: dialog.entry.parentCode, sortOrder: dialog.entry.sortOrder }
        : { code: '', label: '', parentCode: null, sortOrder: null },
    );
  }, [dialog, form]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const sortOrder = v.sortOrder ?? undefined;
      return editing
        ? call(api.dictionary.update, { params: { type, id: editing.id }, body: { label: v.label.trim(), sortOrder } })
        : call(api.dictionary.create, {
            params: { type },
            body: { code: v.code.trim(), label: v.label.trim(), parentCode: v.parentCode ?? null, sortOrder },
          });
    },
    onSuccess: async (e) => {
      await queryClient.invalidateQueries({ queryKey: keys.dictionaryTypes });
      void message.success(editing ? `已保存代码「${e.code} ${e.label}」` : `已新增代码「${e.code} ${e.label}」`);
      onClose();
    },
    onError: (error) => handleError(error, form),
  });

  return (
    <Modal
      open={!!dialog}
      title={editing ? `编辑代码：${typeLabel}` : `新增代码：${typeLabel}`}
      okText="保存"
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      onCancel={onClose}
      forceRender
    >
      <Form form={form} name="dictionaryEntry" layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="dictionary-entry-form">
        <Form.Item
          label="代码"
          name="code"
          rules={[
            { required: true, whitespace: true, message: '请输入代码' },
            { pattern: /^\s*[A-Za-z0-9._-]{1,16}\s*$/, message: '代码为 1–16 位字母、数字或 . _ -' },
          ]}
          extra={editing ? '代码已被业务数据引用，不能修改' : '代码一经使用不能修改或删除，不再使用时请停用'}
        >
          <Input disabled={!!editing} maxLength={16} />
        </Form.Item>
        <Form.Item label="名称" name="label" rules={[{ required: true, whitespace: true, message: '请输入名称' }, { max: 60, message: '名称不超过 60 个字' }]}>
          <Input maxLength={60} />
        </Form.Item>
        {hierarchical && (
          <Form.Item label="上级代码" name="parentCode">
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              disabled={!!editing}
              placeholder="不选择则为顶级"
              options={entries.map((e) => ({ value: e.code, label: `${e.code} ${e.label}` }))}
            />
          </Form.Item>
        )}
        <Form.Item label="排序号" name="sortOrder" extra={editing ? undefined : '不填写则排在最后'}>
          <InputNumber min={0} max={100000} precision={0} controls={false} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
