import { CheckCircleOutlined, EditOutlined, HistoryOutlined, SyncOutlined } from '@ant-design/icons';
import { api, PROOFREAD_LINE_MAX, type PageText, type ScanPage } from '@dangan/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Drawer, Empty, Flex, Input, List, Modal, Space, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { ApiError, call } from '../../api/client';
import { useErrorHandler } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import { imageUrl } from './model';

/** Characters read with less confidence than this are marked for the proofreader (as the server counts them). */
const LOW = 0.8;

export const proofreadKeys = {
  text: (pageId: string) => ['scan', 'text', pageId] as const,
  edits: (pageId: string) => ['scan', 'text-edits', pageId] as const,
};

type Line = PageText['lines'][number];

/** A line's text with each character read with low confidence marked. */
function MarkedText({ line }: { line: Line }) {
  const chars = Array.from(line.text);
  if (chars.length === 0) return <Typography.Text type="secondary">（空行）</Typography.Text>;
  return (
    <span>
      {chars.map((c, i) => {
        const conf = line.chars?.[i] ?? line.confidence;
        return conf < LOW ? (
          <Tooltip key={i} title={`置信度 ${(conf * 100).toFixed(0)}%`}>
            <span className="proofread-low" style={{ background: '#fff1d6', borderBottom: '2px solid #fa8c16' }} data-low="1">
              {c}
            </span>
          </Tooltip>
        ) : (
          <span key={i}>{c}</span>
        );
      })}
    </span>
  );
}

function History({ pageId, open, onClose }: { pageId: string; open: boolean; onClose: () => void }) {
  const edits = useQuery({
    queryKey: proofreadKeys.edits(pageId),
    queryFn: () => call(api.pages.textEdits, { params: { id: pageId } }),
    enabled: open,
  });
  return (
    <Modal open={open} onCancel={onClose} footer={null} title="校对记录" width={720} destroyOnHidden>
      <List
        loading={edits.isLoading}
        dataSource={edits.data ?? []}
        locale={{ emptyText: '尚无校对记录' }}
        data-testid="proofread-history"
        renderItem={(e) => (
          <List.Item>
            <Flex vertical gap={4} style={{ width: '100%' }}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatDateTime(e.editedAt)} · {e.editedBy.name} · 第 {e.lineIndex + 1} 行
              </Typography.Text>
              <div>
                <Typography.Text delete type="secondary">{e.before || '（空）'}</Typography.Text>
              </div>
              <div>
                <Typography.Text>{e.after || '（空）'}</Typography.Text>
              </div>
            </Flex>
          </List.Item>
        )}
      />
    </Modal>
  );
}

/**
 * 文字校对: the page image with its recognised line boxes on the left, the lines on the right. A click on
 * a line (or its box) selects it; editing a line (Enter saves, Esc cancels) corrects it on the server,
 * which also updates search.
 */
