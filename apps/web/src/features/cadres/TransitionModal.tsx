import { ArrowRightOutlined } from '@ant-design/icons';
import { api, type DossierSummary } from '@dangan/contracts';
import { DOSSIER_EVENT_LABELS, DOSSIER_STATE_LABELS, transition, type DossierEvent, type DossierState } from '@dangan/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Flex, Form, Input, Modal } from 'antd';
import { useEffect } from 'react';
import { call } from '../../api/client';
import { useErrorHandler } from '../../shared/errors';
import { useLatched } from '../../shared/useLatched';
import { DossierStateTag } from './format';
import { invalidateArchive } from './queries';

export interface TransitionRequest {
  dossier: DossierSummary;
  event: DossierEvent;
}

const REASON_HINTS: Partial<Record<DossierEvent, string>> = {
  receive: '如：转递通知单编号、来件单位',
  check_out_for_digitization: '如：数字化加工批次、交接人',
  lend: '如：借阅单位、经办人、约定归还日期',
  return_loan: '如：归还人、材料是否完整',
  transfer_out: '如：转往单位、转递通知单编号',
  close: '如：销档依据',
  reopen: '如：撤销原因',
};

/** Confirms one move of the dossier's state machine, with an optional reason for the audit log. */
export function TransitionModal({ request, onClose }: { request: TransitionRequest | null; onClose: () => void }) {
  const [form] = Form.useForm<{ reason?: string }>();
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message } = App.useApp();
  const shown = useLatched(request);

  useEffect(() => {
    if (request) form.resetFields();
  }, [request, form]);

  const run = useMutation({
    mutationFn: (v: { reason?: string }) =>
      call(api.dossiers.transition, { params: { id: shown!.dossier.id }, body: { event: shown!.event, reason: v.reason?.trim() ?? '' } }),
    onSuccess: async (dossier) => {
      await invalidateArchive(queryClient);
      void message.success(`档案 ${dossier.dossierNo} 已${DOSSIER_EVENT_LABELS[shown!.event]}，当前状态：${dossier.stateLabel}`);
      onClose();
    },
    onError: (error) => handleError(error, form),
  });

  const from = shown?.dossier.state as DossierState | undefined;
  const to = from && shown ? transition(from, shown.event) : null;
  return (
    <Modal
      open={!!request}
      title={shown ? `${DOSSIER_EVENT_LABELS[shown.event]}：档案 ${shown.dossier.dossierNo}` : ''}
      okText={shown ? `确认${DOSSIER_EVENT_LABELS[shown.event]}` : '确认'}
      onOk={() => form.submit()}
      confirmLoading={run.isPending}
      onCancel={onClose}
      forceRender
      width={480}
    >
      {shown && (
        <Flex align="center" gap={8} style={{ marginBottom: 16 }} data-testid="transition-states">
          <span>状态</span>
          <DossierStateTag state={shown.dossier.state} label={shown.dossier.stateLabel} />
          <ArrowRightOutlined />
          {to?.ok ? <DossierStateTag state={to.to} label={DOSSIER_STATE_LABELS[to.to]} /> : <span>—</span>}
        </Flex>
      )}
      <Form form={form} name="transition" layout="vertical" onFinish={(v) => run.mutate(v)}>
        <Form.Item label="事由（选填，记入审计日志）" name="reason" rules={[{ max: 200, message: '不超过 200 个字' }]} style={{ marginBottom: 0 }}>
          <Input.TextArea rows={3} maxLength={200} showCount placeholder={shown ? REASON_HINTS[shown.event] : undefined} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
