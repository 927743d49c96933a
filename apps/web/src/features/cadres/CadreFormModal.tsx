import { api, type Cadre } from '@dangan/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Checkbox, Col, Divider, Form, Input, Modal, Row, Select, TreeSelect, Typography } from 'antd';
import { useEffect } from 'react';
import { call } from '../../api/client';
import { useMe, useSession } from '../../session/SessionProvider';
import { UnitTreeSelect } from '../../shared/components';
import { useErrorHandler } from '../../shared/errors';
import { dictionaryOptions } from '../../shared/queries';
import { useLatched } from '../../shared/useLatched';
import { DateHint } from './DateHint';
import { dateToApi, dictionaryTree, partialDateRule, showPartialDate } from './format';
import { IdNumberHint, idNumberRule } from './IdNumberHint';
import { invalidateArchive, useCadreDictionaries } from './queries';

interface Values {
  name: string;
  gender?: string | null;
  birthDate?: string;
  idNumber?: string;
  ethnicity?: string | null;
  nativePlace?: string;
  birthPlace?: string;
  politicalStatus?: string | null;
  partyJoinDate?: string;
  workStartDate?: string;
  education?: string | null;
  degree?: string | null;
  position?: string;
  rank?: string | null;
  personnelStatus?: string | null;
  managingUnitId: string;
  withDossier: boolean;
  dossier?: { dossierNo: string; custodianUnitId: string; location?: string; secrecyLevel?: string | null };
}

export type CadreDialog = { mode: 'create' } | { mode: 'edit'; cadre: Cadre };

/** GB/T 2261.1 codes of the two sexes an ID number can tell. */
const GENDER_FROM_ID = { male: '1', female: '2' } as const;

const text = (v: string | undefined) => v?.trim() || null;

