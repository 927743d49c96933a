import { api, type BatchDossier } from '@dangan/contracts';
import { STAGE_LABELS, type StageCode } from '@dangan/domain';
import { Alert, Flex, Form, Input, Modal, Select, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { call } from '../../api/client';
import { useProjectAction } from './useProjectAction';

const PRESETS = ['质检发现缺陷，须重新处理', '页数与目录不符，须补扫', '挂接有误，须重新挂接', '图像不清晰，须重扫'];

/**
 * 返工: sends a dossier back to one of the stages it has reached; that stage and every later one
 * return to 未开始 and are done again in order. The reason is required and recorded.
 */
export function ReworkStageModal({
  batchId, dossier, stages, onClose,
}: {
  batchId: string;
  dossier: BatchDossier | null;
  /** The stages the user may send this dossier back to, in order. */
  stages: StageCode[];
  onClose: () => void;
}) {
  const [form] = Form.useForm<{ stage: StageCode; reason: string }>();
  const { run } = useProjectAction();
  const [pending, setPending] = useState(false);
  const stage = Form.useWatch('stage', form);

  useEffect(() => {
    if (!dossier) return;
    form.resetFields();
    form.setFieldsValue({ stage: stages.at(-1) });
    // Only when the dialog opens for a dossier.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dossier]);

  const submit = async (v: { stage: StageCode; reason: string }) => {
    if (!dossier) return;
    setPending(true);
    const ok = await run(
      'rework',
      () => call(api.batches.reworkStage, { params: { id: batchId, dossierId: dossier.dossierId, stage: v.stage }, body: { reason: v.reason.trim() } }),
      `${dossier.dossierNo}：已返工到「${STAGE_LABELS[v.stage]}」`,
    );
    setPending(false);
    if (ok) onClose();
  };

  return (
    <Modal
      open={!!dossier}
      title={dossier ? `返工：${dossier.dossierNo} ${dossier.cadreName}` : ''}
      okText="登记返工"
      okButtonProps={{ danger: true }}
      cancelText="取消"
      onOk={() => form.submit()}
      confirmLoading={pending}
      onCancel={onClose}
      forceRender
    >
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        title={stage ? `返工到「${STAGE_LABELS[stage]}」后，该环节及以后各环节恢复为未开始，须依次重做。` : '请选择返工到哪个环节。'}
      />
      <Form form={form} name="stage-rework" layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item label="返工到环节" name="stage" rules={[{ required: true, message: '请选择环节' }]}>
          <Select options={stages.map((s) => ({ value: s, label: STAGE_LABELS[s] }))} />
        </Form.Item>
        <Form.Item label="返工原因" name="reason" rules={[{ required: true, whitespace: true, message: '请填写返工原因' }, { max: 500, message: '不超过 500 个字' }]} style={{ marginBottom: 8 }}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
        <Flex gap={4} wrap>
          {PRESETS.map((r) => (
            <Tag.CheckableTag key={r} checked={false} onChange={() => form.setFields([{ name: 'reason', value: r, errors: [] }])} style={{ border: '1px dashed #d9d9d9' }}>
              {r}
            </Tag.CheckableTag>
          ))}
        </Flex>
      </Form>
    </Modal>
  );
}
