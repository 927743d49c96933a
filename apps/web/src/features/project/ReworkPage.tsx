import { ArrowLeftOutlined, CheckOutlined, ScanOutlined, SendOutlined } from '@ant-design/icons';
import { api, type Defect } from '@dangan/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Flex, List, Result, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { call, isApiError } from '../../api/client';
import { useMe, useSession } from '../../session/SessionProvider';
import { PageHeader } from '../../shared/components';
import { formatDateTime } from '../../shared/format';
import { DefectCanvas, type MasterBox } from './DefectCanvas';
import { REWORK_STATE_COLORS, currentPageOf, defectPlace, masterSizeOf, pageImageUrl, projectKeys } from './model';
import { NoteModal } from './NoteModal';
import { useProjectAction } from './useProjectAction';
import './project.css';

/**
 * 整改: the operator's view of a rework task. Each defect with its page and box; he fixes it (rescan,
 * correct, relink on the scan page), marks it fixed with a note, and submits the whole for re-inspection.
 */
export default function ReworkPage() {
  const { id = '' } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const me = useMe();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const { run } = useProjectAction();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [fixing, setFixing] = useState<Defect | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const reworkQuery = useQuery({ queryKey: projectKeys.rework(id), queryFn: () => call(api.rework.get, { params: { id } }) });
  const rework = reworkQuery.data;
  const mayScan = can('scan.ingest', 'scan.link');
  const pagesQuery = useQuery({
    queryKey: projectKeys.pages(rework?.dossierId ?? ''),
    queryFn: () => call(api.pages.ofDossier, { params: { id: rework!.dossierId } }),
    enabled: !!rework && can('scan.ingest', 'scan.link', 'qc.inspect'),
  });

  if (reworkQuery.error) {
    const missing = isApiError(reworkQuery.error) && reworkQuery.error.status === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? '整改任务不存在' : '无法加载整改任务'}
        subTitle={isApiError(reworkQuery.error) ? reworkQuery.error.message : '请稍后重试'}
        extra={
          <Button type="primary" onClick={() => navigate('/batches')}>
            返回数字化加工
          </Button>
        }
      />
    );
  }
  if (!rework) return <Skeleton active paragraph={{ rows: 12 }} />;

  const mine = rework.assignee.id === me.user.id;
  const editable = rework.state === 'open' && can('scan.ingest', 'scan.link');
  const selected = rework.defects.find((d) => d.id === selectedId) ?? rework.defects.find((d) => d.pageId) ?? null;
  const shown = selected ? currentPageOf(pagesQuery.data, selected) : null;
  const page = shown?.page;
  const unfixed = rework.defects.filter((d) => !d.fixed).length;
  const setRework = (next: unknown) => queryClient.setQueryData(projectKeys.rework(id), next);
  const scanLink = (d: Defect) => {
    const at = currentPageOf(pagesQuery.data, d)?.page.id ?? d.pageId;
    return `/dossiers/${rework.dossierId}/scan${at ? `?page=${encodeURIComponent(at)}` : ''}`;
  };

  return (
    <div data-testid="rework-page" data-state={rework.state}>
      <PageHeader
        title={`整改：${rework.dossierNo} ${rework.cadreName}`}
        description={
          <Space size={12} wrap>
            <Link to={`/batches/${rework.batchId}?tab=quality`}>{rework.batchCode}</Link>
            <Link to={`/inspections/${rework.inspectionId}`}>{rework.round > 1 ? `复检（第 ${rework.round} 轮）质检记录` : '初检质检记录'}</Link>
            <span>{`整改人 ${rework.assignee.name}，${formatDateTime(rework.createdAt)} 派发`}</span>
            <Tag color={REWORK_STATE_COLORS[rework.state]} data-testid="rework-state">
              {rework.stateLabel}
            </Tag>
          </Space>
        }
        extra={
          <>
            <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(`/batches/${rework.batchId}?tab=quality`)}>
              返回批次
            </Button>
            {mayScan && (
              <Link to={`/dossiers/${rework.dossierId}/scan`}>
                <Button icon={<ScanOutlined />}>扫描与挂接</Button>
              </Link>
            )}
            {editable && (
              <Button type="primary" icon={<SendOutlined />} disabled={unfixed > 0} onClick={() => setSubmitting(true)} data-testid="submit-rework">
                提交复检
              </Button>
            )}
          </>
        }
      />
      {rework.state === 'open' && (
        <Alert
          type={unfixed ? 'warning' : 'success'}
          showIcon
          style={{ marginBottom: 12 }}
          title={
            unfixed
              ? `共 ${rework.defects.length} 处缺陷，尚有 ${unfixed} 处未整改。请在「扫描与挂接」中重扫、修正或重新挂接，完成后逐项标记已整改，全部完成后提交复检。`
              : '缺陷已全部整改，请提交复检。'
          }
        />
      )}
      {!mine && rework.state === 'open' && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={`本整改任务派给 ${rework.assignee.name}。`} />
      )}
      {rework.note && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={`提交说明：${rework.note}`} />}
      <div className="inspect-desk" style={{ gridTemplateColumns: '420px minmax(0, 1fr)' }}>
        <Card size="small" title={`缺陷（已整改 ${rework.fixedCount}/${rework.defectCount}）`} style={{ overflowY: 'auto' }} data-testid="rework-defects">
          {rework.defects.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有缺陷" />
          ) : (
            <List
              size="small"
              dataSource={rework.defects}
              renderItem={(d) => (
                <List.Item
                  data-testid="rework-defect"
                  data-fixed={d.fixed ? '1' : '0'}
                  onClick={() => setSelectedId(d.id)}
                  style={{ cursor: 'pointer', background: d.id === selected?.id ? '#e6f4ff' : undefined, paddingInline: 6 }}
                >
                  <Flex vertical gap={4} style={{ width: '100%' }}>
                    <Space size={4} wrap>
                      <Tag color="red">{d.typeLabel}</Tag>
                      <Typography.Text strong>{defectPlace(d)}</Typography.Text>
                      {d.fixed ? <Tag color="green">已整改</Tag> : <Tag color="orange">待整改</Tag>}
                    </Space>
                    {d.note && <Typography.Text>{d.note}</Typography.Text>}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>{`质检：${d.createdBy.name} ${formatDateTime(d.createdAt)}`}</Typography.Text>
                    {d.fixed && (
                      <Typography.Text type="success" style={{ fontSize: 12 }}>
                        {`整改：${d.fixed.by.name} ${formatDateTime(d.fixed.at)}${d.fixed.note ? `，${d.fixed.note}` : ''}`}
                      </Typography.Text>
                    )}
                    <Space size={8}>
                      {mayScan && (
                        <Link to={scanLink(d)} onClick={(e) => e.stopPropagation()}>
                          去扫描与挂接处理
                        </Link>
                      )}
                      {editable && !d.fixed && (
                        <Button
                          size="small"
                          type="primary"
                          ghost
                          icon={<CheckOutlined />}
                          onClick={(e) => {
                            e.stopPropagation();
                            setFixing(d);
                          }}
                          data-testid="fix-defect"
                        >
                          标记已整改
                        </Button>
                      )}
                    </Space>
                  </Flex>
                </List.Item>
              )}
            />
          )}
        </Card>
        <div className="inspect-viewer">
          <div className="inspect-viewer-bar">
            <Typography.Text strong>{selected ? `${selected.typeLabel} · ${defectPlace(selected)}` : '选择左侧缺陷查看页面'}</Typography.Text>
            {page && (
              <Typography.Text type={shown?.replaced ? 'success' : 'secondary'} style={{ fontSize: 12 }} data-testid="rework-page-note">
                {shown?.replaced ? '原页面已重扫替换，显示该位置的现页面；' : ''}
                {`${page.fileName}${page.processedAt ? `，${formatDateTime(page.processedAt)} 处理` : ''}`}
              </Typography.Text>
            )}
          </div>
          {page ? (
            <DefectCanvas
              key={`${page.id}:${page.version}`}
              src={pageImageUrl(page.id, page.version, 'web')}
              alt={selected ? defectPlace(selected) : ''}
              masterSize={masterSizeOf(page)}
              boxes={rework.defects
                .filter((d) => d.box && currentPageOf(pagesQuery.data, d)?.page.id === page.id)
                .map((d) => ({ key: d.id, box: d.box as MasterBox, label: d.typeLabel, fixed: !!d.fixed, selected: d.id === selected?.id }))}
              testId="rework-canvas"
            />
          ) : (
            <Flex flex={1} align="center" justify="center">
              <Typography.Text style={{ color: 'rgba(255,255,255,0.75)' }}>
                {selected && !selected.pageId
                  ? '此缺陷针对整份材料（如漏扫），请按说明补扫'
                  : pagesQuery.isLoading
                    ? '正在加载…'
                    : selected
                      ? '该页已删除'
                      : ''}
              </Typography.Text>
            </Flex>
          )}
        </div>
      </div>
      <NoteModal
        open={!!fixing}
        name="fix-defect"
        title={fixing ? `标记已整改：${fixing.typeLabel} · ${defectPlace(fixing)}` : ''}
        label="整改说明"
        okText="标记已整改"
        presets={['已重扫替换', '已删除重复页并补扫', '已纠偏重新处理', '已重新挂接', '已修改著录']}
        placeholder="如：已重扫替换该页"
        onClose={() => setFixing(null)}
        onSubmit={(note) =>
          fixing
            ? run(`fix:${fixing.id}`, async () => setRework(await call(api.rework.fixDefect, { params: { id, defectId: fixing.id }, body: { note } })), '已标记整改')
            : Promise.resolve(false)
        }
      />
      <NoteModal
        open={submitting}
        name="submit-rework"
        title="提交复检"
        label="提交说明"
        okText="提交复检"
        info="提交后由质检员复检；复检合格即整改完成。"
        onClose={() => setSubmitting(false)}
        onSubmit={(note) => run('submit', async () => setRework(await call(api.rework.submit, { params: { id }, body: { note } })), '已提交复检')}
      />
    </div>
  );
}
