import { LeftOutlined, PrinterOutlined, RightOutlined } from '@ant-design/icons';
import { api, type ReaderCatalogue, type ReadingSession } from '@dangan/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Flex, Menu, Result, Space, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError, call, errorText } from '../../api/client';
import { useMe } from '../../session/SessionProvider';
import { formatDateTime } from '../../shared/format';
import { PrintModal } from './PrintModal';
import { closeWindow, pageImageUrl, readingKeys } from './readerApi';

const HEARTBEAT_MS = 30_000;

interface Ended {
  title: string;
  detail: string;
}

interface Slot {
  pageId: string;
  materialId: string;
  material: string;
  pageNo: number;
  pages: number;
}

function endedBy(error: unknown): Ended | null {
  if (!(error instanceof ApiError)) return null;
  if (error.code === 'NO_GRANT') return { title: '查阅授权已结束', detail: '授权已到期或已被撤销，页面已清除。如需继续查阅，请重新提交查阅申请。' };
  if (error.code === 'READING_CLOSED') return { title: '阅读窗口已关闭', detail: error.message };
  return null;
}

/** The reading room: granted catalogue on the left, the watermarked page in the middle. Nothing to save but an excerpt grant's export. */
export default function ReaderPage() {
  const { requestId = '', dossierId = '' } = useParams<{ requestId: string; dossierId: string }>();
  const me = useMe();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [session, setSession] = useState<ReadingSession | null>(null);
  const [openError, setOpenError] = useState<string | null>(null);
  const [ended, setEnded] = useState<Ended | null>(null);
  const [index, setIndex] = useState(0);
  const [printing, setPrinting] = useState(false);
  const [opening, setOpening] = useState(0);
  const csrf = useRef(me.csrfToken);
  useEffect(() => {
    csrf.current = me.csrfToken;
  }, [me.csrfToken]);

  useEffect(() => {
    let gone = false;
    let opened: string | null = null;
    call(api.reading.open, { body: { requestId, dossierId } })
      .then((s) => {
        opened = s.id;
        if (gone) closeWindow(s.id, csrf.current);
        else setSession(s);
      })
      .catch((error: unknown) => {
        if (!gone) setOpenError(errorText(error));
      });
    const leave = () => opened && closeWindow(opened, csrf.current);
    window.addEventListener('pagehide', leave);
    return () => {
      gone = true;
      window.removeEventListener('pagehide', leave);
      leave();
      setSession(null);
    };
  }, [requestId, dossierId, opening]);

  const finish = useCallback((error: unknown) => {
    const end = endedBy(error);
    if (end) {
      setEnded(end);
      setSession(null);
      queryClient.removeQueries({ queryKey: ['reading', 'catalogue'] });
    }
    return end !== null;
  }, [queryClient]);

  const catalogue = useQuery({
    queryKey: readingKeys.catalogue(session?.id ?? ''),
    queryFn: () => call(api.reading.catalogue, { params: { id: session!.id } }),
    enabled: !!session,
    retry: false,
  });

  const beat = useCallback(() => {
    if (!session) return;
    call(api.reading.heartbeat, { params: { id: session.id } }).catch((error: unknown) => finish(error));
  }, [session, finish]);
  useEffect(() => {
    const timer = setInterval(beat, HEARTBEAT_MS);
    return () => clearInterval(timer);
  }, [beat]);

  const slots = useMemo(() => flatten(catalogue.data), [catalogue.data]);
  const slot = slots[Math.min(index, Math.max(0, slots.length - 1))];
  const go = useCallback((to: number) => setIndex(Math.max(0, Math.min(slots.length - 1, to))), [slots.length]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'ArrowRight' || e.key === 'PageDown') go(index + 1);
      if (e.key === 'ArrowLeft' || e.key === 'PageUp') go(index - 1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go, index]);

  const end = ended ?? endedBy(catalogue.error);
  const reopen = () => {
    setEnded(null);
    setOpenError(null);
    setOpening((n) => n + 1);
  };
  if (end) {
    return (
      <Result status="warning" title={end.title} subTitle={end.detail}
        extra={[
          <Button key="back"><Link to="/reading">返回我的查阅</Link></Button>,
          end.title === '阅读窗口已关闭' && <Button key="again" type="primary" onClick={reopen}>重新打开</Button>,
        ]}
      />
    );
  }
  if (catalogue.error) {
    return <Result status="error" title="无法读取目录" subTitle={errorText(catalogue.error)} extra={<Button onClick={reopen}>重试</Button>} />;
  }
  if (openError) {
    return <Result status="error" title="无法开始查阅" subTitle={openError} extra={<Button><Link to="/reading">返回我的查阅</Link></Button>} />;
  }
  if (!session || !catalogue.data) return <Spin style={{ display: 'block', margin: '80px auto' }} />;

  const cat = catalogue.data;
  const left = cat.printLimit - cat.printsUsed;
  const canPrint = cat.mode === 'print' || cat.mode === 'excerpt';
  // The page column is the window less the catalogue; the server sends at most 1600 px.
  const width = Math.max(600, window.innerWidth - 560);

  return (
    <div onContextMenu={(e) => e.preventDefault()} style={{ userSelect: 'none' }}>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0 }}>{cat.cadreName}</Typography.Title>
          <Tag>档案号 {cat.dossierNo}</Tag>
          <Tag color="blue">查阅申请 {cat.requestNo}</Tag>
          <Typography.Text type="secondary">授权至 {formatDateTime(cat.until)}</Typography.Text>
        </Space>
        <Space>
          {canPrint && (
            <Button data-testid="print-button" icon={<PrinterOutlined />} disabled={left <= 0} onClick={() => setPrinting(true)}>
              {cat.mode === 'excerpt' ? '打印/导出' : '打印'}（剩余 {Math.max(0, left)} 次）
            </Button>
          )}
          <Button><Link to="/reading">结束查阅</Link></Button>
        </Space>
      </Flex>
      <Alert type="info" showIcon style={{ marginBottom: 12 }}
        message={cat.mode === 'excerpt'
          ? '页面带有查阅人水印；摘录请通过「打印/导出」取得带流水号的文件，请勿拍照或以其他方式复制。所看每一页均记入查阅记录。'
          : '页面带有查阅人水印；请勿拍照、摘抄或以其他方式复制。所看每一页均记入查阅记录。'} />
      <Flex gap={12} align="flex-start">
        <Card size="small" title="已授权材料" style={{ width: 300, flex: 'none' }} styles={{ body: { padding: 0, maxHeight: '70vh', overflow: 'auto' } }}>
          <div data-testid="reader-catalogue">
            {cat.classes.length === 0 ? <Empty description="授权范围内暂无材料" /> : (
              <Menu
                mode="inline"
                selectedKeys={slot ? [slot.materialId] : []}
                defaultOpenKeys={cat.classes.map((c) => c.code)}
                onClick={({ key }) => go(slots.findIndex((s) => s.materialId === key))}
                items={cat.classes.map((c) => ({
                  key: c.code,
                  label: `第 ${c.code} 类 ${c.label}`,
                  children: c.materials.map((m) => ({
                    key: m.id,
                    disabled: m.pageCount === 0,
                    label: <span title={m.name}>{m.seq} {m.name}（{m.pageCount} 页）</span>,
                  })),
                }))}
              />
            )}
          </div>
        </Card>
        <Card size="small" style={{ flex: 1, minWidth: 0 }}
          title={slot ? `${slot.material} · 第 ${slot.pageNo} 页 / 共 ${slot.pages} 页` : '无可查阅页面'}
          extra={
            <Space>
              <Button icon={<LeftOutlined />} disabled={index <= 0} onClick={() => go(index - 1)}>上一页</Button>
              <Typography.Text data-testid="reader-page-counter">{slots.length ? `${index + 1} / ${slots.length}` : '0 / 0'}</Typography.Text>
              <Button data-testid="reader-next" icon={<RightOutlined />} iconPosition="end" disabled={index >= slots.length - 1} onClick={() => go(index + 1)}>下一页</Button>
            </Space>
          }
        >
          <div style={{ textAlign: 'center', background: '#f0f0f0', minHeight: 400 }}>
            {slot && (
              <img
                key={slot.pageId}
                data-testid="reader-page-image"
                src={pageImageUrl(session.id, slot.pageId, width)}
                alt={`${slot.material} 第 ${slot.pageNo} 页`}
                draggable={false}
                onContextMenu={(e) => e.preventDefault()}
                onDragStart={(e) => e.preventDefault()}
                onError={beat}
                style={{ maxWidth: '100%', pointerEvents: 'none', display: 'block', margin: '0 auto' }}
              />
            )}
          </div>
        </Card>
      </Flex>
      {printing && (
        <PrintModal
          sessionId={session.id}
          catalogue={cat}
          csrfToken={me.csrfToken}
          onClose={() => setPrinting(false)}
          onPrinted={(serialNo) => {
            setPrinting(false);
            void message.success(`已生成打印件，流水号 ${serialNo}`);
            void queryClient.invalidateQueries({ queryKey: readingKeys.catalogue(session.id) });
          }}
          onExported={(serialNo) => {
            setPrinting(false);
            void message.success(`已导出可检索 PDF，流水号 ${serialNo}`);
            void queryClient.invalidateQueries({ queryKey: readingKeys.catalogue(session.id) });
          }}
          onEnded={finish}
        />
      )}
    </div>
  );
}

function flatten(cat: ReaderCatalogue | undefined): Slot[] {
  if (!cat) return [];
  return cat.classes.flatMap((c) => c.materials.flatMap((m) =>
    m.pageIds.map((pageId, i) => ({ pageId, materialId: m.id, material: m.name, pageNo: i + 1, pages: m.pageIds.length }))));
}
