import { CloudUploadOutlined, FileImageOutlined, FolderOpenOutlined, InboxOutlined, ScanOutlined } from '@ant-design/icons';
import { api, SCAN_FILE_STATUS_LABELS, type DossierPages, type SaneScanResult, type ScanBatch, type ScanFile } from '@dangan/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Progress, Space, Switch, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { call, errorText, uploadWithProgress } from '../../api/client';
import { formatDateTime } from '../../shared/format';
import { useErrorHandler } from '../../shared/errors';
import { ACCEPT, contentTypeOf, formatBytes, scanKeys, uploadNameOf } from './model';
import { SaneScanModal } from './SaneScanModal';

/** Files go up two at a time: the server processes while the next one travels. */
const PARALLEL = 2;

interface Item {
  key: string;
  /** The file being uploaded; none for a page the scanner delivered to the server. */
  file?: File;
  name: string;
  size: number;
  loaded: number;
  state: 'queued' | 'uploading' | 'done' | 'failed';
  result?: ScanFile;
  error?: string;
}

const STATUS_COLORS: Record<ScanFile['status'], string> = { stored: 'success', duplicate: 'warning', rejected: 'error' };

function duplicateText(f: ScanFile): string {
  const d = f.duplicateOf;
  if (!d) return '与已上传的文件内容相同';
  const where = d.dossierNo ? `档案 ${d.dossierNo}` : '未指定档案';
  return `与「${d.name}」内容相同（${where}，${formatDateTime(d.at)} 上传），未重复保存`;
}

function noteOf(item: Item): string {
  if (item.state === 'failed') return item.error ?? '上传失败';
  const r = item.result;
  if (!r) return '';
  if (r.status === 'duplicate') return duplicateText(r);
  if (r.status === 'rejected') return r.errorMessage ?? '文件无法识别';
  return r.pageCount > 1 ? `共 ${r.pageCount} 页` : '';
}

/**
 * Upload of many files (or a whole folder) into one scan batch, or a scan with the attached scanner
 * (SANE on the server): per-file progress, then the batch's progress until the server has processed
 * every page.
 */
