import { ArrowLeftOutlined, FileDoneOutlined, FileExcelOutlined, PlusOutlined, PrinterOutlined, ScanOutlined, UserOutlined } from '@ant-design/icons';
import { api, type BodyOf, type Catalogue, type Material } from '@dangan/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Flex, Form, Result, Skeleton, Space, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { call, isApiError, urlOf } from '../../api/client';
import { useSession } from '../../session/SessionProvider';
import { PageHeader } from '../../shared/components';
import { useErrorHandler } from '../../shared/errors';
import { DossierStateTag, dateToApi, showPartialDate } from '../cadres/format';
import { cadreKeys, catalogueKey } from '../cadres/queries';
import { ALL_CLASSES, ClassNav } from './ClassNav';
import { DeletedMaterials } from './DeletedMaterials';
import { DeleteMaterialModal } from './DeleteMaterialModal';
import { MaterialEntryDrawer } from './MaterialEntryDrawer';
import { MaterialTable, type RowValues, type TableActions } from './MaterialTable';
import {
  allMaterials, classOrdinal, countText, isImportanceClass, isLeafCode, orderAfterRequest, ruleText, sameOrder, topClassOf,
  type CatalogueClass,
} from './model';
import './catalogue.css';

/**
 * States in which the dossier has left our keeping: its catalogue is read-only until it is received
 * back. The server refuses changes then (409 DOSSIER_NOT_EDITABLE); this only spares the clerk the try.
 */
const READ_ONLY_STATES = new Set(['transferred_out', 'closed']);

const FIRST_LEAF: Record<string, string> = { '4': '4-1', '9': '9-1' };

function refusedText(rule: CatalogueClass['rule']): string {
  return rule === 'importance_then_time'
    ? '本类先按重要程度、再按形成时间排列，只有重要程度和形成时间都相同的材料可以调整先后'
    : '本类按形成时间排列，只有形成时间相同（或都不详）的材料可以调整先后';
}

function find(c: Catalogue, id: string): Material | undefined {
  return allMaterials(c).find((m) => m.id === id);
}

