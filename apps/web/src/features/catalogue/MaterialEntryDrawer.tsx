import { BulbOutlined, CheckCircleFilled, EnterOutlined } from '@ant-design/icons';
import type { Catalogue } from '@dangan/contracts';
import { classLabel, importanceFor, importanceLabel, suggestClass, type ClassCode } from '@dangan/domain';
import { AutoComplete, Button, Col, Drawer, Flex, Form, Input, InputNumber, Row, Select, Typography, type InputRef } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useErrorHandler } from '../../shared/errors';
import { DateHint } from '../cadres/DateHint';
import { dateToApi, partialDateRule, showPartialDate } from '../cadres/format';
import { LEAF_CLASS_OPTIONS, allMaterials, importanceOptions, isImportanceClass } from './model';

/** Names clerks type again and again; offered as they type, never required. */
const COMMON_NAMES = [
  '干部履历表', '干部履历表（1999年版）', '干部登记表', '自传', '年度考核登记表', '干部考察材料', '试用期满考核表',
  '学生登记表', '高等学校毕业生登记表', '毕业证书复印件', '学位证书复印件', '学历证明', '成绩表',
  '专业技术职务任职资格评审表', '专业技术职务聘任审批表', '干部培训登记表', '党校学习鉴定表',
  '专项审核认定表', '审计结果报告', '入党志愿书', '入党申请书', '预备党员转正申请书', '入团志愿书', '党员登记表',
  '嘉奖审批表', '记功审批表', '先进个人登记表', '处分决定', '工资变动审批表', '套改工资审批表', '干部任免审批表',
  '录用审批表', '聘用合同', '出国（境）审批表', '党代会代表登记表', '人大代表登记表', '体检表',
];

type Importance = 'auto' | 'none' | number;

interface Values {
  classCode: string;
  name: string;
  importance: Importance;
  formedOn?: string;
  copies: number;
  pages: number | null;
  remark?: string;
}

interface Recent {
  id: string;
  name: string;
}

/**
 * 著录材料: the fast entry form. Enter saves and keeps the form open for the next material, in the
 * same class; the list below shows what was entered, with the number the rule gave it.
 */