export function ProofreadDrawer({ page, open, canEdit, onClose }: { page: ScanPage; open: boolean; canEdit: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message } = App.useApp();
  const [selected, setSelected] = useState<number | null>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const [draft, setDraft] = useState('');
  const [saving, setSaving] = useState(false);
  const [history, setHistory] = useState(false);
  const [natural, setNatural] = useState<{ width: number; height: number } | null>(null);
  const boxRefs = useRef(new Map<number, SVGRectElement>());

  const text = useQuery({
    queryKey: proofreadKeys.text(page.id),
    queryFn: () => call(api.pages.text, { params: { id: page.id } }),
    enabled: open,
    retry: false,
    // OCR runs as a job after processing: wait for it.
    refetchInterval: (q) => (q.state.error instanceof ApiError && q.state.error.code === 'PAGE_TEXT_NOT_READY' ? 2000 : false),
  });
  const notReady = text.error instanceof ApiError && text.error.code === 'PAGE_TEXT_NOT_READY';
  const lines = text.data?.lines ?? [];

  useEffect(() => {
    if (selected === null) return;
    boxRefs.current.get(selected)?.scrollIntoView?.({ block: 'center', behavior: 'smooth' });
  }, [selected]);

  const width = page.analysis?.width ?? natural?.width ?? 1;
  const height = page.analysis?.height ?? natural?.height ?? 1;

  const startEdit = (i: number) => {
    if (!canEdit) return;
    setSelected(i);
    setEditing(i);
    setDraft(lines[i]?.text ?? '');
  };

  const save = async () => {
    if (editing === null) return;
    const index = editing;
    if (draft.trim() === lines[index]?.text) {
      setEditing(null);
      return;
    }
    setSaving(true);
    try {
      const next = await call(api.pages.editTextLine, { params: { id: page.id, index }, body: { text: draft } });
      queryClient.setQueryData(proofreadKeys.text(page.id), next);
      void queryClient.invalidateQueries({ queryKey: proofreadKeys.edits(page.id) });
      setEditing(null);
      void message.success(`第 ${index + 1} 行已校对`);
    } catch (e) {
      handleError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size="calc(100vw - 48px)"
      destroyOnHidden
      title={
        <Flex align="center" gap={8}>
          <span>文字校对</span>
          {text.data && (
            <>
              <Tag color={text.data.edited ? 'success' : 'default'}>{text.data.edited ? '已校对' : '未校对'}</Tag>
              <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
                {lines.length} 行 · 低置信度字 {text.data.lowConfidenceChars} 个
                {text.data.meanConfidence !== null ? ` · 平均置信度 ${(text.data.meanConfidence * 100).toFixed(1)}%` : ''}
              </Typography.Text>
            </>
          )}
        </Flex>
      }
      extra={
        <Button icon={<HistoryOutlined />} onClick={() => setHistory(true)} data-testid="proofread-history-open">
          校对记录
        </Button>
      }
      styles={{ body: { padding: 0, display: 'flex', overflow: 'hidden' } }}
      data-testid="proofread-drawer"
    >
      <div style={{ flex: 1, minWidth: 0, overflow: 'auto', background: '#f5f5f5', padding: 12, borderRight: '1px solid #f0f0f0' }}>
        <div style={{ position: 'relative', maxWidth: 900, margin: '0 auto', background: '#fff' }}>
          <img
            src={imageUrl(page, 'web')}
            alt="页面图像"
            style={{ display: 'block', width: '100%', height: 'auto' }}
            onLoad={(e) => setNatural({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })}
            draggable={false}
          />
          {natural && (
            <svg
              viewBox={`0 0 ${width} ${height}`}
              preserveAspectRatio="none"
              style={{ position: 'absolute', inset: 0, width: '100%', height: '100%' }}
              data-testid="proofread-boxes"
            >
              {lines.map((l, i) => (
                <rect
                  key={i}
                  ref={(el) => {
                    if (el) boxRefs.current.set(i, el);
                    else boxRefs.current.delete(i);
                  }}
                  x={l.box[0]}
                  y={l.box[1]}
                  width={l.box[2]}
                  height={l.box[3]}
                  fill={i === selected ? 'rgba(250, 140, 22, 0.25)' : l.edited ? 'rgba(82, 196, 26, 0.08)' : 'rgba(22, 119, 255, 0.04)'}
                  stroke={i === selected ? '#fa8c16' : l.edited ? '#52c41a' : '#1677ff'}
                  strokeWidth={i === selected ? 4 : 2}
                  vectorEffect="non-scaling-stroke"
                  style={{ cursor: 'pointer' }}
                  onClick={() => setSelected(i)}
                  onDoubleClick={() => startEdit(i)}
                  data-testid={`proofread-box-${i}`}
                  data-selected={i === selected ? '1' : undefined}
                >
                  <title>{`第 ${i + 1} 行`}</title>
                </rect>
              ))}
            </svg>
          )}
        </div>
      </div>
      <div style={{ width: 520, maxWidth: '45%', overflow: 'auto', padding: 12 }}>
        {notReady ? (
          <Flex vertical align="center" gap={8} style={{ marginTop: 48 }} data-testid="proofread-waiting">
            <Typography.Text type="secondary">
              <SyncOutlined spin /> 该页的文字尚未识别完成，请稍候…
            </Typography.Text>
          </Flex>
        ) : text.error ? (
          <Alert type="error" showIcon title="文字读取失败" description={text.error.message} />
        ) : text.isLoading ? (
          <Typography.Text type="secondary">加载中…</Typography.Text>
        ) : lines.length === 0 ? (
          <Empty description="本页未识别出文字" />
        ) : (
          <Flex vertical gap={2}>
            <Typography.Text type="secondary" style={{ fontSize: 12, marginBottom: 4 }}>
              橙色下划线为置信度低于 80% 的字。{canEdit ? '双击一行或点“修改”进行校对：回车保存，Esc 取消。' : '您没有校对权限，仅可查看。'}
            </Typography.Text>
            {lines.map((l, i) => (
              <div
                key={i}
                onClick={() => setSelected(i)}
                onDoubleClick={() => startEdit(i)}
                data-testid={`proofread-line-${i}`}
                data-selected={i === selected ? '1' : undefined}
                style={{
                  padding: '6px 8px', borderRadius: 6, cursor: 'pointer',
                  background: i === selected ? '#fff7e6' : undefined,
                  border: `1px solid ${i === selected ? '#ffd591' : 'transparent'}`,
                }}
              >
                <Flex gap={8} align="center">
                  <Typography.Text type="secondary" style={{ width: 28, flex: 'none', fontSize: 12, textAlign: 'right' }}>
                    {i + 1}
                  </Typography.Text>
                  {editing === i ? (
                    <Input
                      autoFocus
                      value={draft}
                      maxLength={PROOFREAD_LINE_MAX}
                      onChange={(e) => setDraft(e.target.value)}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter') {
                          e.preventDefault();
                          void save();
                        } else if (e.key === 'Escape') {
                          e.preventDefault();
                          e.stopPropagation();
                          setEditing(null);
                        }
                      }}
                      disabled={saving}
                      suffix={saving ? <SyncOutlined spin /> : null}
                      aria-label={`第 ${i + 1} 行文字`}
                      data-testid="proofread-input"
                    />
                  ) : (
                    <>
                      <div style={{ flex: 1, minWidth: 0, fontSize: 15, wordBreak: 'break-all' }}>
                        <MarkedText line={l} />
                      </div>
                      <Space size={4} style={{ flex: 'none' }}>
                        {l.edited && (
                          <Tag color="success" icon={<CheckCircleOutlined />} style={{ marginInlineEnd: 0 }} data-testid={`proofread-edited-${i}`}>
                            已校对
                          </Tag>
                        )}
                        {canEdit && (
                          <Button size="small" type="text" icon={<EditOutlined />} onClick={() => startEdit(i)} aria-label={`修改第 ${i + 1} 行`}>
                            修改
                          </Button>
                        )}
                      </Space>
                    </>
                  )}
                </Flex>
              </div>
            ))}
          </Flex>
        )}
      </div>
      <History pageId={page.id} open={history} onClose={() => setHistory(false)} />
    </Drawer>
  );
}
