import { api, type Cadre } from '@dangan/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal, Select } from 'antd';
import { useEffect } from 'react';
import { call } from '../../api/client';
import { useMe } from '../../session/SessionProvider';
import { UnitTreeSelect } from '../../shared/components';
import { useErrorHandler } from '../../shared/errors';
import { dictionaryOptions, useDictionary } from '../../shared/queries';
import { useLatched } from '../../shared/useLatched';
import { invalidateArchive } from './queries';

interface Values {
  dossierNo: string;
  custodianUnitId: string;
  location?: string;
  secrecyLevel?: string | null;
}

/** 建立档案 for a cadre who has none, or 修改档案 (保管单位, 库房位置, 密级; the 档案号 stays). */
export function DossierFormModal({ cadre, onClose }: { cadre: Cadre | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const me = useMe();
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message } = App.useApp();
  const { data: secrecy } = useDictionary('secrecy_level', !!cadre);
  const shown = useLatched(cadre);
  const dossier = shown?.dossier ?? null;

  useEffect(() => {
    if (!cadre) return;
    form.resetFields();
    const d = cadre.dossier;
    form.setFieldsValue(
      d
        ? { dossierNo: d.dossierNo, custodianUnitId: d.custodianUnitId, location: d.location, secrecyLevel: d.secrecyLevel }
        : { dossierNo: '', custodianUnitId: me.user.unitId, location: '', secrecyLevel: null },
    );
  }, [cadre, form, me.user.unitId]);

  const save = useMutation({
    mutationFn: async (v: Values) => {
      const body = { custodianUnitId: v.custodianUnitId, location: v.location?.trim() ?? '', secrecyLevel: v.secrecyLevel ?? null };
      if (dossier) return call(api.dossiers.update, { params: { id: dossier.id }, body });
      return call(api.dossiers.create, { params: { id: shown!.id }, body: { ...body, dossierNo: v.dossierNo.trim() } });
    },
    onSuccess: async () => {
      await invalidateArchive(queryClient);
      void message.success(dossier ? `已保存档案 ${dossier.dossierNo}` : `已为「${shown?.name}」建立档案`);
      onClose();
    },
    // 建立档案 answers `dossier.dossierNo` for a refused number; the form has it at the top level.
    onError: (error) => handleError(error, form, { 'dossier.dossierNo': 'dossierNo', 'dossier.custodianUnitId': 'custodianUnitId', 'dossier.secrecyLevel': 'secrecyLevel' }),
  });

  return (
    <Modal
      open={!!cadre}
      title={dossier ? `修改档案：${dossier.dossierNo}（${shown?.name}）` : `建立档案：${shown?.name ?? ''}`}
      okText="保存"
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      onCancel={onClose}
      forceRender
      width={560}
    >
      <Form form={form} name="dossier" layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="dossier-form">
        <Form.Item
          label="档案号"
          name="dossierNo"
          rules={dossier ? [] : [{ required: true, whitespace: true, message: '请输入档案号' }, { max: 40, message: '档案号不超过 40 位' }]}
          extra={dossier ? '档案号建立后不能修改' : undefined}
        >
          <Input maxLength={40} disabled={!!dossier} autoComplete="off" />
        </Form.Item>
        <Form.Item label="保管单位" name="custodianUnitId" rules={[{ required: true, message: '请选择保管单位' }]}>
          <UnitTreeSelect allowClear={false} />
        </Form.Item>
        <Form.Item label="库房位置" name="location" rules={[{ max: 60, message: '不超过 60 个字' }]}>
          <Input maxLength={60} placeholder="库房/架/层/格，如 2号库房 3架 2层 5格" />
        </Form.Item>
        <Form.Item label="密级" name="secrecyLevel">
          <Select allowClear placeholder="请选择" options={dictionaryOptions(secrecy, dossier?.secrecyLevel)} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
