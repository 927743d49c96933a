import { api, type AccessCadre, type AccessMode, type AccessScopeKind } from '@dangan/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, DatePicker, Drawer, Form, Input, InputNumber, Radio, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { call, isApiError } from '../../api/client';
import { useErrorHandler } from '../../shared/errors';
import { beijingToIso, dayjs } from '../../shared/format';
import { dictionaryOptions, useDictionary } from '../../shared/queries';
import { invalidateRequests } from './queries';

interface Values {
  dossierIds: string[];
  purpose: string;
  purposeNote: string;
  mode: AccessMode;
  scopeKind: AccessScopeKind;
  classCodes: string[];
  materialIds: string[];
  period: [dayjs.Dayjs, dayjs.Dayjs];
  printLimit: number;
}

const MODES: { value: AccessMode; label: string }[] = [
  { value: 'read', label: '在线查阅' }, { value: 'print', label: '打印' }, { value: 'excerpt', label: '摘录' }, { value: 'lend', label: '借阅纸质档案' },
];
const SCOPES: { value: AccessScopeKind; label: string }[] = [
  { value: 'dossier', label: '整本档案' }, { value: 'classes', label: '按类别' }, { value: 'materials', label: '按材料' },
];

/**
 * The ten classes present in the chosen dossiers (their union, counts summed), a class with subclasses
 * counted whole (it covers them).
 */
function topClasses(cadres: readonly AccessCadre[]) {
  const out = new Map<string, { code: string; label: string; materials: number }>();
  for (const c of cadres.flatMap((x) => x.classes)) {
    const top = c.code.split('-')[0]!;
    const cur = out.get(top) ?? { code: top, label: c.code === top ? c.label : '', materials: 0 };
    out.set(top, { ...cur, materials: cur.materials + c.materials, label: cur.label || (c.code === top ? c.label : '') });
  }
  return [...out.values()].sort((a, b) => Number(a.code) - Number(b.code));
}

const cadreLabel = (c: AccessCadre) => `${c.name}（${c.genderLabel ?? '—'}，${c.managingUnitName}，档案号 ${c.dossierNo}）`;

/** 新建查阅申请: one or more cadres from the lookup, purpose, mode, scope, period; 回避 answers in an alert. */
export function RequestDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Drawer open={open} onClose={onClose} size={640} title="新建查阅申请" destroyOnHidden>
      {open && <RequestForm onClose={onClose} />}
    </Drawer>
  );
}

const INITIAL = { mode: 'read' as const, scopeKind: 'classes' as const, classCodes: [], materialIds: [], printLimit: 1, purposeNote: '' };

