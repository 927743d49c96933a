import { ArrowLeftOutlined, CheckOutlined, CloseOutlined, DeleteOutlined, LeftOutlined, RightOutlined } from '@ant-design/icons';
import { api, type Defect, type InspectionDetail } from '@dangan/contracts';
import { DEFECT_TYPES, DEFECT_TYPE_LABELS, type DefectType } from '@dangan/domain';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert, App, Button, Card, Descriptions, Empty, Flex, Form, Input, List, Modal, Popconfirm, Radio, Result, Select, Skeleton, Space, Tag, Tooltip, Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { call, isApiError } from '../../api/client';
import { useSession } from '../../session/SessionProvider';
import { PageHeader } from '../../shared/components';
import { useErrorHandler } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import { DefectCanvas, type MasterBox } from './DefectCanvas';
import { currentPageOf, defectPlace, invalidateProject, masterSizeOf, pageImageUrl, pageSequence, projectKeys, REWORK_STATE_COLORS } from './model';
import { VerdictTag } from './QualityPanel';
import './project.css';

const TYPE_OPTIONS = DEFECT_TYPES.map((t) => ({ value: t, label: DEFECT_TYPE_LABELS[t] }));

interface DefectValues {
  type: DefectType;
  where: 'page' | 'material';
  note?: string;
}

function roundText(round: number): string {
  return round > 1 ? `复检（第 ${round} 轮）` : '初检';
}

