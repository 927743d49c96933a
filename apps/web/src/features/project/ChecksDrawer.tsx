import { CheckCircleFilled, ReloadOutlined, WarningFilled } from '@ant-design/icons';
import { CHECK_RUN_STATE_LABELS, api, type CheckFinding, type CheckPageRef } from '@dangan/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Collapse, Descriptions, Drawer, Empty, Flex, List, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { call, errorText } from '../../api/client';
import { useSession } from '../../session/SessionProvider';
import { formatDateTime } from '../../shared/format';
import { pageImageUrl, projectKeys } from './model';
import { PageLightbox, type PageToShow } from './PageLightbox';
import { useProjectAction } from './useProjectAction';

/** The run names its requester by user id for now; an id means nothing to the reader, so it is left out. */
function looksLikeId(s: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f-]{20,}$/i.test(s);
}

function pageCaption(p: CheckPageRef): string {
  if (p.materialSeq && p.pageNo !== null) return `${p.materialSeq} 第 ${p.pageNo} 页`;
  if (p.unlinkedOrder !== null) return `未挂接第 ${p.unlinkedOrder} 页`;
  return p.fileName;
}

/** A page a finding points at: its thumbnail, opening large on a click. */
function PageChip({ page, onOpen }: { page: CheckPageRef; onOpen: (p: PageToShow) => void }) {
  return (
    <button
      type="button"
      className="project-page-chip"
      onClick={() => onOpen({ pageId: page.pageId, title: `${page.dossierNo} ${pageCaption(page)}${page.materialName ? `「${page.materialName}」` : ''}`, extra: page.fileName })}
      title={`${pageCaption(page)}（${page.fileName}），单击放大`}
      data-testid="finding-page"
      data-page-id={page.pageId}
    >
      <img src={pageImageUrl(page.pageId, 0, 'thumb')} alt={pageCaption(page)} loading="lazy" />
      <span>{pageCaption(page)}</span>
    </button>
  );
}

/**
 * 自动校验结果 of one dossier: the latest run's findings grouped by kind, failures first, each with
 * the pages it concerns as thumbnails that open the page.
 */