export function UploadPanel({ dossierId, dossierNo, board, disabled }: { dossierId: string; dossierNo: string; board: DossierPages; disabled?: boolean }) {
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const [items, setItems] = useState<Item[]>([]);
  const [batchId, setBatchId] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const [uploadsDoneAt, setUploadsDoneAt] = useState(0);
  const [onlyProblems, setOnlyProblems] = useState(false);
  const [dragOver, setDragOver] = useState(false);
  const [source, setSource] = useState<'upload' | 'sane'>('upload');
  const [saneOpen, setSaneOpen] = useState(false);
  const [warning, setWarning] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  const batch = useQuery({
    queryKey: scanKeys.batch(batchId ?? ''),
    queryFn: () => call(api.scans.batch, { params: { id: batchId! } }),
    enabled: !!batchId,
    refetchInterval: (q) => {
      const b = q.state.data;
      if (uploading || !b) return 1000;
      return b.pages.pending + b.pages.processing > 0 || q.state.dataUpdatedAt <= uploadsDoneAt ? 1000 : false;
    },
  });

  // Each page the server finishes shows up on the board.
  const b: ScanBatch | undefined = batch.data;
  const doneCount = b ? b.pages.processed + b.pages.failed : 0;
  const totalCount = b?.pages.total ?? 0;
  useEffect(() => {
    if (batchId) void queryClient.invalidateQueries({ queryKey: scanKeys.pages(dossierId) });
  }, [doneCount, totalCount, batchId, dossierId, queryClient]);

  const patch = useCallback((key: string, change: Partial<Item>) => {
    setItems((list) => list.map((i) => (i.key === key ? { ...i, ...change } : i)));
  }, []);

  const start = async (files: File[]) => {
    const chosen = files.filter((f) => f.size > 0 || f.name).sort((x, y) => uploadNameOf(x).localeCompare(uploadNameOf(y), 'zh-CN', { numeric: true }));
    if (chosen.length === 0) return;
    let created: ScanBatch;
    try {
      created = await call(api.scans.createBatch, { body: { dossierId } });
    } catch (e) {
      handleError(e);
      return;
    }
    const stamp = Date.now();
    const next: Item[] = chosen.map((file, i) => ({ key: `${stamp}-${i}`, file, name: uploadNameOf(file), size: file.size, loaded: 0, state: 'queued' }));
    queryClient.setQueryData(scanKeys.batch(created.id), created);
    setItems(next);
    setBatchId(created.id);
    setUploading(true);
    setUploadsDoneAt(0);
    setOnlyProblems(false);
    setSource('upload');
    setWarning(null);

    const queue = [...next];
    const worker = async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        const { key, file } = item;
        if (!file) continue;
        patch(key, { state: 'uploading' });
        try {
          const result = await uploadWithProgress(
            api.scans.upload,
            { type: contentTypeOf(file), data: file },
            { params: { id: created.id }, query: { name: item.name } },
            { onProgress: (p) => patch(key, { loaded: p.loaded }) },
          );
          patch(key, { state: 'done', loaded: file.size, result });
        } catch (e) {
          // One file failing does not stop the batch.
          patch(key, { state: 'failed', loaded: file.size, error: errorText(e) });
        }
        void queryClient.invalidateQueries({ queryKey: scanKeys.batch(created.id) });
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, next.length) }, worker));
    setUploadsDoneAt(Date.now());
    setUploading(false);
    void queryClient.invalidateQueries({ queryKey: scanKeys.batch(created.id) });
    void queryClient.invalidateQueries({ queryKey: scanKeys.pages(dossierId) });
  };

  // The scanner: the batch exists while the server scans; its pages arrive all at once when it is done.
  const onSaneStarted = (created: ScanBatch) => {
    queryClient.setQueryData(scanKeys.batch(created.id), created);
    setItems([]);
    setBatchId(created.id);
    setUploading(true);
    setUploadsDoneAt(0);
    setOnlyProblems(false);
    setSource('sane');
    setWarning(null);
  };
  const onSaneScanned = (result: SaneScanResult) => {
    const stamp = Date.now();
    setItems(result.batch.files.map((f, i) => ({ key: `${stamp}-${i}`, name: f.name, size: f.size, loaded: f.size, state: 'done', result: f })));
    setWarning(result.warning);
    queryClient.setQueryData(scanKeys.batch(result.batch.id), result.batch);
    setUploadsDoneAt(Date.now());
    setUploading(false);
    void queryClient.invalidateQueries({ queryKey: scanKeys.batch(result.batch.id) });
    void queryClient.invalidateQueries({ queryKey: scanKeys.pages(dossierId) });
  };
  const onSaneFailed = () => {
    setUploading(false);
    setBatchId(null);
  };

  const pick = (input: HTMLInputElement | null) => {
    if (!input) return;
    input.value = '';
    input.click();
  };
  const onChosen = (list: FileList | null) => {
    if (list && list.length > 0) void start(Array.from(list));
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragOver(false);
    if (!uploading && !disabled) onChosen(e.dataTransfer.files);
  };

  // Progress: the bytes going up count for 40 %, the pages the server has finished for 60 %.
  const totalBytes = items.reduce((n, i) => n + i.size, 0);
  const sentBytes = items.reduce((n, i) => n + Math.min(i.loaded, i.size), 0);
  const uploadedFiles = items.filter((i) => i.state === 'done' || i.state === 'failed').length;
  const settled = !uploading && !!b && b.pages.pending + b.pages.processing === 0 && batch.dataUpdatedAt > uploadsDoneAt && uploadsDoneAt > 0;
  const uploadFrac = totalBytes > 0 ? sentBytes / totalBytes : items.length > 0 ? uploadedFiles / items.length : 0;
  const processFrac = totalCount > 0 ? doneCount / totalCount : uploading ? 0 : 1;
  const percent = settled ? 100 : Math.min(99, Math.floor(uploadFrac * 40 + processFrac * 60 * uploadFrac));

  const counts = useMemo(() => {
    const c = { stored: 0, duplicate: 0, rejected: 0, failed: 0 };
    for (const i of items) {
      if (i.state === 'failed') c.failed++;
      else if (i.result) c[i.result.status]++;
    }
    return c;
  }, [items]);
  const problemCount = counts.duplicate + counts.rejected + counts.failed;
  const shown = onlyProblems ? items.filter((i) => i.state === 'failed' || (i.result && i.result.status !== 'stored')) : items;

  const columns: TableColumnsType<Item> = [
    {
      title: '文件', key: 'name', ellipsis: { showTitle: false },
      render: (_, i) => (
        <Tooltip title={i.name} placement="topLeft">
          <span>
            <FileImageOutlined style={{ color: '#8c8c8c', marginRight: 6 }} />
            {i.name}
          </span>
        </Tooltip>
      ),
    },
    { title: '大小', key: 'size', width: 90, align: 'right', render: (_, i) => formatBytes(i.size) },
    {
      title: '状态', key: 'state', width: 170,
      render: (_, i) => {
        if (i.state === 'queued') return <Typography.Text type="secondary">等待上传</Typography.Text>;
        if (i.state === 'uploading') {
          return <Progress size="small" percent={Math.floor((100 * i.loaded) / Math.max(1, i.size))} status="active" style={{ margin: 0, width: 150 }} />;
        }
        if (i.state === 'failed') return <Tag color="error">上传失败</Tag>;
        const s = i.result!.status;
        return (
          <Tag color={STATUS_COLORS[s]} data-testid="scan-file-status">
            {SCAN_FILE_STATUS_LABELS[s]}
          </Tag>
        );
      },
    },
    { title: '页数', key: 'pages', width: 60, align: 'right', render: (_, i) => (i.result && i.result.status === 'stored' ? i.result.pageCount : '') },
    {
      title: '说明', key: 'note', ellipsis: { showTitle: false },
      render: (_, i) => {
        const note = noteOf(i);
        const bad = i.state === 'failed' || i.result?.status === 'rejected';
        return (
          <Tooltip title={note} placement="topLeft">
            <Typography.Text type={bad ? 'danger' : i.result?.status === 'duplicate' ? 'warning' : 'secondary'} data-testid="scan-file-note">
              {note}
            </Typography.Text>
          </Tooltip>
        );
      },
    },
  ];

  const busy = uploading || (!!b && !settled);
  return (
    <Card
      size="small"
      title={
        <Space>
          <CloudUploadOutlined />
          上传或扫描图像
        </Space>
      }
      extra={
        <Space>
          <Button size="small" icon={<FileImageOutlined />} disabled={disabled || uploading} onClick={() => pick(fileInput.current)} data-testid="pick-files">
            选择文件
          </Button>
          <Button size="small" icon={<FolderOpenOutlined />} disabled={disabled || uploading} onClick={() => pick(folderInput.current)}>
            选择文件夹
          </Button>
          <Button size="small" icon={<ScanOutlined />} disabled={disabled || uploading} onClick={() => setSaneOpen(true)} data-testid="sane-scan">
            扫描仪扫描
          </Button>
        </Space>
      }
      style={{ marginBottom: 16 }}
      data-testid="scan-upload"
    >
      <input ref={fileInput} type="file" multiple accept={ACCEPT} hidden onChange={(e) => onChosen(e.target.files)} data-testid="scan-file-input" />
      <input
        ref={(el) => {
          folderInput.current = el;
          // React does not know these attributes; a folder picker needs them.
          el?.setAttribute('webkitdirectory', '');
          el?.setAttribute('directory', '');
        }}
        type="file"
        multiple
        hidden
        onChange={(e) => onChosen(e.target.files)}
        data-testid="scan-folder-input"
      />
      <SaneScanModal
        open={saneOpen}
        data={board}
        dossierId={dossierId}
        onClose={() => setSaneOpen(false)}
        onStarted={onSaneStarted}
        onScanned={onSaneScanned}
        onFailed={onSaneFailed}
      />
      {items.length === 0 && !(uploading && source === 'sane') ? (
        <div
          className={`scan-dropzone${dragOver ? ' scan-dropzone-over' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragOver(true);
          }}
          onDragLeave={() => setDragOver(false)}
          onDrop={onDrop}
          onClick={() => !disabled && pick(fileInput.current)}
          role="button"
          tabIndex={0}
        >
          <InboxOutlined style={{ fontSize: 32, color: '#1d4f91' }} />
          <div style={{ marginTop: 4 }}>点击选择或将扫描文件拖到此处（可多选，支持 JPEG、PNG、TIFF、PDF）</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            按命名规则（如 {dossierNo}_类号-份号_页号.jpg 或 {dossierNo}/类号/份号/页号.jpg）命名的文件将自动挂接到对应材料；其余放入“未挂接”
          </Typography.Text>
        </div>
      ) : (
        <Flex vertical gap={8} onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
          <Flex align="center" gap={16} wrap>
            <div style={{ flex: 1, minWidth: 320 }} data-testid="batch-percent" data-percent={percent}>
              <Progress
                percent={percent}
                format={(p) => `${p}%`}
                status={settled ? (counts.rejected + counts.failed + (b?.pages.failed ?? 0) > 0 ? 'normal' : 'success') : 'active'}
                data-testid="batch-progress"
                aria-label="批次进度"
              />
            </div>
            <Typography.Text data-testid="batch-summary">
              {source === 'sane' ? (
                <>
                  {settled ? '处理完成' : uploading ? '扫描仪正在扫描…' : '正在处理'}
                  {!uploading && `：已扫描 ${items.length} 页`}
                  {b && totalCount > 0 && `，已处理 ${doneCount}/${totalCount}`}
                </>
              ) : (
                <>
                  {settled ? '处理完成' : uploading ? '正在上传' : '正在处理'}：文件 {uploadedFiles}/{items.length}
                  {b && totalCount > 0 && `，页面 ${doneCount}/${totalCount}`}
                </>
              )}
              {b && b.pages.failed > 0 && <Typography.Text type="danger">（{b.pages.failed} 页处理失败）</Typography.Text>}
            </Typography.Text>
          </Flex>
          {warning && <Alert type="warning" showIcon title={warning} data-testid="sane-warning" />}
          <Flex justify="space-between" align="center" wrap gap={8}>
            <Space size={4} wrap>
              <Tag color="success">已接收 {counts.stored}</Tag>
              <Tag color="warning">重复文件 {counts.duplicate}</Tag>
              <Tag color="error">已拒收 {counts.rejected + counts.failed}</Tag>
            </Space>
            <Space size={6}>
              <Switch size="small" checked={onlyProblems} onChange={setOnlyProblems} disabled={problemCount === 0 && !onlyProblems} aria-label="只看有问题的文件" />
              <span>只看有问题的文件</span>
              {!busy && (
                <Button size="small" type="link" onClick={() => setItems([])}>
                  清除列表
                </Button>
              )}
            </Space>
          </Flex>
          <Table<Item>
            size="small"
            rowKey="key"
            columns={columns}
            dataSource={shown}
            pagination={false}
            scroll={{ y: 240 }}
            locale={uploading && source === 'sane' ? { emptyText: '扫描完成后在此列出扫描的页面' } : undefined}
            data-testid="scan-files"
            onRow={(i) => ({ 'data-name': i.name } as React.HTMLAttributes<HTMLElement>)}
          />
        </Flex>
      )}
    </Card>
  );
}