/** 不合格: the note and who reworks it (the server's default is whoever did the imaging). */
function FailModal({ inspection, open, onClose }: { inspection: InspectionDetail; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<{ note?: string; assigneeId?: string }>();
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message } = App.useApp();
  const [pending, setPending] = useState(false);
  const operators = useQuery({ queryKey: projectKeys.operators, queryFn: () => call(api.batches.operators), enabled: open });
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  const submit = async (v: { note?: string; assigneeId?: string }) => {
    setPending(true);
    try {
      const next = await call(api.inspections.verdict, { params: { id: inspection.id }, body: { verdict: 'fail', note: v.note?.trim() ?? '', assigneeId: v.assigneeId } });
      queryClient.setQueryData(projectKeys.inspection(inspection.id), next);
      void invalidateProject(queryClient);
      void message.success(next.rework ? `已判定不合格，整改已派发给 ${next.rework.assignee.name}` : '已判定不合格');
      onClose();
    } catch (e) {
      handleError(e, form);
    } finally {
      setPending(false);
    }
  };
  return (
    <Modal open={open} title="质检结论：不合格" okText="判定不合格并派发整改" okButtonProps={{ danger: true }} cancelText="取消" onOk={() => form.submit()} confirmLoading={pending} onCancel={onClose} forceRender>
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={`共登记 ${inspection.defects.length} 处缺陷。判定后派发整改，整改完成提交后进行复检。`} />
      <Form form={form} name="verdict-fail" layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item label="整改人" name="assigneeId" extra="不选则派给该卷图像处理（或扫描）环节的完成人">
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            loading={operators.isLoading}
            placeholder="默认：图像处理环节完成人"
            options={(operators.data ?? []).map((u) => ({ value: u.id, label: `${u.name}（${u.username}）` }))}
          />
        </Form.Item>
        <Form.Item label="质检意见" name="note" rules={[{ max: 500, message: '不超过 500 个字' }]}>
          <Input.TextArea rows={3} maxLength={500} placeholder="如：第 2 页模糊须重扫，重复扫描一页须删除并补扫" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * 质量检查: the inspector pages through the dossier, draws a box round each defect on the page image,
 * names its kind and notes it, and gives the verdict. 不合格 sends the dossier to rework.
 */
export default function InspectionPage() {
  const { id = '' } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<DefectValues>();
  const [draft, setDraft] = useState<MasterBox | null>(null);
  const [saving, setSaving] = useState(false);
  const [failing, setFailing] = useState(false);
  const [passing, setPassing] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);

  const inspectionQuery = useQuery({ queryKey: projectKeys.inspection(id), queryFn: () => call(api.inspections.get, { params: { id } }) });
  const inspection = inspectionQuery.data;
  const dossierId = inspection?.dossierId ?? '';
  const pagesQuery = useQuery({
    queryKey: projectKeys.pages(dossierId),
    queryFn: () => call(api.pages.ofDossier, { params: { id: dossierId } }),
    enabled: !!dossierId,
  });
  // A re-inspection checks what the last round found: its defects, with how they were fixed.
  const lastRoundId = inspection?.earlier.at(-1)?.id ?? '';
  const lastRound = useQuery({
    queryKey: projectKeys.inspection(lastRoundId),
    queryFn: () => call(api.inspections.get, { params: { id: lastRoundId } }),
    enabled: !!lastRoundId,
  });
  const sequence = useMemo(() => pageSequence(pagesQuery.data), [pagesQuery.data]);
  const currentId = params.get('page') ?? sequence[0]?.page.id ?? null;
  const index = Math.max(0, sequence.findIndex((s) => s.page.id === currentId));
  const current = sequence[index];
  const open = !!inspection && inspection.verdict === null && can('qc.inspect');

  const go = (pageId: string) => {
    setDraft(null);
    setParams({ page: pageId }, { replace: true });
  };

  // ← and → turn the pages, except while typing.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && ['INPUT', 'TEXTAREA'].includes(target.tagName)) return;
      if (target?.closest('.ant-select, .ant-modal')) return;
      const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
      const next = sequence[index + step];
      if (step && next) go(next.page.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (inspectionQuery.error) {
    const missing = isApiError(inspectionQuery.error) && inspectionQuery.error.status === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? '质检记录不存在' : '无法加载质检记录'}
        subTitle={isApiError(inspectionQuery.error) ? inspectionQuery.error.message : '请稍后重试'}
        extra={
          <Button type="primary" onClick={() => navigate('/batches')}>
            返回数字化加工
          </Button>
        }
      />
    );
  }
  if (!inspection) return <Skeleton active paragraph={{ rows: 12 }} />;

  const placeOf = (d: Defect) => currentPageOf(pagesQuery.data, d)?.page.id ?? null;
  const defectsOn = (pageId: string) => inspection.defects.filter((d) => placeOf(d) === pageId);
  const earlierDefects = lastRound.data?.defects ?? [];
  const boxes = current
    ? [
        ...earlierDefects
          .filter((d) => d.box && placeOf(d) === current.page.id)
          .map((d) => ({ key: d.id, box: d.box as MasterBox, label: `上轮 ${d.typeLabel}${d.fixed ? '（已整改）' : ''}`, fixed: true, selected: d.id === selected })),
        ...defectsOn(current.page.id)
          .filter((d) => d.box)
          .map((d, i) => ({ key: d.id, box: d.box as MasterBox, label: `${i + 1} ${d.typeLabel}`, fixed: !!d.fixed, selected: d.id === selected })),
      ]
    : [];
  const showDefect = (d: Defect) => {
    setSelected(d.id);
    const at = placeOf(d);
    if (at && at !== current?.page.id) go(at);
  };

  const addDefect = async (v: DefectValues) => {
    if (!current && v.where === 'page') return;
    setSaving(true);
    try {
      const onPage = v.where === 'page';
      const next = await call(api.inspections.addDefect, {
        params: { id },
        body: {
          type: v.type,
          pageId: onPage ? current!.page.id : null,
          materialId: onPage ? null : (current?.material?.id ?? null),
          box: onPage ? draft : null,
          note: v.note?.trim() ?? '',
        },
      });
      queryClient.setQueryData(projectKeys.inspection(id), next);
      void invalidateProject(queryClient);
      void message.success(`已登记缺陷：${DEFECT_TYPE_LABELS[v.type]}`);
      setDraft(null);
      form.resetFields(['note']);
    } catch (e) {
      handleError(e, form);
    } finally {
      setSaving(false);
    }
  };

  const removeDefect = async (d: Defect) => {
    try {
      const next = await call(api.inspections.removeDefect, { params: { id, defectId: d.id } });
      queryClient.setQueryData(projectKeys.inspection(id), next);
      void invalidateProject(queryClient);
      void message.success('已删除缺陷');
    } catch (e) {
      handleError(e);
    }
  };

  const pass = async () => {
    setPassing(true);
    try {
      const next = await call(api.inspections.verdict, { params: { id }, body: { verdict: 'pass', note: '' } });
      queryClient.setQueryData(projectKeys.inspection(id), next);
      void invalidateProject(queryClient);
      void message.success('已判定合格');
    } catch (e) {
      handleError(e);
    } finally {
      setPassing(false);
    }
  };

  return (
    <div data-testid="inspection-page" data-verdict={inspection.verdict ?? 'open'}>
      <PageHeader
        title={`质量检查：${inspection.dossierNo} ${inspection.cadreName}`}
        description={
          <Space size={12} wrap>
            <Link to={`/batches/${inspection.batchId}?tab=quality`}>{inspection.batchCode}</Link>
            <span>{roundText(inspection.round)}</span>
            <span>{`质检员 ${inspection.inspector.name}，${formatDateTime(inspection.openedAt)} 开始`}</span>
            <VerdictTag verdict={inspection.verdict} />
          </Space>
        }
        extra={
          <>
            <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(`/batches/${inspection.batchId}?tab=quality`)}>
              返回批次
            </Button>
            {open && (
              <>
                <Popconfirm
                  title="判定本卷质检合格？"
                  description={inspection.defects.length ? `已登记 ${inspection.defects.length} 处缺陷，仍判定合格？` : '未登记缺陷'}
                  okText="合格"
                  cancelText="取消"
                  onConfirm={() => pass()}
                >
                  <Button type="primary" icon={<CheckOutlined />} loading={passing} data-testid="verdict-pass">
                    合格
                  </Button>
                </Popconfirm>
                <Button danger icon={<CloseOutlined />} onClick={() => setFailing(true)} disabled={inspection.defects.length === 0} data-testid="verdict-fail">
                  不合格
                </Button>
              </>
            )}
          </>
        }
      />
      {inspection.verdict && (
        <Alert
          type={inspection.verdict === 'pass' ? 'success' : 'error'}
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="verdict-banner"
          title={
            <span>
              {`${formatDateTime(inspection.verdictAt)} 判定${inspection.verdict === 'pass' ? '合格' : '不合格'}${inspection.note ? `：${inspection.note}` : ''}`}
              {inspection.rework && (
                <>
                  {'　整改：'}
                  <Link to={`/rework/${inspection.rework.id}`}>{`${inspection.rework.assignee.name} · ${inspection.rework.stateLabel}`}</Link>
                </>
              )}
            </span>
          }
        />
      )}
      {inspection.earlier.length > 0 && (
        <Card size="small" style={{ marginBottom: 12 }} title="此前各轮">
          <Space wrap>
            {inspection.earlier.map((e) => (
              <Link key={e.id} to={`/inspections/${e.id}`}>
                <Space size={4}>
                  <span>{roundText(e.round)}</span>
                  <VerdictTag verdict={e.verdict} />
                  <Typography.Text type="secondary">{`${e.defectCount} 处缺陷`}</Typography.Text>
                </Space>
              </Link>
            ))}
          </Space>
        </Card>
      )}
      <div className="inspect-desk">
        <div className="inspect-thumbs" data-testid="inspect-thumbs">
          {pagesQuery.isLoading && <Skeleton active />}
          {pagesQuery.error && <Alert type="error" showIcon title={isApiError(pagesQuery.error) ? pagesQuery.error.message : '无法加载页面'} />}
          {pagesQuery.data && sequence.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="本档案尚无扫描页面" />}
          {pagesQuery.data &&
            [...pagesQuery.data.materials.filter((m) => m.pageIds.length > 0).map((m) => ({ key: m.id, title: `${m.seq} ${m.name}`, m })), { key: 'unlinked', title: '未挂接', m: null }]
              .map((g) => ({ ...g, pages: sequence.filter((s) => (g.m ? s.material?.id === g.m.id : s.material === null)) }))
              .filter((g) => g.pages.length > 0)
              .map((g) => (
                <div key={g.key}>
                  <div className="inspect-material-title" title={g.title}>
                    {g.title}
                    {g.m && g.m.expectedPages !== g.m.pageIds.length && (
                      <Typography.Text type="warning" style={{ fontSize: 11 }}>{`（目录 ${g.m.expectedPages} 页）`}</Typography.Text>
                    )}
                  </div>
                  {g.pages.map((s) => {
                    const n = defectsOn(s.page.id).length;
                    return (
                      <div
                        key={s.page.id}
                        role="button"
                        tabIndex={0}
                        className={`inspect-thumb${s.page.id === current?.page.id ? ' inspect-thumb-current' : ''}`}
                        onClick={() => go(s.page.id)}
                        onKeyDown={(e) => e.key === 'Enter' && go(s.page.id)}
                        data-testid="inspect-thumb"
                        data-page-id={s.page.id}
                        aria-label={s.label}
                      >
                        <img src={pageImageUrl(s.page.id, s.page.version, 'thumb')} alt={s.label} loading="lazy" draggable={false} />
                        <span>{`第 ${s.no} 页`}</span>
                        {n > 0 && <span className="inspect-thumb-badge">{n}</span>}
                      </div>
                    );
                  })}
                </div>
              ))}
        </div>
        <div className="inspect-viewer">
          <div className="inspect-viewer-bar">
            <Space>
              <Button size="small" icon={<LeftOutlined />} disabled={index <= 0} onClick={() => sequence[index - 1] && go(sequence[index - 1]!.page.id)} aria-label="上一页" />
              <Typography.Text strong data-testid="current-page-label">
                {current ? `${current.label}${current.material ? `「${current.material.name}」` : ''}` : '—'}
              </Typography.Text>
              <Typography.Text type="secondary">{sequence.length ? `${index + 1} / ${sequence.length}` : ''}</Typography.Text>
              <Button size="small" icon={<RightOutlined />} disabled={index >= sequence.length - 1} onClick={() => sequence[index + 1] && go(sequence[index + 1]!.page.id)} aria-label="下一页" />
            </Space>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {open ? '在图像上按住鼠标拖出方框标注缺陷；← → 翻页' : '← → 翻页'}
            </Typography.Text>
          </div>
          {current ? (
            <DefectCanvas
              key={current.page.id}
              src={pageImageUrl(current.page.id, current.page.version, 'web')}
              alt={current.label}
              masterSize={masterSizeOf(current.page)}
              boxes={boxes}
              draft={draft}
              onDraw={open ? setDraft : undefined}
              testId="inspect-canvas"
            />
          ) : (
            <div style={{ flex: 1 }} />
          )}
        </div>
        <div className="inspect-side">
          {open && (
            <Card size="small" title="登记缺陷" data-testid="defect-form">
              <Form
                form={form}
                name="defect"
                layout="vertical"
                initialValues={{ where: 'page' }}
                onFinish={(v) => void addDefect(v)}
                requiredMark={false}
              >
                <Form.Item name="where" style={{ marginBottom: 8 }}>
                  <Radio.Group
                    optionType="button"
                    size="small"
                    options={[
                      { value: 'page', label: '本页' },
                      { value: 'material', label: '本份材料（如漏扫）', disabled: !current?.material },
                    ]}
                  />
                </Form.Item>
                <Form.Item noStyle shouldUpdate={(a, b) => a.where !== b.where}>
                  {() =>
                    form.getFieldValue('where') === 'page' && (
                      <Typography.Paragraph type={draft ? 'success' : 'secondary'} style={{ fontSize: 12, marginBottom: 8 }} data-testid="draft-hint">
                        {draft ? `已框选区域 ${draft[2]}×${draft[3]} 像素（可重新拖动）` : '可在图像上拖出方框标出缺陷位置（不框选则为整页）'}
                      </Typography.Paragraph>
                    )
                  }
                </Form.Item>
                <Form.Item label="缺陷类型" name="type" rules={[{ required: true, message: '请选择缺陷类型' }]}>
                  <Select options={TYPE_OPTIONS} placeholder="选择缺陷类型" data-testid="defect-type" />
                </Form.Item>
                <Form.Item label="说明" name="note" rules={[{ max: 500, message: '不超过 500 个字' }]}>
                  <Input.TextArea rows={2} maxLength={500} placeholder="如：文字模糊不可辨认，须重扫" aria-label="缺陷说明" />
                </Form.Item>
                <Space>
                  <Button type="primary" htmlType="submit" loading={saving} disabled={!current} data-testid="add-defect">
                    登记缺陷
                  </Button>
                  {draft && <Button onClick={() => setDraft(null)}>清除框选</Button>}
                </Space>
              </Form>
            </Card>
          )}
          {earlierDefects.length > 0 && (
            <Card size="small" title={`上轮缺陷与整改（${earlierDefects.filter((d) => d.fixed).length}/${earlierDefects.length} 已整改）`} data-testid="earlier-defects">
              <List
                size="small"
                dataSource={earlierDefects}
                renderItem={(d) => (
                  <List.Item
                    style={{ cursor: 'pointer', background: d.id === selected ? '#f6ffed' : undefined, paddingInline: 4 }}
                    onClick={() => showDefect(d)}
                  >
                    <Flex vertical gap={2}>
                      <Space size={4} wrap>
                        <Tag>{d.typeLabel}</Tag>
                        <Typography.Text>{defectPlace(d)}</Typography.Text>
                        {d.fixed ? <Tag color="green">已整改</Tag> : <Tag color="orange">未整改</Tag>}
                      </Space>
                      {d.fixed && (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {`${d.fixed.by.name} ${formatDateTime(d.fixed.at)}${d.fixed.note ? `：${d.fixed.note}` : ''}`}
                        </Typography.Text>
                      )}
                    </Flex>
                  </List.Item>
                )}
              />
            </Card>
          )}
          <Card size="small" title={`缺陷（${inspection.defects.length}）`} data-testid="defect-list">
            {inspection.defects.length === 0 ? (
              <Typography.Text type="secondary">未登记缺陷</Typography.Text>
            ) : (
              <List
                size="small"
                dataSource={inspection.defects}
                renderItem={(d) => (
                  <List.Item
                    data-testid="defect-item"
                    style={{ cursor: d.pageId ? 'pointer' : undefined, background: d.id === selected ? '#e6f4ff' : undefined, paddingInline: 4 }}
                    onClick={() => showDefect(d)}
                    actions={
                      open
                        ? [
                            <Popconfirm key="del" title="删除这处缺陷？" okText="删除" cancelText="取消" onConfirm={() => removeDefect(d)}>
                              <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label="删除缺陷" onClick={(e) => e.stopPropagation()} />
                            </Popconfirm>,
                          ]
                        : undefined
                    }
                  >
                    <Flex vertical gap={2}>
                      <Space size={4} wrap>
                        <Tag color="red">{d.typeLabel}</Tag>
                        <Typography.Text>{defectPlace(d)}</Typography.Text>
                        {d.box && <Typography.Text type="secondary">（已框选）</Typography.Text>}
                        {d.fixed && (
                          <Tooltip title={`${d.fixed.by.name} ${formatDateTime(d.fixed.at)}${d.fixed.note ? `：${d.fixed.note}` : ''}`}>
                            <Tag color="green">已整改</Tag>
                          </Tooltip>
                        )}
                      </Space>
                      {d.note && <Typography.Text type="secondary">{d.note}</Typography.Text>}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{`${d.createdBy.name} ${formatDateTime(d.createdAt)}`}</Typography.Text>
                    </Flex>
                  </List.Item>
                )}
              />
            )}
          </Card>
          {inspection.rework && (
            <Card size="small" title="整改">
              <Descriptions size="small" column={1}>
                <Descriptions.Item label="整改人">{inspection.rework.assignee.name}</Descriptions.Item>
                <Descriptions.Item label="状态">
                  <Tag color={REWORK_STATE_COLORS[inspection.rework.state]}>{inspection.rework.stateLabel}</Tag>
                </Descriptions.Item>
                <Descriptions.Item label="已整改">{`${inspection.rework.fixedCount}/${inspection.rework.defectCount}`}</Descriptions.Item>
              </Descriptions>
            </Card>
          )}
        </div>
      </div>
      <FailModal inspection={inspection} open={failing} onClose={() => setFailing(false)} />
    </div>
  );
}
