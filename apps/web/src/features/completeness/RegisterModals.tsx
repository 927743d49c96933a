import { api } from '@dangan/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Select, Typography } from 'antd';
import { useEffect } from 'react';
import { ApiError, call } from '../../api/client';
import { useErrorHandler } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import { useLatched } from '../../shared/useLatched';
import { MissingStateTag } from './labels';
import { putRegister, type CompletenessResult, type MissingEntry } from './queries';

// ------------------------------------------------------------------------------------------------
// 登记欠缺材料

export interface NoteDraft {
  item: string;
  ruleCode: string | null;
  /** Shown above the form when the draft comes from a rule's result. */
  fromRule?: string;
}

interface NoteValues {
  item: string;
  ruleCode: string | null;
  remark: string;
}

export function NoteMissingModal({
  dossierId,
  draft,
  rules,
  onClose,
}: {
  dossierId: string;
  draft: NoteDraft | null;
  rules: CompletenessResult[];
  onClose: () => void;
}) {
  const [form] = Form.useForm<NoteValues>();
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message } = App.useApp();
  const shown = useLatched(draft);

  useEffect(() => {
    if (!draft) return;
    form.resetFields();
    form.setFieldsValue({ item: draft.item, ruleCode: draft.ruleCode, remark: '' });
  }, [draft, form]);

  const save = useMutation({
    mutationFn: (v: NoteValues) =>
      call(api.completeness.note, {
        params: { id: dossierId },
        body: { item: v.item.trim(), ruleCode: v.ruleCode ?? null, remark: (v.remark ?? '').trim() },
      }),
    onSuccess: (register, v) => {
      putRegister(queryClient, dossierId, register);
      void message.success(`已登记欠缺材料「${v.item.trim()}」，状态为待收集`);
      onClose();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'MISSING_ALREADY_NOTED') {
        form.setFields([{ name: 'item', errors: [error.message] }]);
        return;
      }
      handleError(error, form);
    },
  });

  return (
    <Modal
      open={!!draft}
      title="登记欠缺材料"
      okText="登记"
      cancelText="取消"
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      onCancel={onClose}
      forceRender
      width={560}
    >
      {shown?.fromRule && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={`完整性检查：${shown.fromRule}`} />
      )}
      <Form form={form} layout="vertical" name="note-missing" onFinish={(v) => save.mutate(v)} data-testid="note-missing-form">
        <Form.Item
          label="欠缺的材料"
          name="item"
          rules={[
            { required: true, whitespace: true, message: '请填写欠缺的材料名称' },
            { max: 100, message: '不超过 100 个字' },
          ]}
          extra="登记后状态为“待收集”，催要、归档时在登记表中更新"
        >
          <Input maxLength={100} placeholder="如 2003 年度考核登记表" />
        </Form.Item>
        <Form.Item label="对应的完整性规则" name="ruleCode">
          <Select
            allowClear
            placeholder="可不选"
            showSearch={{ optionFilterProp: 'label' }}
            options={rules.map((r) => ({ value: r.code, label: `${r.label}（${r.classCode}）` }))}
          />
        </Form.Item>
        <Form.Item label="备注" name="remark" rules={[{ max: 200, message: '不超过 200 个字' }]}>
          <Input.TextArea rows={2} maxLength={200} showCount placeholder="如 向原单位人事处催要" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

// ------------------------------------------------------------------------------------------------
// 已催要 / 已归档

export interface AdvanceDraft {
  entry: MissingEntry;
  to: 'requested' | 'filed';
}

const TO_LABELS = { requested: '已催要', filed: '已归档' } as const;

export function AdvanceModal({ dossierId, draft, onClose }: { dossierId: string; draft: AdvanceDraft | null; onClose: () => void }) {
  const [form] = Form.useForm<{ remark: string }>();
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message } = App.useApp();
  const shown = useLatched(draft);

  useEffect(() => {
    if (!draft) return;
    form.resetFields();
    form.setFieldsValue({ remark: draft.entry.remark });
  }, [draft, form]);

  const save = useMutation({
    mutationFn: ({ remark }: { remark: string }) => {
      const d = shown!;
      const text = (remark ?? '').trim();
      return call(api.completeness.advance, {
        params: { id: d.entry.id },
        body: { state: d.to, ...(text !== d.entry.remark ? { remark: text } : {}) },
      });
    },
    onSuccess: (register) => {
      const d = shown!;
      putRegister(queryClient, dossierId, register);
      void message.success(`「${d.entry.item}」已标记为${TO_LABELS[d.to]}`);
      onClose();
    },
    onError: (error) => handleError(error, form),
  });

  const entry = shown?.entry;
  return (
    <Modal
      open={!!draft}
      title={shown ? `标记为${TO_LABELS[shown.to]}` : ''}
      okText={shown ? `标记为${TO_LABELS[shown.to]}` : '确定'}
      cancelText="取消"
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      onCancel={onClose}
      forceRender
      width={520}
    >
      {entry && (
        <div style={{ marginBottom: 16 }}>
          <Typography.Text strong>{entry.item}</Typography.Text>
          <div style={{ marginTop: 6 }}>
            <Typography.Text type="secondary">
              当前状态 <MissingStateTag entry={entry} />，登记于 {formatDateTime(entry.notedAt)}
              {entry.requestedAt && `，催要于 ${formatDateTime(entry.requestedAt)}`}
            </Typography.Text>
          </div>
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 6, fontSize: 12 }}>
            状态只能向后推进（待收集 → 已催要 → 已归档），标记后不能撤回。
            {shown?.to === 'filed' && '归档后，请在档案目录中著录该材料。'}
          </Typography.Text>
        </div>
      )}
      <Form form={form} layout="vertical" name="advance-missing" onFinish={(v) => save.mutate(v)} data-testid="advance-missing-form">
        <Form.Item label="备注（可不填）" name="remark" rules={[{ max: 200, message: '不超过 200 个字' }]}>
          <Input.TextArea
            rows={2}
            maxLength={200}
            showCount
            placeholder={shown?.to === 'requested' ? '如 已电话催要原单位，约定月底前转来' : '如 已收到原件，已著录'}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
