import { ArrowLeftOutlined, OrderedListOutlined, ReloadOutlined } from '@ant-design/icons';
import { api } from '@dangan/contracts';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, Result, Skeleton, Statistic, Typography } from 'antd';
import { useState } from 'react';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { call, isApiError } from '../../api/client';
import { useSession } from '../../session/SessionProvider';
import { PageHeader } from '../../shared/components';
import { LinkBoard } from './LinkBoard';
import { busyPages, qualityFlags, scanKeys } from './model';
import { MovePageModal } from './MovePageModal';
import { PageEditor } from './PageEditor';
import { UploadPanel } from './UploadPanel';
import './scan.css';

/** 扫描与挂接: a dossier's scanned pages, their upload, processing, linking to materials and correction. */
export default function ScanPage() {
  const { id = '' } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const location = useLocation();
  const { can } = useSession();
  // `?page=` opens that page at once: the links of check findings and rework tasks point here.
  const [params] = useSearchParams();
  const [openId, setOpenId] = useState<string | null>(params.get('page'));
  const [movingId, setMovingId] = useState<string | null>(null);

  const { data, error, isLoading, refetch, isFetching } = useQuery({
    queryKey: scanKeys.pages(id),
    queryFn: () => call(api.pages.ofDossier, { params: { id } }),
    refetchInterval: (q) => (busyPages(q.state.data) > 0 ? 1500 : false),
  });

  if (error) {
    const missing = isApiError(error) && error.status === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? '档案不存在' : '无法加载档案的扫描页面'}
        subTitle={isApiError(error) ? error.message : '请稍后重试'}
        extra={
          <Button type="primary" onClick={() => navigate(-1)}>
            返回
          </Button>
        }
      />
    );
  }
  if (isLoading || !data) return <Skeleton active paragraph={{ rows: 12 }} />;

  const canIngest = can('scan.ingest');
  const canLink = can('scan.link');
  const total = data.pages.length;
  const linked = data.materials.reduce((n, m) => n + m.pageIds.length, 0);
  const working = busyPages(data);
  const failed = data.pages.filter((p) => p.status === 'failed').length;
  const flagged = data.pages.filter((p) => qualityFlags(p.analysis).some((f) => f.color === 'error' || f.color === 'warning')).length;
  const mismatched = data.materials.filter((m) => m.pageIds.length !== m.expectedPages).length;

  return (
    <>
      <PageHeader
        title={`扫描与挂接：${data.cadreName}`}
        description={`档案号 ${data.dossierNo}`}
        extra={
          <>
            <Button icon={<ArrowLeftOutlined />} onClick={() => (location.key === 'default' ? navigate('/') : navigate(-1))}>
              返回
            </Button>
            {can('dossier.read') && (
              <Button icon={<OrderedListOutlined />} onClick={() => navigate(`/dossiers/${id}/catalogue`)}>
                档案目录
              </Button>
            )}
            <Button icon={<ReloadOutlined />} loading={isFetching} onClick={() => void refetch()}>
              刷新
            </Button>
          </>
        }
      />
      <Card size="small" style={{ marginBottom: 16 }} data-testid="scan-summary">
        <Flex gap={40} wrap>
          <Statistic title="页面总数" value={total} />
          <Statistic title="已挂接" value={linked} />
          <Statistic title="未挂接" value={data.unlinkedPageIds.length} styles={{ content: data.unlinkedPageIds.length ? { color: '#d46b08' } : undefined }} />
          <Statistic title="处理中" value={working} />
          <Statistic title="处理失败" value={failed} styles={{ content: failed ? { color: '#cf1322' } : undefined }} />
          <Statistic title="需核对的页" value={flagged} styles={{ content: flagged ? { color: '#d46b08' } : undefined }} />
          <Statistic title="页数不符的材料" value={mismatched} styles={{ content: mismatched ? { color: '#d46b08' } : undefined }} />
        </Flex>
      </Card>
      {canIngest && <UploadPanel dossierId={id} dossierNo={data.dossierNo} board={data} />}
      {total === 0 && !canIngest ? (
        <Card>
          <Typography.Text type="secondary">本档案尚无扫描页面</Typography.Text>
        </Card>
      ) : (
        <LinkBoard data={data} dossierId={id} canLink={canLink} onOpen={setOpenId} onMove={setMovingId} />
      )}
      <PageEditor
        pageId={openId}
        data={data}
        dossierId={id}
        canEdit={canIngest}
        canLink={canLink}
        onClose={() => setOpenId(null)}
        onOpen={setOpenId}
        onMove={setMovingId}
      />
      <MovePageModal pageId={movingId} data={data} dossierId={id} onClose={() => setMovingId(null)} />
    </>
  );
}