export function MaterialEntryDrawer({
  open,
  initialClass,
  catalogue,
  onClose,
  onSave,
}: {
  open: boolean;
  initialClass: string;
  catalogue: Catalogue;
  onClose: () => void;
  /** Sends one material; resolves with the new catalogue, rejects with the API's error (shown here). */
  onSave: (body: { classCode: string; name: string; formedOn: string | null; copies: number; pages: number; remark: string; importance?: number | null }) => Promise<Catalogue>;
}) {
  const [form] = Form.useForm<Values>();
  const handleError = useErrorHandler();
  const nameRef = useRef<InputRef>(null);
  const [saving, setSaving] = useState(false);
  const [recent, setRecent] = useState<Recent[]>([]);
  const classCode = Form.useWatch('classCode', form) ?? initialClass;
  const name = Form.useWatch('name', form) ?? '';
  const formedOn = Form.useWatch('formedOn', form);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ classCode: initialClass, name: '', importance: 'auto', formedOn: '', copies: 1, pages: null, remark: '' });
  }, [open, initialClass, form]);

  const close = () => {
    setRecent([]);
    onClose();
  };

  const suggestion = name.trim() ? suggestClass(name) : null;
  const otherClass = suggestion && suggestion.classCode !== classCode ? suggestion : null;
  const ranked = isImportanceClass(classCode);
  const guessed = ranked ? importanceFor(classCode as ClassCode, name) : null;
  const guessedLabel = guessed !== null ? importanceLabel(classCode as ClassCode, guessed) : null;

  const submit = async (v: Values) => {
    setSaving(true);
    const before = new Set(allMaterials(catalogue).map((m) => m.id));
    try {
      const next = await onSave({
        classCode: v.classCode,
        name: v.name.trim(),
        formedOn: dateToApi(v.formedOn),
        copies: v.copies ?? 1,
        pages: v.pages ?? 0,
        remark: v.remark?.trim() ?? '',
        ...(isImportanceClass(v.classCode) && v.importance !== 'auto' ? { importance: v.importance === 'none' ? null : v.importance } : {}),
      });
      const added = allMaterials(next).find((m) => !before.has(m.id));
      if (added) setRecent((r) => [{ id: added.id, name: added.name }, ...r].slice(0, 8));
      form.setFieldsValue({ name: '', importance: 'auto', formedOn: '', copies: 1, pages: null, remark: '' });
      nameRef.current?.focus();
    } catch (error) {
      handleError(error, form);
    } finally {
      setSaving(false);
    }
  };

  /** The current number of a material entered here: later entries may have renumbered it. */
  const current = new Map(allMaterials(catalogue).map((m) => [m.id, m]));

  return (
    <Drawer
      title="著录材料"
      open={open}
      onClose={close}
      afterOpenChange={(visible) => visible && nameRef.current?.focus()}
      size={480}
      mask={false}
      destroyOnHidden={false}
      forceRender
      footer={
        <Flex justify="space-between" align="center">
          <Typography.Text type="secondary">
            <EnterOutlined /> 回车保存并继续著录下一份
          </Typography.Text>
          <Flex gap={8}>
            <Button onClick={close}>关闭</Button>
            <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="entry-save">
              保存并继续
            </Button>
          </Flex>
        </Flex>
      }
    >
      <Form
        form={form}
        name="material-entry"
        layout="vertical"
        onFinish={(v) => void submit(v)}
        data-testid="material-entry"
       
      >
        <Form.Item label="类号" name="classCode" rules={[{ required: true, message: '请选择类号' }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={LEAF_CLASS_OPTIONS}
            onChange={() => form.setFieldValue('importance', 'auto')}
            aria-label="类号"
          />
        </Form.Item>
        <Form.Item
          label="材料名称"
          name="name"
          rules={[{ required: true, whitespace: true, message: '请输入材料名称' }, { max: 200, message: '不超过 200 个字' }]}
          extra={
            otherClass ? (
              <Flex align="center" gap={4} wrap data-testid="class-suggestion">
                <Typography.Text type="warning">
                  <BulbOutlined /> 该材料通常归入第 {otherClass.classCode} 类（{classLabel(otherClass.classCode)}）
                </Typography.Text>
                <Button
                  size="small"
                  type="link"
                  style={{ paddingInline: 4 }}
                  onClick={() => form.setFieldsValue({ classCode: otherClass.classCode, importance: 'auto' })}
                >
                  改为第 {otherClass.classCode} 类
                </Button>
              </Flex>
            ) : undefined
          }
        >
          <AutoComplete
            options={COMMON_NAMES.filter((n) => name.trim() && n.includes(name.trim()) && n !== name.trim()).map((n) => ({ value: n }))}
            defaultActiveFirstOption={false}
          >
            <Input ref={nameRef} autoFocus maxLength={200} autoComplete="off" placeholder="如 2003年度考核登记表" />
          </AutoComplete>
        </Form.Item>
        {ranked && (
          <Form.Item
            label="重要程度"
            name="importance"
            extra={`第 ${classCode} 类先按重要程度、再按形成时间排列`}
          >
            <Select
              options={[
                { value: 'auto', label: `按材料名称判断：${guessedLabel ?? '未能判断（排在本类末尾）'}` },
                ...importanceOptions(classCode).map((o) => ({ value: o.value, label: `${o.value}. ${o.label}` })),
                { value: 'none', label: '不设（排在本类末尾）' },
              ]}
              aria-label="重要程度"
            />
          </Form.Item>
        )}
        <Form.Item label="形成时间" name="formedOn" rules={[partialDateRule()]} extra={<DateHint text={formedOn} hint="年.月.日，可只写年或年.月，如 2003、2003.05、2003.05.07" />}>
          <Input autoComplete="off" placeholder="如 2003.05.07" />
        </Form.Item>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item label="份数" name="copies" rules={[{ required: true, message: '请输入份数' }]}>
              <InputNumber min={1} max={999} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label="页数" name="pages" rules={[{ required: true, message: '请输入页数' }]}>
              <InputNumber min={0} max={9999} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label="备注" name="remark" rules={[{ max: 200, message: '不超过 200 个字' }]}>
          <Input maxLength={200} autoComplete="off" placeholder="如 复印件，已加盖公章" />
        </Form.Item>
        {/* Enter in any field submits the form. */}
        <button type="submit" hidden aria-hidden />
      </Form>
      {recent.length > 0 && (
        <div data-testid="entry-recent" style={{ borderTop: '1px solid #f0f0f0', paddingTop: 12 }}>
          <Typography.Text strong>本次已著录 {recent.length} 份</Typography.Text>
          <Flex vertical gap={6} style={{ marginTop: 8 }}>
            {recent.map((r) => {
              const m = current.get(r.id);
              return (
                <Flex key={r.id} gap={8} align="baseline">
                  <CheckCircleFilled style={{ color: '#52c41a' }} />
                  <Typography.Text strong style={{ minWidth: 52 }}>
                    {m?.seq ?? '—'}
                  </Typography.Text>
                  <Typography.Text ellipsis style={{ flex: 1, minWidth: 0 }}>
                    {m?.name ?? r.name}
                  </Typography.Text>
                  <Typography.Text type="secondary">{m ? showPartialDate(m.formedOn, '时间不详') : '已删除'}</Typography.Text>
                </Flex>
              );
            })}
          </Flex>
        </div>
      )}
    </Drawer>
  );
}
