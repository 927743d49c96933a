import type { Material } from '@dangan/contracts';
import { Alert, Flex, Form, Input, Modal, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useErrorHandler } from '../../shared/errors';
import { useLatched } from '../../shared/useLatched';

const COMMON_REASONS = ['重复著录', '误归入本档案', '不属于归档材料', '著录错误，已重新著录'];

/** 删除 with a required reason: the material is kept with who, when and why, and can be restored. */
export function DeleteMaterialModal({
  material,
  onClose,
  onDelete,
}: {
  material: Material | null;
  onClose: () => void;
  onDelete: (material: Material, reason: string) => Promise<unknown>;
}) {
  const [form] = Form.useForm<{ reason: string }>();
  const handleError = useErrorHandler();
  const [pending, setPending] = useState(false);
  const shown = useLatched(material);

  useEffect(() => {
    if (material) form.resetFields();
  }, [material, form]);

  const submit = async ({ reason }: { reason: string }) => {
    if (!shown) return;
    setPending(true);
    try {
      await onDelete(shown, reason.trim());
      onClose();
    } catch (error) {
      handleError(error, form);
    } finally {
      setPending(false);
    }
  };

  return (
    <Modal
      open={!!material}
      title={shown ? `删除材料：${shown.seq} ${shown.name}` : '删除材料'}
      okText="删除"
      okButtonProps={{ danger: true }}
      onOk={() => form.submit()}
      confirmLoading={pending}
      onCancel={onClose}
      forceRender
      width={520}
    >
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        title="删除后本类其后材料的序号依次前移。"
        description="材料移入“已删除材料”，保留删除人、时间和原因，可由有恢复权限的人员恢复。"
      />
      <Form form={form} name="delete-material" layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item
          label="删除原因"
          name="reason"
          rules={[{ required: true, whitespace: true, message: '请填写删除原因' }, { max: 200, message: '不超过 200 个字' }]}
          style={{ marginBottom: 8 }}
        >
          <Input.TextArea rows={3} maxLength={200} showCount autoFocus placeholder="必填，记入审计日志" />
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
