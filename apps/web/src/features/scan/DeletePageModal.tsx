import { Alert, Flex, Form, Input, Modal, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useErrorHandler } from '../../shared/errors';

const COMMON_REASONS = ['空白页', '重复扫描', '不属于本档案', '扫描质量差，已重扫'];

/** 删除页面 with a required reason: the original and its record are kept. */
export function DeletePageModal({
  open, title, onClose, onDelete,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  onDelete: (reason: string) => Promise<unknown>;
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
      await onDelete(reason.trim());
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
      title={`删除页面：${title}`}
      okText="删除"
      cancelText="取消"
      okButtonProps={{ danger: true }}
      onOk={() => form.submit()}
      confirmLoading={pending}
      onCancel={onClose}
      forceRender
      width={480}
    >
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} title="删除后本材料其后各页的页号依次前移；原图与处理记录保留，删除记入审计日志。" />
      <Form form={form} name="delete-page" layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item
          label="删除原因"
          name="reason"
          rules={[{ required: true, whitespace: true, message: '请填写删除原因' }, { max: 200, message: '不超过 200 个字' }]}
          style={{ marginBottom: 8 }}
        >
          <Input.TextArea rows={3} maxLength={200} showCount placeholder="必填" />
        </Form.Item>
        <Flex gap={4} wrap>
          {COMMON_REASONS.map((r) => (
            <Tag.CheckableTag key={r} checked={false} onChange={() => form.setFields([{ name: 'reason', value: r, errors: [] }])} style={{ border: '1px dashed #d9d9d9' }}>
              {r}
            </Tag.CheckableTag>
          ))}
        </Flex>
      </Form>
    </Modal>
  );
}
