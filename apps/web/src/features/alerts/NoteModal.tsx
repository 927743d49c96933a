import { Form, Input, Modal } from 'antd';
import { useEffect, useState } from 'react';
import { useErrorHandler } from '../../shared/errors';

/** The note of an acknowledgement (optional) or of a closing (required: what was found and done). */
export function NoteModal({
  open, title, name, okText, required, onClose, onSubmit,
}: {
  open: boolean;
  title: string;
  name: string;
  okText: string;
  required: boolean;
  onClose: () => void;
  onSubmit: (note: string) => Promise<unknown>;
}) {
  const [form] = Form.useForm<{ note?: string }>();
  const handleError = useErrorHandler();
  const [pending, setPending] = useState(false);

  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const submit = async ({ note }: { note?: string }) => {
    setPending(true);
    try {
      await onSubmit((note ?? '').trim());
      onClose();
    } catch (error) {
      handleError(error, form);
    } finally {
      setPending(false);
    }
  };

  return (
    <Modal open={open} title={title} okText={okText} cancelText="取消" onOk={() => form.submit()} confirmLoading={pending} onCancel={onClose} forceRender>
      <Form form={form} name={name} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item
          label={required ? '处置说明' : '确认说明（可选）'}
          name="note"
          rules={[...(required ? [{ required: true, whitespace: true, message: '请填写处置说明' }] : []), { max: 500, message: '不超过 500 个字' }]}
        >
          <Input.TextArea
            rows={3}
            maxLength={500}
            showCount
            autoFocus
            placeholder={required ? '核实情况与处置结果，如：经核实为本人正常查阅' : '如：已联系当事人核实'}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