export default function CataloguePage() {
  const { id = '' } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const location = useLocation();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message } = App.useApp();
  const [rowForm] = Form.useForm<RowValues>();
  const [selected, setSelected] = useState(ALL_CLASSES);
  const [hideEmpty, setHideEmpty] = useState(false);
  const [onlyWarnings, setOnlyWarnings] = useState(false);
  const [entryClass, setEntryClass] = useState<string | null>(null);
  const [lastEntryClass, setLastEntryClass] = useState('1');
  const [deleting, setDeleting] = useState<Material | null>(null);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [flashId, setFlashId] = useState<string | null>(null);
  const [restoringId, setRestoringId] = useState<string | null>(null);

  const { data: catalogue, error, isLoading } = useQuery({
    queryKey: catalogueKey(id),
    queryFn: () => call(api.dossiers.catalogue, { params: { id } }),
  });

  const change = useMutation({
    mutationFn: (run: () => Promise<Catalogue>) => run(),
    onSuccess: (next) => {
      queryClient.setQueryData(catalogueKey(id), next);
      void queryClient.invalidateQueries({ queryKey: cadreKeys.all });
    },
  });
  const apply = (run: () => Promise<Catalogue>) => change.mutateAsync(run);

  // A material just saved or moved lights up where the rule put it.
  useEffect(() => {
    if (!flashId) return;
    const frame = requestAnimationFrame(() =>
      document.querySelector(`tr[data-row-key="${flashId}"]`)?.scrollIntoView({ block: 'nearest', behavior: 'smooth' }),
    );
    const timer = setTimeout(() => setFlashId(null), 2500);
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [flashId, catalogue]);

  if (error) {
    const missing = isApiError(error) && error.status === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? '档案不存在' : '无法加载档案目录'}
        subTitle={isApiError(error) ? error.message : '请稍后重试'}
        extra={
          <Button type="primary" onClick={() => navigate('/cadres')}>
            返回干部档案
          </Button>
        }
      />
    );
  }
  if (isLoading || !catalogue) return <Skeleton active paragraph={{ rows: 12 }} />;

  const readOnly = READ_ONLY_STATES.has(catalogue.dossier.state);
  const editable = can('catalogue.edit') && !readOnly;
  const warningCount = allMaterials(catalogue).filter((m) => m.warnings.length > 0).length;

  const openEntry = (code?: string) => {
    const leaf = code ? (FIRST_LEAF[code] ?? code) : selected !== ALL_CLASSES ? (FIRST_LEAF[selected] ?? selected) : lastEntryClass;
    setEntryClass(isLeafCode(leaf) ? leaf : lastEntryClass);
  };

  const startEdit = (m: Material) => {
    rowForm.resetFields();
    rowForm.setFieldsValue({
      classCode: m.classCode,
      name: m.name,
      importance: m.importance ?? 'none',
      formedOn: showPartialDate(m.formedOn, ''),
      copies: m.copies,
      pages: m.pages,
      remark: m.remark,
    });
    setEditingId(m.id);
  };

  const saveEdit = async (m: Material) => {
    let v: RowValues;
    try {
      v = await rowForm.validateFields();
    } catch {
      return;
    }
    const body: BodyOf<typeof api.materials.update> = {
      classCode: v.classCode,
      name: v.name.trim(),
      formedOn: dateToApi(v.formedOn),
      copies: v.copies,
      pages: v.pages,
      remark: v.remark?.trim() ?? '',
    };
    // An untouched rank is left to the server, which re-reads it from a changed name or class.
    if (isImportanceClass(v.classCode) && rowForm.isFieldTouched('importance')) body.importance = v.importance === 'none' ? null : v.importance;
    try {
      const next = await apply(() => call(api.materials.update, { params: { id: m.id }, body }));
      setEditingId(null);
      const after = find(next, m.id);
      if (after && after.seq !== m.seq) void message.success(`已保存「${after.name}」，序号由 ${m.seq} 变为 ${after.seq}`);
      else void message.success(`已保存「${v.name.trim()}」`);
      setFlashId(m.id);
    } catch (e) {
      handleError(e, rowForm);
    }
  };

  const reorder = (classCode: string, wanted: string[], movedId: string) => {
    const cls = catalogue.classes.find((k) => k.code === classCode);
    if (!cls) return;
    const current = cls.materials.map((m) => m.id);
    // Ask only for what the rule allows: where dates or ranks differ, the rule's order stands.
    const possible = orderAfterRequest(cls.materials, wanted);
    if (sameOrder(possible, current)) {
      void message.warning(`不能这样调整：${refusedText(cls.rule)}`);
      return;
    }
    apply(() => call(api.materials.reorder, { params: { id }, body: { classCode, materialIds: possible } }))
      .then((next) => {
        const got = next.classes.find((k) => k.code === classCode)?.materials.map((m) => m.id) ?? [];
        if (sameOrder(got, wanted)) void message.success('已调整顺序，序号已重排');
        else void message.info(`已按规则调整：${refusedText(cls.rule)}，未完全按您拖动的位置排列`, 5);
        setFlashId(movedId);
      })
      .catch((e: unknown) => handleError(e));
  };

  const actions: TableActions = {
    editable,
    editingId,
    saving: change.isPending && editingId !== null,
    busy: change.isPending,
    flashId,
    rowForm,
    startEdit,
    cancelEdit: () => setEditingId(null),
    saveEdit: (m) => void saveEdit(m),
    remove: setDeleting,
    reorder,
  };

  const shownMaterials = (k: CatalogueClass) => (onlyWarnings ? k.materials.filter((m) => m.warnings.length > 0) : k.materials);
  const top = catalogue.classes.filter((k) => k.parentCode === null);
  const subclassesOf = (code: string) => catalogue.classes.filter((k) => k.parentCode === code);
  const selectedTop = selected === ALL_CLASSES ? null : topClassOf(selected);
  const isEmpty = (k: CatalogueClass) => {
    const parts = k.rule === 'subclasses' ? subclassesOf(k.code) : [k];
    return parts.every((p) => shownMaterials(p).length === 0);
  };
  const sections = top.filter((k) => (selectedTop === null || k.code === selectedTop) && !((hideEmpty || onlyWarnings) && isEmpty(k) && selectedTop === null));

  const leafBody = (k: CatalogueClass) => {
    const materials = shownMaterials(k);
    if (materials.length === 0) {
      return (
        <Typography.Text type="secondary" style={{ display: 'block', padding: '4px 0' }}>
          {onlyWarnings ? '本类没有需核对的材料' : '暂无材料'}
        </Typography.Text>
      );
    }
    return <MaterialTable classCode={k.code} materials={materials} reorderable={!onlyWarnings && editingId === null} actions={actions} />;
  };

  const addButton = (code: string) =>
    editable && (
      <Button type="link" size="small" icon={<PlusOutlined />} onClick={() => openEntry(code)} data-testid={`add-${code}`}>
        著录
      </Button>
    );

  return (
    <>
      <PageHeader
        title={`档案目录：${catalogue.cadre.name}`}
        description={`档案号 ${catalogue.dossier.dossierNo} · 管理单位 ${catalogue.cadre.managingUnitName}`}
        extra={
          <>
            <Button icon={<ArrowLeftOutlined />} onClick={() => (location.key === 'default' ? navigate('/cadres') : navigate(-1))}>
              返回
            </Button>
            {can('cadre.read') && (
              <Button icon={<UserOutlined />} onClick={() => navigate(`/cadres/${catalogue.cadre.id}`)}>
                干部信息
              </Button>
            )}
            <Button icon={<FileDoneOutlined />} onClick={() => navigate(`/dossiers/${id}/completeness`)} data-testid="open-completeness">
              材料完整性
            </Button>
            {can('scan.ingest', 'scan.link') && (
              <Button icon={<ScanOutlined />} onClick={() => navigate(`/dossiers/${id}/scan`)} data-testid="open-scan">
                扫描与挂接
              </Button>
            )}
            <Button icon={<PrinterOutlined />} href={urlOf(api.dossiers.print, { params: { id } })} target="_blank" rel="noopener" data-testid="print-catalogue">
              打印目录
            </Button>
            <Button icon={<FileExcelOutlined />} href={urlOf(api.catalogueIo.export, { query: { dossierIds: id } })} data-testid="export-catalogue">
              导出 Excel
            </Button>
            {editable && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => openEntry()} data-testid="open-entry">
                著录材料
              </Button>
            )}
          </>
        }
      />
      <Card size="small" style={{ marginBottom: 16 }} data-testid="catalogue-summary">
        <Flex justify="space-between" align="center" gap={24} wrap>
          <Descriptions
            size="small"
            column={{ xs: 1, md: 2, xl: 4 }}
            style={{ flex: 1, minWidth: 320 }}
            items={[
              { key: 'name', label: '姓名', children: <Typography.Text strong>{catalogue.cadre.name}</Typography.Text> },
              { key: 'no', label: '档案号', children: catalogue.dossier.dossierNo },
              { key: 'state', label: '状态', children: <DossierStateTag state={catalogue.dossier.state} label={catalogue.dossier.stateLabel} /> },
              {
                key: 'custodian',
                label: '保管',
                children: [catalogue.dossier.custodianUnitName, catalogue.dossier.location].filter(Boolean).join(' · ') || '—',
              },
            ]}
          />
          <Typography.Text style={{ fontSize: 16 }} data-testid="catalogue-totals">
            材料 <Typography.Text strong style={{ fontSize: 20 }}>{catalogue.materialCount}</Typography.Text> 份 / 共{' '}
            <Typography.Text strong style={{ fontSize: 20 }}>{catalogue.pageCount}</Typography.Text> 页
          </Typography.Text>
        </Flex>
      </Card>
      {readOnly && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={`档案处于「${catalogue.dossier.stateLabel}」状态，目录只能查看，不能修改`} />
      )}
      <Flex gap={16} align="flex-start">
        {/* While the entry drawer is open the tables take the room of the tree, so that they stay in sight. */}
        {entryClass === null && (
          <Card size="small" title="分类" style={{ width: 320, flex: 'none', position: 'sticky', top: 16 }} styles={{ body: { padding: 8 } }}>
            <ClassNav
              catalogue={catalogue}
              selected={selected}
              onSelect={(code) => {
                setSelected(code);
                window.scrollTo({ top: 0, behavior: 'smooth' });
              }}
            />
          </Card>
        )}
        <Form form={rowForm} component={false}>
        <Flex vertical gap={12} style={{ flex: 1, minWidth: 0 }}>
          <Flex justify="space-between" align="center" gap={16} wrap>
            <Space size={16} wrap>
              <Space size={6}>
                <Switch size="small" checked={hideEmpty} onChange={setHideEmpty} aria-label="隐藏无材料的类别" />
                <span>隐藏无材料的类别</span>
              </Space>
              <Space size={6}>
                <Switch size="small" checked={onlyWarnings} onChange={setOnlyWarnings} disabled={warningCount === 0 && !onlyWarnings} aria-label="只看需核对的材料" />
                <span>
                  只看需核对的材料
                  {warningCount > 0 && <Typography.Text type="warning">（{warningCount} 份）</Typography.Text>}
                </span>
              </Space>
            </Space>
            {editable && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                序号按排列规则自动编排；形成时间相同的材料可拖动或用箭头调整先后
              </Typography.Text>
            )}
          </Flex>
          {sections.length === 0 && (
            <Card>
              <Typography.Text type="secondary">{onlyWarnings ? '没有需核对的材料' : '暂无材料'}</Typography.Text>
            </Card>
          )}
          {sections.map((k) => {
            const subs = k.rule === 'subclasses' ? subclassesOf(k.code).filter((s) => selected === k.code || selectedTop === null || s.code === selected) : [];
            return (
              <Card
                key={k.code}
                size="small"
                id={`class-${k.code}`}
                data-testid={`class-section-${k.code}`}
                title={
                  <span style={{ whiteSpace: 'normal' }}>
                    <Typography.Text strong>
                      {classOrdinal(k.code)} {k.label}
                    </Typography.Text>
                    <Typography.Text type="secondary">
                      （{countText(k.materialCount, k.pageCount)}）· {ruleText(k.rule)}
                    </Typography.Text>
                  </span>
                }
                extra={k.rule === 'subclasses' ? null : addButton(k.code)}
              >
                {k.rule === 'subclasses' ? (
                  <Flex vertical gap={12}>
                    {subs
                      .filter((s) => !((hideEmpty || onlyWarnings) && shownMaterials(s).length === 0 && selected !== s.code))
                      .map((s) => (
                        <div key={s.code} id={`class-${s.code}`} data-testid={`class-section-${s.code}`}>
                          <Flex justify="space-between" align="center" style={{ marginBottom: 4 }}>
                            <span>
                              <Typography.Text strong>
                                {s.code} {s.label}
                              </Typography.Text>
                              <Typography.Text type="secondary">（{countText(s.materialCount, s.pageCount)}）</Typography.Text>
                            </span>
                            {addButton(s.code)}
                          </Flex>
                          {leafBody(s)}
                        </div>
                      ))}
                  </Flex>
                ) : (
                  leafBody(k)
                )}
              </Card>
            );
          })}
          {catalogue.deleted.length > 0 && (
            <DeletedMaterials
              materials={catalogue.deleted}
              canRestore={can('material.restore') && !readOnly}
              restoringId={restoringId}
              onRestore={(m) => {
                setRestoringId(m.id);
                apply(() => call(api.materials.restore, { params: { id: m.id } }))
                  .then((next) => {
                    const back = find(next, m.id);
                    void message.success(back ? `已恢复「${m.name}」，序号 ${back.seq}` : `已恢复「${m.name}」`);
                    setFlashId(m.id);
                  })
                  .catch((e: unknown) => handleError(e))
                  .finally(() => setRestoringId(null));
              }}
            />
          )}
        </Flex>
        </Form>
      </Flex>
      <MaterialEntryDrawer
        open={entryClass !== null}
        initialClass={entryClass ?? lastEntryClass}
        catalogue={catalogue}
        onClose={() => setEntryClass(null)}
        onSave={async (body) => {
          const before = new Set(allMaterials(catalogue).map((m) => m.id));
          const next = await apply(() => call(api.materials.create, { params: { id }, body }));
          const added = allMaterials(next).find((m) => !before.has(m.id));
          setLastEntryClass(body.classCode);
          if (added) {
            void message.success(`已著录 ${added.seq}「${added.name}」`);
            setFlashId(added.id);
          }
          return next;
        }}
      />
      <DeleteMaterialModal
        material={deleting}
        onClose={() => setDeleting(null)}
        onDelete={async (m, reason) => {
          await apply(() => call(api.materials.remove, { params: { id: m.id }, body: { reason } }));
          void message.success(`已删除「${m.name}」，可在“已删除材料”中恢复`);
        }}
      />
    </>
  );
}
