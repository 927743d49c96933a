import {
  ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, DownloadOutlined, FileSearchOutlined, LeftOutlined, RedoOutlined, RightOutlined, RollbackOutlined,
  ScissorOutlined, SwapOutlined, SyncOutlined, UndoOutlined, UploadOutlined,
} from '@ant-design/icons';
import { api, PAGE_STATUS_LABELS, type DossierPages, type PageOps, type ScanPage, type ScanPageDetail } from '@dangan/contracts';
import { arrayMove } from '@dnd-kit/sortable';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert, App, Button, Collapse, Descriptions, Divider, Drawer, Empty, Flex, InputNumber, Popconfirm, Segmented, Slider, Space, Switch, Tag,
  Tooltip, Typography,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { call, uploadWithProgress } from '../../api/client';
import { useErrorHandler } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import { DeletePageModal } from './DeletePageModal';
import { ImageStage, type Box } from './ImageStage';
import { ProofreadDrawer } from './ProofreadDrawer';
import { ACCEPT, contentTypeOf, hasOps, imageUrl, materialLabel, pagesById, qualityFlags, scanKeys } from './model';
import { useBoardActions } from './useBoard';

/** A positive skew angle turns the page clockwise, as CSS does. */
const SKEW_LIMIT = 5;
const PREVIEWABLE = new Set(['jpeg', 'jpg', 'png', 'image/jpeg', 'image/png']);

type ViewMode = 'after' | 'before' | 'both';

const STEP_LABELS: Record<string, string> = {
  decode: '解码', orient: '方向判定', rotate: '旋转', deskew: '纠偏', crop: '裁边', despeckle: '去污点', analyse: '质量分析',
  analyze: '质量分析', encode: '编码', thumbnail: '缩略图', store: '存储', blank: '空白页检测', blur: '清晰度检测',
};

function norm(deg: number): 0 | 90 | 180 | 270 {
  return ((((Math.round(deg / 90) * 90) % 360) + 360) % 360) as 0 | 90 | 180 | 270;
}

function showValue(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(3);
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (v === null || v === undefined) return '—';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The saved crop's top-left corner in the upright page, where the master image begins. */
function savedOrigin(page: ScanPage): [number, number] {
  if (page.ops.cropBox === null) return [0, 0];
  const box = page.ops.cropBox ?? page.analysis?.cropBox;
  return box ? [box[0], box[1]] : [0, 0];
}

function StepsPanel({ detail }: { detail: ScanPageDetail | undefined }) {
  if (!detail) return <Typography.Text type="secondary">加载中…</Typography.Text>;
  return (
    <Flex vertical gap={8}>
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'f', label: '原图格式', children: `${detail.original.format.toUpperCase()}，${(detail.original.size / 1024).toFixed(0)} KB` },
          {
            key: 'h', label: `校验值（${detail.original.algorithm.toUpperCase()}）`,
            children: <Typography.Text copyable={{ text: detail.original.hash }} style={{ fontSize: 12, wordBreak: 'break-all' }}>{detail.original.hash.slice(0, 24)}…</Typography.Text>,
          },
          { key: 'p', label: '处理时间', children: formatDateTime(detail.processedAt) },
        ]}
      />
      {detail.steps.length === 0 ? (
        <Typography.Text type="secondary">尚无处理记录</Typography.Text>
      ) : (
        <ol className="scan-steps" data-testid="page-steps">
          {detail.steps.map((s, i) => (
            <li key={i}>
              <Flex justify="space-between">
                <Typography.Text strong>{STEP_LABELS[s.name] ?? s.name}</Typography.Text>
                <Typography.Text type="secondary">{s.ms} 毫秒</Typography.Text>
              </Flex>
              {[...Object.entries(s.params).map(([k, v]) => ['参数', k, v] as const), ...Object.entries(s.result).map(([k, v]) => ['结果', k, v] as const)].map(
                ([kind, k, v]) => (
                  <div key={kind + k} className="scan-step-row">
                    <Typography.Text type="secondary">
                      {kind} {k}：
                    </Typography.Text>
                    {showValue(v)}
                  </div>
                ),
              )}
            </li>
          ))}
        </ol>
      )}
    </Flex>
  );
}

