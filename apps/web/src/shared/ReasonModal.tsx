import { Alert, Flex, Form, Input, Modal, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useErrorHandler } from './errors';

/**
 * A destructive action that needs a reason (删除 and the like): a required, audited reason with common
 * reasons one click away, the consequences said before, server errors shown on the field.
 */
export function ReasonModal({
  open, title, name, okText, warning, detail, reasons, placeholder, width = 480, label = '删除原因', onClose, onSubmit,
}: {
  open: boolean;
  title: string;
  /** The form's name (for tests and labels). */
  name: string;
  okText: string;
  warning: string;
  detail?: string;
  reasons: readonly string[];
  placeholder: string;
  width?: number;
  /** The reason field's label (不批准理由, 撤销原因 …). */
  label?: string;
  onClose: () => void;
  onSubmit: (reason: string) => Promise<unknown>;
}) {
  const [form] = Form.useForm<{ reason: string }>();
  const handleError = useErrorHandler();
  const [pending, setPending] = useState(false);

  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const submit = async ({ reason }: { reason: string }) => {
    setPending(true);
    try {
      await onSubmit(reason.trim());
      onClose();
    } catch (error) {
      handleError(error, form);
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
      okButtonProps={{ danger: true }}
      onOk={() => form.submit()}
      confirmLoading={pending}
      onCancel={onClose}
      forceRender
      width={width}
    >
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={warning} description={detail} />
      <Form form={form} name={name} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item
          label={label}
          name="reason"
          rules={[{ required: true, whitespace: true, message: `请填写${label}` }, { max: 200, message: '不超过 200 个字' }]}
          style={{ marginBottom: 8 }}
        >
          <Input.TextArea rows={3} maxLength={200} showCount autoFocus placeholder={placeholder} />
        </Form.Item>
        <Flex gap={4} wrap>
          {reasons.map((r) => (
            <Tag.CheckableTag key={r} checked={false} onChange={() => form.setFields([{ name: 'reason', value: r, errors: [] }])} style={{ border: '1px dashed #d9d9d9' }}>
              {r}
            </Tag.CheckableTag>
          ))}
        </Flex>
      </Form>
    </Modal>
  );
}
