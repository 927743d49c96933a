import { Alert, Flex, Form, Input, Modal, Tag } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';

/**
 * Asks for a short text before an action: a reason where one is required (退回, 返工, 验收不通过),
 * an optional note elsewhere. `onSubmit` resolves true when the action went through.
 */
export function NoteModal({
  open, title, label, okText, required = false, danger = false, info, presets = [], placeholder, name, onClose, onSubmit,
}: {
  open: boolean;
  title: string;
  label: string;
  okText: string;
  required?: boolean;
  danger?: boolean;
  info?: ReactNode;
  presets?: readonly string[];
  placeholder?: string;
  /** The form's name (tests find it by it). */
  name: string;
  onClose: () => void;
  onSubmit: (text: string) => Promise<boolean>;
}) {
  const [form] = Form.useForm<{ text?: string }>();
  const [pending, setPending] = useState(false);

  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const submit = async ({ text }: { text?: string }) => {
    setPending(true);
    try {
      if (await onSubmit((text ?? '').trim())) onClose();
    } finally {
      setPending(false);
    }
  };

  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      cancelText="取消"
      okButtonProps={{ danger }}
      onOk={() => form.submit()}
      confirmLoading={pending}
      onCancel={onClose}
      forceRender
      width={520}
    >
      {info && <Alert type={danger ? 'warning' : 'info'} showIcon style={{ marginBottom: 16 }} title={info} />}
      <Form form={form} name={name} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item
          label={label}
          name="text"
          rules={[...(required ? [{ required: true, whitespace: true, message: `请填写${label}` }] : []), { max: 500, message: '不超过 500 个字' }]}
          style={{ marginBottom: presets.length ? 8 : undefined }}
        >
          <Input.TextArea rows={3} maxLength={500} showCount placeholder={placeholder ?? (required ? undefined : '可不填')} />
        </Form.Item>
        {presets.length > 0 && (
          <Flex gap={4} wrap>
            {presets.map((r) => (
              <Tag.CheckableTag key={r} checked={false} onChange={() => form.setFields([{ name: 'text', value: r, errors: [] }])} style={{ border: '1px dashed #d9d9d9' }}>
                {r}
              </Tag.CheckableTag>
            ))}
          </Flex>
        )}
      </Form>
    </Modal>
  );
}