function RequestForm({ onClose }: { onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const [q, setQ] = useState('');
  const [picked, setPicked] = useState<AccessCadre[]>([]);
  const [cadreOpen, setCadreOpen] = useState(false);
  const [avoidance, setAvoidance] = useState<string | null>(null);
  const { data: purposes } = useDictionary('use_purpose');
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message } = App.useApp();
  const mode = Form.useWatch('mode', form);
  const scopeKind = Form.useWatch('scopeKind', form);
  const dossierIds = Form.useWatch('dossierIds', form);
  const chosen = dossierIds?.length ?? 0;
  // A materials scope names materials of one dossier: offered only when exactly one cadre is chosen.
  const dossierId = chosen === 1 ? dossierIds![0] : undefined;

  const lookup = useQuery({
    queryKey: ['access-cadres', q],
    queryFn: () => call(api.accessRequests.cadres, { query: { q } }),
    enabled: q.trim().length > 0,
  });
  const materials = useQuery({
    queryKey: ['access-materials', dossierId],
    queryFn: () => call(api.accessRequests.materials, { params: { id: dossierId! } }),
    enabled: !!dossierId && scopeKind === 'materials',
  });

  const [initial] = useState(() => ({ ...INITIAL, period: [dayjs(), dayjs().add(3, 'day')] as [dayjs.Dayjs, dayjs.Dayjs] }));

  const save = useMutation({
    mutationFn: (v: Values) => call(api.accessRequests.create, {
      body: {
        dossierIds: v.dossierIds, purpose: v.purpose, purposeNote: v.purposeNote?.trim() ?? '', mode: v.mode, scopeKind: v.scopeKind,
        classCodes: v.scopeKind === 'classes' ? v.classCodes : [], materialIds: v.scopeKind === 'materials' ? v.materialIds : [],
        periodFrom: beijingToIso(v.period[0]), periodTo: beijingToIso(v.period[1]),
        printLimit: v.mode === 'print' || v.mode === 'excerpt' ? v.printLimit : 0,
      },
    }),
    onSuccess: async (r) => {
      await invalidateRequests(queryClient);
      void message.success(`已提交查阅申请 ${r.requestNo}，等待审批`);
      onClose();
    },
    onError: (e) => {
      if (isApiError(e) && e.code === 'AVOIDANCE') setAvoidance(e.message);
      else handleError(e, form, { periodFrom: 'period', periodTo: 'period' });
    },
  });

  /** The chosen cadres are kept (their labels and classes) while the lookup moves on to the next one. */
  const onCadres = (ids: string[]) => {
    const known = [...picked, ...(lookup.data ?? [])];
    const next = ids.map((id) => known.find((c) => c.dossierId === id)).filter((c): c is AccessCadre => !!c);
    setPicked(next);
    const present = new Set(topClasses(next).map((c) => c.code));
    const classCodes = (form.getFieldValue('classCodes') as string[] | undefined ?? []).filter((c) => present.has(c));
    form.setFieldsValue({ classCodes, materialIds: [], ...(ids.length > 1 && form.getFieldValue('scopeKind') === 'materials' ? { scopeKind: 'classes' as const } : {}) });
  };
  const cadreOptions = [...(lookup.data ?? []), ...picked.filter((p) => !(lookup.data ?? []).some((c) => c.dossierId === p.dossierId))]
    .map((c) => ({ value: c.dossierId, label: cadreLabel(c) }));

  return (
    <>
      {avoidance && <Alert type="error" showIcon title="不能提交：须回避" description={avoidance} style={{ marginBottom: 16 }} data-testid="request-avoidance" />}
      <Form form={form} name="request" layout="vertical" data-testid="request-form" initialValues={initial} onFinish={(v) => { setAvoidance(null); save.mutate(v); }}>
        <Form.Item label="干部" name="dossierIds" rules={[{ required: true, type: 'array', min: 1, message: '请查找并选择干部' }]}
          extra="输入姓名、拼音首字母或档案号查找（仅限您的申请范围）；可逐一查找选择多名干部，按材料申请时只能选择一名">
          <Select
            mode="multiple"
            maxCount={20}
            open={cadreOpen}
            onOpenChange={setCadreOpen}
            onSelect={() => setCadreOpen(false)}
            showSearch={{ filterOption: false, onSearch: setQ }}
            placeholder="姓名 / 拼音首字母 / 档案号"
            loading={lookup.isFetching}
            notFoundContent={q ? '没有找到' : '请输入'}
            data-testid="request-cadre"
            onChange={onCadres}
            options={cadreOptions}
          />
        </Form.Item>
        <Form.Item label="查阅目的" name="purpose" rules={[{ required: true, message: '请选择查阅目的' }]}>
          <Select options={dictionaryOptions(purposes)} placeholder="请选择" data-testid="request-purpose" />
        </Form.Item>
        <Form.Item label="说明" name="purposeNote">
          <Input.TextArea rows={2} maxLength={500} showCount placeholder="如：拟任职考察" />
        </Form.Item>
        <Form.Item label="方式" name="mode" rules={[{ required: true }]}>
          <Radio.Group options={MODES} data-testid="request-mode" onChange={(e) => { if (e.target.value === 'lend') form.setFieldValue('scopeKind', 'dossier'); }} />
        </Form.Item>
        <Form.Item label="范围" name="scopeKind" rules={[{ required: true }]}
          extra={mode === 'lend' ? '借阅纸质档案只能整本申请' : chosen > 1 ? '选择多名干部时不能按材料申请' : undefined}>
          <Radio.Group options={SCOPES.map((s) => ({
            ...s, disabled: (mode === 'lend' && s.value !== 'dossier') || (s.value === 'materials' && chosen > 1),
          }))} data-testid="request-scope" />
        </Form.Item>
        {scopeKind === 'classes' && (
          <Form.Item label="类别" name="classCodes" rules={[{ required: true, message: '请至少选择一个类别' }]} extra={picked.length > 1 ? `大类包含其子类；所列为 ${picked.length} 名干部档案中的类别，份数为合计` : '大类包含其子类'}>
            {picked.length > 0
              ? <Checkbox.Group data-testid="request-classes" options={topClasses(picked).map((c) => ({ value: c.code, label: `第 ${c.code} 类 ${c.label}（${c.materials} 份）` }))} style={{ display: 'flex', flexDirection: 'column', gap: 4 }} />
              : <Typography.Text type="secondary">请先选择干部</Typography.Text>}
          </Form.Item>
        )}
        {scopeKind === 'materials' && (
          <Form.Item label="材料" name="materialIds" rules={[{ required: true, message: '请至少选择一份材料' }]}>
            <Select mode="multiple" placeholder={dossierId ? '请选择材料' : '请先选择干部'} disabled={!dossierId} loading={materials.isFetching}
              optionFilterProp="label" data-testid="request-materials"
              options={(materials.data ?? []).map((m) => ({ value: m.id, label: `第 ${m.classCode} 类 ${m.seq} ${m.name}` }))} />
          </Form.Item>
        )}
        <Form.Item label="期限" name="period" rules={[{ required: true, message: '请选择查阅期限' }]} extra="北京时间；最长期限以系统设置为准">
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" placeholder={['开始时间', '结束时间']} data-testid="request-period" />
        </Form.Item>
        {(mode === 'print' || mode === 'excerpt') && (
          <Form.Item label="打印次数" name="printLimit" rules={[{ required: true, message: '请填写打印次数' }]}>
            <InputNumber min={1} max={50} data-testid="request-print-limit" />
          </Form.Item>
        )}
        <Space>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="request-submit">提交申请</Button>
          <Button onClick={onClose}>取消</Button>
        </Space>
      </Form>
    </>
  );
}