export function ChecksDrawer({ dossier, onClose }: { dossier: { dossierId: string; dossierNo: string; cadreName: string } | null; onClose: () => void }) {
  const { can } = useSession();
  const queryClient = useQueryClient();
  const { run, busy } = useProjectAction();
  const [shown, setShown] = useState<PageToShow | null>(null);
  const dossierId = dossier?.dossierId ?? '';
  const { data, error, isLoading } = useQuery({
    queryKey: projectKeys.checks(dossierId),
    queryFn: () => call(api.checks.ofDossier, { params: { id: dossierId } }),
    enabled: !!dossierId,
    refetchInterval: (q) => (q.state.data?.run && ['queued', 'running'].includes(q.state.data.run.state) ? 1500 : false),
  });
  const r = data?.run ?? null;
  const mayScan = can('scan.ingest', 'scan.link');

  const groups = new Map<string, CheckFinding[]>();
  for (const f of r?.findings ?? []) groups.set(f.code, [...(groups.get(f.code) ?? []), f]);
  const ordered = [...groups.values()].sort((a, b) => (a[0]!.severity === b[0]!.severity ? 0 : a[0]!.severity === 'failure' ? -1 : 1));

  const rerun = () =>
    void run('rerun', async () => {
      await call(api.checks.request, { params: { id: dossierId } });
      await queryClient.invalidateQueries({ queryKey: projectKeys.checks(dossierId) });
    }, '已重新发起自动校验');

  return (
    <Drawer
      open={!!dossier}
      onClose={onClose}
      size={880}
      destroyOnHidden
      title={dossier ? `自动校验：${dossier.dossierNo} ${dossier.cadreName}` : ''}
      extra={
        <Button icon={<ReloadOutlined />} loading={busy === 'rerun'} onClick={rerun} disabled={!!r && ['queued', 'running'].includes(r.state)}>
          重新校验
        </Button>
      }
    >
      <div data-testid="checks-drawer">
        {error ? (
          <Alert type="error" showIcon title={errorText(error)} />
        ) : isLoading || !data ? (
          <Skeleton active />
        ) : !r ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="本档案尚未进行自动校验" />
        ) : (
          <>
            <Descriptions size="small" column={3} style={{ marginBottom: 12 }}>
              <Descriptions.Item label="状态">
                <Tag color={r.state === 'done' ? (r.failures ? 'error' : 'success') : r.state === 'failed' ? 'error' : 'processing'} data-testid="checks-state">
                  {r.state === 'done' ? (r.failures ? '不合格' : '通过') : CHECK_RUN_STATE_LABELS[r.state]}
                </Tag>
              </Descriptions.Item>
              <Descriptions.Item label="发起">{`${looksLikeId(r.requestedBy) ? '' : `${r.requestedBy} `}${formatDateTime(r.requestedAt)}`}</Descriptions.Item>
              <Descriptions.Item label="完成">{formatDateTime(r.finishedAt)}</Descriptions.Item>
              <Descriptions.Item label="不合格项">
                <Typography.Text type={r.failures ? 'danger' : undefined} strong data-testid="checks-failures">
                  {r.failures}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label="提示项">{r.warnings}</Descriptions.Item>
              <Descriptions.Item label="同批比对">{`${r.siblingDossierIds.length} 卷`}</Descriptions.Item>
            </Descriptions>
            {r.error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={r.error} />}
            {r.state === 'done' && r.findings.length === 0 && (
              <Alert type="success" showIcon icon={<CheckCircleFilled />} title="未发现问题：页数、页序、命名、图像质量与重复页检查均通过。" />
            )}
            {r.failures > 0 && (
              <Alert type="warning" showIcon style={{ marginBottom: 12 }} title="有不合格项的档案在抽样时全部列入质检（全检）。" />
            )}
            <Collapse
              defaultActiveKey={ordered.map((g) => g[0]!.code)}
              data-testid="finding-groups"
              items={ordered.map((g) => ({
                key: g[0]!.code,
                label: (
                  <Space data-testid="finding-group" data-code={g[0]!.code}>
                    {g[0]!.severity === 'failure' ? <WarningFilled style={{ color: '#cf1322' }} /> : <WarningFilled style={{ color: '#d48806' }} />}
                    <Typography.Text strong>{g[0]!.label}</Typography.Text>
                    <Tag color={g[0]!.severity === 'failure' ? 'error' : 'warning'}>{g[0]!.severity === 'failure' ? '不合格' : '提示'}</Tag>
                    <Typography.Text type="secondary">{`${g.length} 处`}</Typography.Text>
                  </Space>
                ),
                children: (
                  <List
                    size="small"
                    dataSource={g}
                    renderItem={(f) => (
                      <List.Item data-testid="finding" data-code={f.code}>
                        <Flex vertical gap={6} style={{ width: '100%' }}>
                          <Typography.Text>{f.message}</Typography.Text>
                          {(f.page || f.related.length > 0) && (
                            <Flex gap={8} wrap align="flex-start">
                              {f.page && <PageChip page={f.page} onOpen={setShown} />}
                              {f.related.map((p) => (
                                <PageChip key={p.pageId} page={p} onOpen={setShown} />
                              ))}
                              {mayScan && f.page && (
                                <Link to={f.page.link} style={{ alignSelf: 'center' }}>
                                  在扫描与挂接中处理
                                </Link>
                              )}
                            </Flex>
                          )}
                        </Flex>
                      </List.Item>
                    )}
                  />
                ),
              }))}
            />
          </>
        )}
      </div>
      <PageLightbox page={shown} onClose={() => setShown(null)} />
    </Drawer>
  );
}