/**
 * One page up close: zoom and pan, processed against original, and a clerk's corrections (direction,
 * deskew, crop, despeckle) sent as operations on the original; plus the page's place, rescan and deletion.
 */
export function PageEditor({
  pageId, data, dossierId, canEdit, canLink, onClose, onOpen, onMove,
}: {
  pageId: string | null;
  data: DossierPages;
  dossierId: string;
  canEdit: boolean;
  canLink: boolean;
  onClose: () => void;
  onOpen: (pageId: string) => void;
  onMove: (pageId: string) => void;
}) {
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message } = App.useApp();
  const { reorder } = useBoardActions(dossierId);
  const page = pageId ? pagesById(data).get(pageId) : undefined;
  const [mode, setMode] = useState<ViewMode>('after');
  const [draft, setDraft] = useState<PageOps>({});
  const [cropping, setCropping] = useState(false);
  const [webSize, setWebSize] = useState<{ width: number; height: number } | null>(null);
  const [saving, setSaving] = useState(false);
  const [replacing, setReplacing] = useState<number | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [proofreading, setProofreading] = useState(false);
  const replaceInput = useRef<HTMLInputElement>(null);

  const busy = !!page && (page.status === 'pending' || page.status === 'processing');
  const detail = useQuery({
    queryKey: scanKeys.page(pageId ?? ''),
    queryFn: () => call(api.pages.get, { params: { id: pageId! } }),
    enabled: !!pageId,
    refetchInterval: busy ? 1000 : false,
  });
  // The board polls while pages are in work; the open page keeps it doing so.
  useEffect(() => {
    if (detail.data && page && detail.data.version !== page.version) void queryClient.invalidateQueries({ queryKey: scanKeys.pages(dossierId) });
  }, [detail.data, page, dossierId, queryClient]);

  const pageKey = page ? `${page.id}:${page.version}:${JSON.stringify(page.ops)}` : '';
  const [draftKey, setDraftKey] = useState('');
  if (draftKey !== pageKey) {
    setDraftKey(pageKey);
    setDraft(page?.ops ?? {});
    setCropping(false);
  }

  const order = useMemo(() => [...data.materials.flatMap((m) => m.pageIds), ...data.unlinkedPageIds], [data]);
  const at = pageId ? order.indexOf(pageId) : -1;
  const material = page?.materialId ? data.materials.find((m) => m.id === page.materialId) : undefined;
  const indexInMaterial = material && pageId ? material.pageIds.indexOf(pageId) : -1;

  if (!page) {
    return (
      <Drawer open={!!pageId} onClose={onClose} title="页面" size={480}>
        <Empty description="页面已不存在（可能已被删除）" />
      </Drawer>
    );
  }

  const a = page.analysis;
  const savedRotation = page.ops.rotation ?? norm(a?.rotation ?? 0);
  const savedSkew = page.ops.skewDeg ?? a?.skewDeg ?? 0;
  const rotation = draft.rotation ?? savedRotation;
  const skew = draft.skewDeg ?? savedSkew;
  const despeckle = draft.despeckle ?? page.ops.despeckle ?? true;
  const dirty = JSON.stringify(draft) !== JSON.stringify(page.ops);
  const turned = rotation !== savedRotation || Math.abs(skew - savedSkew) > 1e-9;
  const preview = ((rotation - savedRotation + 540) % 360) - 180 + (skew - savedSkew);

  const originalFormat = detail.data?.original.format.toLowerCase() ?? '';
  const canShowOriginal = PREVIEWABLE.has(originalFormat);

  // The crop box lives in the upright page; the web image shows the saved crop of it, scaled down.
  const [ox, oy] = savedOrigin(page);
  const k = a && webSize ? a.width / webSize.width : 1;
  const cropOnWeb: Box | null = webSize
    ? Array.isArray(draft.cropBox)
      ? (() => {
          const [x, y, w, h] = draft.cropBox;
          const left = Math.max(0, Math.min(webSize.width - 16, (x - ox) / k));
          const top = Math.max(0, Math.min(webSize.height - 16, (y - oy) / k));
          return [left, top, Math.min(webSize.width - left, w / k), Math.min(webSize.height - top, h / k)] as Box;
        })()
      : [0, 0, webSize.width, webSize.height]
    : null;
  const setCropFromWeb = (b: Box) =>
    setDraft((d) => ({ ...d, cropBox: [Math.round(ox + b[0] * k), Math.round(oy + b[1] * k), Math.round(b[2] * k), Math.round(b[3] * k)] }));

  const setTurn = (change: Partial<PageOps>) =>
    setDraft((d) => {
      const next = { ...d, ...change };
      // A new direction or angle moves everything: the crop is found again on the result.
      if (Array.isArray(next.cropBox)) delete next.cropBox;
      return next;
    });

  const afterSave = (next: ScanPage, text: string) => {
    queryClient.setQueryData<DossierPages>(scanKeys.pages(dossierId), (d) => (d ? { ...d, pages: d.pages.map((p) => (p.id === next.id ? next : p)) } : d));
    void queryClient.invalidateQueries({ queryKey: scanKeys.page(next.id) });
    void queryClient.invalidateQueries({ queryKey: scanKeys.pages(dossierId) });
    void message.success(text);
  };

  const save = async (ops: PageOps, text: string) => {
    setSaving(true);
    try {
      const next = await call(api.pages.edit, { params: { id: page.id }, body: { ops } });
      setCropping(false);
      afterSave(next, text);
    } catch (e) {
      handleError(e);
    } finally {
      setSaving(false);
    }
  };

  const replace = async (file: File) => {
    setReplacing(0);
    try {
      const next = await uploadWithProgress(
        api.pages.replace,
        { type: contentTypeOf(file), data: file },
        { params: { id: page.id }, query: { name: file.name } },
        { onProgress: (p) => setReplacing(Math.floor((100 * p.loaded) / Math.max(1, p.total))) },
      );
      afterSave(next, '已替换为重扫图像，正在处理');
    } catch (e) {
      handleError(e);
    } finally {
      setReplacing(null);
    }
  };

  const title = material ? `${materialLabel(material)} · 第 ${indexInMaterial + 1} 页` : `未挂接 · ${page.fileName}${page.sourcePage > 1 ? ` 第 ${page.sourcePage} 页` : ''}`;
  const flags = qualityFlags(a);
  const stageAfter = (
    <ImageStage
      key={`after-${page.id}-${page.version}`}
      src={imageUrl(page, 'web')}
      alt="处理后"
      previewRotation={cropping ? 0 : preview}
      crop={cropping ? cropOnWeb : null}
      onCropChange={cropping ? setCropFromWeb : undefined}
      onSize={setWebSize}
      testId="stage-after"
    />
  );
  const stageBefore = canShowOriginal ? (
    <ImageStage key={`before-${page.id}-${page.version}`} src={imageUrl(page, 'original')} alt="原图" testId="stage-before" />
  ) : (
    <Flex vertical align="center" justify="center" gap={12} className="scan-stage" style={{ background: '#fafafa' }}>
      <Typography.Text type="secondary">原图格式（{originalFormat.toUpperCase() || '未知'}）不支持预览</Typography.Text>
      <Button icon={<DownloadOutlined />} href={imageUrl(page, 'original')} download>
        下载原图
      </Button>
    </Flex>
  );

  return (
    <Drawer
      open={!!pageId}
      onClose={onClose}
      size="calc(100vw - 96px)"
      destroyOnHidden
      title={
        <Flex align="center" gap={8}>
          <span data-testid="editor-title">{title}</span>
          <Tag color={page.status === 'processed' ? 'success' : page.status === 'failed' ? 'error' : 'processing'} data-testid="editor-status">
            {PAGE_STATUS_LABELS[page.status]}
          </Tag>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
            第 {page.version} 版
          </Typography.Text>
        </Flex>
      }
      extra={
        <Space>
          <Button
            icon={<FileSearchOutlined />}
            disabled={page.status !== 'processed'}
            onClick={() => setProofreading(true)}
            data-testid="open-proofread"
          >
            文字校对
          </Button>
          <Typography.Text type="secondary">
            {at + 1} / {order.length}
          </Typography.Text>
          <Button icon={<LeftOutlined />} disabled={at <= 0} onClick={() => onOpen(order[at - 1]!)}>
            上一页
          </Button>
          <Button icon={<RightOutlined />} disabled={at < 0 || at >= order.length - 1} onClick={() => onOpen(order[at + 1]!)}>
            下一页
          </Button>
        </Space>
      }
      styles={{ body: { padding: 0, display: 'flex', overflow: 'hidden' } }}
      data-testid="page-editor"
    >
      <Flex vertical style={{ flex: 1, minWidth: 0, borderRight: '1px solid #f0f0f0' }}>
        <Flex justify="space-between" align="center" style={{ padding: '8px 12px', borderBottom: '1px solid #f0f0f0' }} gap={8} wrap>
          <Segmented<ViewMode>
            value={mode}
            onChange={setMode}
            options={[
              { value: 'after', label: '处理后' },
              { value: 'before', label: '原图' },
              { value: 'both', label: '对照' },
            ]}
            aria-label="显示方式"
          />
          {dirty && !cropping && turned && (
            <Typography.Text type="warning" style={{ fontSize: 12 }}>
              预览为近似效果，保存后按原图重新处理
            </Typography.Text>
          )}
          {cropping && <Typography.Text style={{ fontSize: 12 }}>拖动裁切框的边角调整范围，拖动框内移动</Typography.Text>}
        </Flex>
        <div style={{ flex: 1, minHeight: 0, display: 'flex' }}>
          {page.status === 'processed' ? (
            mode === 'after' ? (
              stageAfter
            ) : mode === 'before' ? (
              stageBefore
            ) : (
              <>
                <div style={{ flex: 1, minWidth: 0, display: 'flex', borderRight: '1px solid #f0f0f0' }}>{stageBefore}</div>
                <div style={{ flex: 1, minWidth: 0, display: 'flex' }}>{stageAfter}</div>
              </>
            )
          ) : page.status === 'failed' ? (
            <Flex flex={1} align="center" justify="center">
              <Alert type="error" showIcon title="处理失败" description={page.errorMessage ?? '图像无法处理，请以重扫图像替换或删除本页'} />
            </Flex>
          ) : (
            <Flex flex={1} align="center" justify="center">
              <Typography.Text type="secondary" data-testid="editor-busy">
                <SyncOutlined spin /> 正在按原图重新处理，请稍候…
              </Typography.Text>
            </Flex>
          )}
        </div>
      </Flex>
      <div className="scan-editor-panel">
        {page.status === 'failed' && page.version > 0 && (
          <Alert type="error" showIcon style={{ marginBottom: 12 }} title="最近一次处理失败" description={page.errorMessage} />
        )}
        {flags.length > 0 && (
          <div style={{ marginBottom: 8 }}>
            {flags.map((f) => (
              <Tooltip key={f.key} title={f.tip}>
                <Tag color={f.color}>{f.label}</Tag>
              </Tooltip>
            ))}
          </div>
        )}
        {canEdit && (
          <>
            <Divider titlePlacement="start" plain style={{ margin: '4px 0 8px' }}>
              人工修正
            </Divider>
            <div className="scan-editor-field">
              <Typography.Text type="secondary">方向</Typography.Text>
              <Space size={4} wrap>
                <Button size="small" icon={<UndoOutlined />} onClick={() => setTurn({ rotation: norm(rotation - 90) })} disabled={busy}>
                  左转 90°
                </Button>
                <Button size="small" icon={<RedoOutlined />} onClick={() => setTurn({ rotation: norm(rotation + 90) })} disabled={busy}>
                  右转 90°
                </Button>
                <Button size="small" icon={<SwapOutlined />} onClick={() => setTurn({ rotation: norm(rotation + 180) })} disabled={busy}>
                  180°
                </Button>
              </Space>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                当前旋转 {rotation}°{page.ops.rotation === undefined && draft.rotation === undefined ? '（自动判定）' : ''}
              </Typography.Text>
            </div>
            <div className="scan-editor-field">
              <Typography.Text type="secondary">纠偏角度（度）</Typography.Text>
              <Flex gap={8} align="center">
                <Slider
                  min={-SKEW_LIMIT}
                  max={SKEW_LIMIT}
                  step={0.1}
                  value={Math.max(-SKEW_LIMIT, Math.min(SKEW_LIMIT, skew))}
                  onChange={(v) => setTurn({ skewDeg: Math.round(v * 10) / 10 })}
                  style={{ flex: 1 }}
                  disabled={busy}
                  tooltip={{ formatter: (v) => `${v}°` }}
                  marks={{ [-SKEW_LIMIT]: `${-SKEW_LIMIT}°`, 0: '0°', [SKEW_LIMIT]: `${SKEW_LIMIT}°` }}
                />
                <InputNumber
                  size="small"
                  min={-45}
                  max={45}
                  step={0.1}
                  precision={1}
                  value={Math.round(skew * 10) / 10}
                  onChange={(v) => typeof v === 'number' && setTurn({ skewDeg: v })}
                  style={{ width: 72 }}
                  aria-label="纠偏角度"
                  disabled={busy}
                />
              </Flex>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {page.ops.skewDeg === undefined && draft.skewDeg === undefined ? `自动检测 ${(a?.skewDeg ?? 0).toFixed(2)}°；` : ''}正值顺时针
              </Typography.Text>
            </div>
            <div className="scan-editor-field">
              <Typography.Text type="secondary">裁切</Typography.Text>
              <Space size={4} wrap>
                <Button
                  size="small"
                  type={cropping ? 'primary' : 'default'}
                  icon={<ScissorOutlined />}
                  disabled={busy || turned || page.status !== 'processed'}
                  onClick={() => {
                    setMode('after');
                    setCropping((c) => !c);
                  }}
                  data-testid="toggle-crop"
                >
                  {cropping ? '完成框选' : '调整裁切框'}
                </Button>
                <Button size="small" disabled={busy || draft.cropBox === undefined} onClick={() => setDraft(({ cropBox: _, ...rest }) => rest)}>
                  自动裁边
                </Button>
                <Button size="small" disabled={busy || draft.cropBox === null} onClick={() => setDraft((d) => ({ ...d, cropBox: null }))}>
                  不裁切
                </Button>
              </Space>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {draft.cropBox === null
                  ? '不裁切：保留整页'
                  : Array.isArray(draft.cropBox)
                    ? `人工裁切 ${draft.cropBox[2]}×${draft.cropBox[3]} 像素`
                    : '自动裁去黑边'}
                {turned && '；改变方向或角度后裁切框将重新检测'}
                {cropping && '；只能在当前图像内缩小，如需扩大请先选“不裁切”并保存'}
              </Typography.Text>
            </div>
            <div className="scan-editor-field">
              <Flex justify="space-between" align="center">
                <Typography.Text type="secondary">去污点</Typography.Text>
                <Switch size="small" checked={despeckle} onChange={(v) => setDraft((d) => ({ ...d, despeckle: v }))} disabled={busy} aria-label="去污点" />
              </Flex>
              {a && a.specklesRemoved > 0 && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  上次处理去除 {a.specklesRemoved} 处污点
                </Typography.Text>
              )}
            </div>
            <Flex gap={8} wrap style={{ marginTop: 12 }}>
              <Button type="primary" disabled={!dirty || busy} loading={saving} onClick={() => void save(draft, '已保存修正，正在按原图重新处理')} data-testid="save-ops">
                保存修正
              </Button>
              <Button disabled={!dirty || saving} onClick={() => { setDraft(page.ops); setCropping(false); }}>
                撤销更改
              </Button>
              <Popconfirm
                title="恢复自动处理？"
                description="将清除本页的人工修正，按自动判定重新处理"
                okText="恢复"
                cancelText="取消"
                onConfirm={() => void save({}, '已恢复自动处理，正在重新处理')}
                disabled={!hasOps(page.ops) || busy}
              >
                <Button icon={<RollbackOutlined />} disabled={!hasOps(page.ops) || busy || saving}>
                  恢复自动处理
                </Button>
              </Popconfirm>
            </Flex>
          </>
        )}
        <Divider titlePlacement="start" plain style={{ margin: '16px 0 8px' }}>
          页面
        </Divider>
        <Flex gap={8} wrap>
          {canLink && material && (
            <>
              <Button
                size="small"
                icon={<ArrowUpOutlined />}
                disabled={indexInMaterial <= 0}
                onClick={() => void reorder(material.id, arrayMove(material.pageIds, indexInMaterial, indexInMaterial - 1))}
              >
                前移
              </Button>
              <Button
                size="small"
                icon={<ArrowDownOutlined />}
                disabled={indexInMaterial >= material.pageIds.length - 1}
                onClick={() => void reorder(material.id, arrayMove(material.pageIds, indexInMaterial, indexInMaterial + 1))}
              >
                后移
              </Button>
            </>
          )}
          {canLink && (
            <Button size="small" onClick={() => onMove(page.id)} data-testid="editor-move">
              {material ? '移到其他材料…' : '挂接到材料…'}
            </Button>
          )}
          {canEdit && (
            <>
              <Button size="small" icon={<UploadOutlined />} loading={replacing !== null} onClick={() => replaceInput.current?.click()}>
                {replacing !== null ? `上传 ${replacing}%` : '重扫替换'}
              </Button>
              <Button size="small" danger icon={<DeleteOutlined />} onClick={() => setDeleting(true)}>
                删除页面
              </Button>
            </>
          )}
        </Flex>
        <input
          ref={replaceInput}
          type="file"
          accept={ACCEPT}
          hidden
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void replace(f);
          }}
        />
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8, marginBottom: 0 }}>
          来源：{page.fileName}
          {page.sourcePage > 1 ? ` 第 ${page.sourcePage} 页` : ''}
          {page.processedAt ? ` · 处理于 ${formatDateTime(page.processedAt)}` : ''}
        </Typography.Paragraph>
        <Collapse
          size="small"
          style={{ marginTop: 12 }}
          items={[{ key: 'steps', label: '处理记录', children: <StepsPanel detail={detail.data} /> }]}
          data-testid="steps-panel"
        />
      </div>
      <DeletePageModal
        open={deleting}
        title={title}
        onClose={() => setDeleting(false)}
        onDelete={async (reason) => {
          await call(api.pages.remove, { params: { id: page.id }, body: { reason } });
          const next = order[at + 1] ?? order[at - 1];
          void queryClient.invalidateQueries({ queryKey: scanKeys.pages(dossierId) });
          void message.success('已删除页面，原图与记录仍保留');
          if (next && next !== page.id) onOpen(next);
          else onClose();
        }}
      />
      {proofreading && <ProofreadDrawer page={page} open={proofreading} canEdit={canEdit} onClose={() => setProofreading(false)} />}
    </Drawer>
  );
}