/** 登记干部 (with 同时建立档案) and 编辑干部信息: one form, the dossier part only when registering. */
export function CadreFormModal({
  dialog,
  onClose,
  onCreated,
}: {
  dialog: CadreDialog | null;
  onClose: () => void;
  onCreated?: (cadre: Cadre) => void;
}) {
  const [form] = Form.useForm<Values>();
  const me = useMe();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message } = App.useApp();
  const dicts = useCadreDictionaries(!!dialog);
  const shown = useLatched(dialog);
  const editing = shown?.mode === 'edit' ? shown.cadre : null;
  const canDossier = can('dossier.edit');
  const idNumber = Form.useWatch('idNumber', form);
  const birthDate = Form.useWatch('birthDate', form);
  const partyJoinDate = Form.useWatch('partyJoinDate', form);
  const workStartDate = Form.useWatch('workStartDate', form);
  const withDossier = Form.useWatch('withDossier', form);

  useEffect(() => {
    if (!dialog) return;
    form.resetFields();
    if (dialog.mode === 'edit') {
      const c = dialog.cadre;
      form.setFieldsValue({
        name: c.name,
        gender: c.gender,
        birthDate: showPartialDate(c.birthDate, ''),
        idNumber: c.idNumber ?? '',
        ethnicity: c.ethnicity,
        nativePlace: c.nativePlace ?? '',
        birthPlace: c.birthPlace ?? '',
        politicalStatus: c.politicalStatus,
        partyJoinDate: showPartialDate(c.partyJoinDate, ''),
        workStartDate: showPartialDate(c.workStartDate, ''),
        education: c.education,
        degree: c.degree,
        position: c.position ?? '',
        rank: c.rank,
        personnelStatus: c.personnelStatus,
        managingUnitId: c.managingUnitId,
        withDossier: false,
      });
    } else {
      form.setFieldsValue({
        managingUnitId: me.user.unitId,
        withDossier: canDossier,
        dossier: { dossierNo: '', custodianUnitId: me.user.unitId, location: '', secrecyLevel: null },
      });
    }
  }, [dialog, form, me.user.unitId, canDossier]);

  const save = useMutation({
    mutationFn: async (v: Values) => {
      const fields = {
        name: v.name.trim(),
        gender: v.gender ?? null,
        birthDate: dateToApi(v.birthDate),
        idNumber: text(v.idNumber),
        ethnicity: v.ethnicity ?? null,
        nativePlace: text(v.nativePlace),
        birthPlace: text(v.birthPlace),
        politicalStatus: v.politicalStatus ?? null,
        partyJoinDate: dateToApi(v.partyJoinDate),
        workStartDate: dateToApi(v.workStartDate),
        education: v.education ?? null,
        degree: v.degree ?? null,
        position: text(v.position),
        rank: v.rank ?? null,
        personnelStatus: v.personnelStatus ?? null,
        managingUnitId: v.managingUnitId,
      };
      if (editing) return call(api.cadres.update, { params: { id: editing.id }, body: fields });
      const dossier =
        canDossier && v.withDossier && v.dossier
          ? {
              dossierNo: v.dossier.dossierNo.trim(),
              custodianUnitId: v.dossier.custodianUnitId,
              location: v.dossier.location?.trim() ?? '',
              secrecyLevel: v.dossier.secrecyLevel ?? null,
            }
          : undefined;
      return call(api.cadres.create, { body: { ...fields, ...(dossier ? { dossier } : {}) } });
    },
    onSuccess: async (cadre) => {
      await invalidateArchive(queryClient);
      if (editing) void message.success(`已保存「${cadre.name}」的信息`);
      else void message.success(cadre.dossier ? `已登记「${cadre.name}」并建立档案 ${cadre.dossier.dossierNo}` : `已登记「${cadre.name}」`);
      if (cadre.idNumberCheck.status === 'mismatch') void message.warning(cadre.idNumberCheck.message, 6);
      onClose();
      if (!editing) onCreated?.(cadre);
    },
    onError: (error) => handleError(error, form),
  });

  const fillFromId = (birth: string, gender: 'male' | 'female') => {
    form.setFieldValue('birthDate', birth);
    if (!form.getFieldValue('gender')) form.setFieldValue('gender', GENDER_FROM_ID[gender]);
    void form.validateFields(['birthDate']);
  };

  return (
    <Modal
      open={!!dialog}
      title={editing ? `编辑干部信息：${editing.name}` : '登记干部'}
      okText="保存"
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      onCancel={onClose}
      forceRender
      width={900}
    >
      <Form form={form} name="cadre" layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="cadre-form">
        {!editing && canDossier && (
          <Divider titlePlacement="start" plain style={{ marginTop: 0 }}>
            <Typography.Text strong>干部信息</Typography.Text>
          </Divider>
        )}
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item label="姓名" name="name" rules={[{ required: true, whitespace: true, message: '请输入姓名' }, { max: 30, message: '姓名不超过 30 个字' }]}>
              <Input maxLength={30} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label="性别" name="gender">
              <Select allowClear placeholder="请选择" options={dictionaryOptions(dicts.gender, editing?.gender)} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label="民族" name="ethnicity">
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                placeholder="请选择，可输入查找"
                options={dictionaryOptions(dicts.ethnicity, editing?.ethnicity)}
              />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item label="出生日期" name="birthDate" rules={[partialDateRule()]} extra={<DateHint text={birthDate} />}>
              <Input autoComplete="off" placeholder="如 1970.05" />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item
              label="公民身份号码"
              name="idNumber"
              rules={[idNumberRule()]}
              extra={<IdNumberHint idNumber={idNumber} birthDate={birthDate} onFill={fillFromId} />}
            >
              <Input autoComplete="off" maxLength={20} placeholder="18 位号码" style={{ fontFamily: 'monospace' }} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item label="籍贯" name="nativePlace" rules={[{ max: 60, message: '不超过 60 个字' }]}>
              <Input maxLength={60} placeholder="如 江苏南京" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label="出生地" name="birthPlace" rules={[{ max: 60, message: '不超过 60 个字' }]}>
              <Input maxLength={60} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label="政治面貌" name="politicalStatus">
              <Select allowClear placeholder="请选择" options={dictionaryOptions(dicts.politicalStatus, editing?.politicalStatus)} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item label="入党时间" name="partyJoinDate" rules={[partialDateRule()]} extra={<DateHint text={partyJoinDate} />}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label="参加工作时间" name="workStartDate" rules={[partialDateRule()]} extra={<DateHint text={workStartDate} />}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label="人员状态" name="personnelStatus">
              <Select allowClear placeholder="请选择" options={dictionaryOptions(dicts.personnelStatus, editing?.personnelStatus)} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item label="学历" name="education">
              <TreeSelect
                allowClear
                showSearch={{ treeNodeFilterProp: 'title' }}
                placeholder="请选择"
                treeData={dictionaryTree(dicts.education, editing?.education)}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label="学位" name="degree">
              <TreeSelect
                allowClear
                showSearch={{ treeNodeFilterProp: 'title' }}
                placeholder="请选择"
                treeData={dictionaryTree(dicts.degree, editing?.degree)}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label="职务职级" name="rank">
              <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder="请选择" options={dictionaryOptions(dicts.rank, editing?.rank)} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={16}>
            <Form.Item label="现工作单位及职务" name="position" rules={[{ max: 200, message: '不超过 200 个字' }]}>
              <Input maxLength={200} placeholder="如 市发展和改革委员会副主任" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label="管理单位" name="managingUnitId" rules={[{ required: true, message: '请选择管理单位' }]} extra="按干部管理权限确定，决定谁可查看">
              <UnitTreeSelect allowClear={false} />
            </Form.Item>
          </Col>
        </Row>
        {!editing && canDossier && (
          <>
            <Divider titlePlacement="start" plain>
              <Typography.Text strong>档案信息</Typography.Text>
            </Divider>
            <Form.Item name="withDossier" valuePropName="checked" style={{ marginBottom: 12 }}>
              <Checkbox>同时建立档案</Checkbox>
            </Form.Item>
            {withDossier && (
              <Row gutter={16}>
                <Col span={8}>
                  <Form.Item
                    label="档案号"
                    name={['dossier', 'dossierNo']}
                    rules={[{ required: true, whitespace: true, message: '请输入档案号' }, { max: 40, message: '档案号不超过 40 位' }]}
                  >
                    <Input maxLength={40} autoComplete="off" />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item label="保管单位" name={['dossier', 'custodianUnitId']} rules={[{ required: true, message: '请选择保管单位' }]}>
                    <UnitTreeSelect allowClear={false} />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item label="密级" name={['dossier', 'secrecyLevel']}>
                    <Select allowClear placeholder="请选择" options={dictionaryOptions(dicts.secrecyLevel)} />
                  </Form.Item>
                </Col>
                <Col span={16}>
                  <Form.Item label="库房位置" name={['dossier', 'location']} rules={[{ max: 60, message: '不超过 60 个字' }]} style={{ marginBottom: 0 }}>
                    <Input maxLength={60} placeholder="库房/架/层/格，如 2号库房 3架 2层 5格" />
                  </Form.Item>
                </Col>
              </Row>
            )}
          </>
        )}
      </Form>
    </Modal>
  );
}
