import { CheckCircleFilled, EditOutlined, WarningFilled } from '@ant-design/icons';
import { api, type ScanRegister } from '@dangan/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Drawer, Flex, Input, Skeleton, Space, Statistic, Table, Typography, type TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router-dom';
import { call, errorText } from '../../api/client';
import { useSession } from '../../session/SessionProvider';
import { formatDateTime } from '../../shared/format';
import { projectKeys } from './model';
import { useProjectAction } from './useProjectAction';

type Row = ScanRegister['rows'][number];

/**
 * 扫描登记 of one dossier: each material's catalogue page count against the pages scanned for it.
 * A difference must be explained before 扫描 can be finished; the explanation is kept with the counts
 * it explained, so a later change in the counts asks for a new one.
 */
export function ScanRegisterDrawer({
  batchId, dossier, onClose,
}: {
  batchId: string;
  dossier: { dossierId: string; dossierNo: string; cadreName: string } | null;
  onClose: () => void;
}) {
  const { can } = useSession();
  const queryClient = useQueryClient();
  const { run, busy } = useProjectAction();
  const [editing, setEditing] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const dossierId = dossier?.dossierId ?? '';
  const { data, error, isLoading } = useQuery({
    queryKey: projectKeys.register(batchId, dossierId),
    queryFn: () => call(api.batches.scanRegister, { params: { id: batchId, dossierId } }),
    enabled: !!dossierId,
  });
  const mayExplain = can('scan.ingest', 'batch.manage');

  const save = async (row: Row) => {
    const ok = await run(
      `explain:${row.materialId}`,
      async () => {
        const next = await call(api.batches.explainScan, { params: { id: batchId, materialId: row.materialId }, body: { note: note.trim() } });
        queryClient.setQueryData(projectKeys.register(batchId, dossierId), next);
      },
      `已说明 ${row.seq} 的页数差异`,
    );
    if (ok) setEditing(null);
  };

  const columns: TableColumnsType<Row> = [
    { title: '序号', dataIndex: 'seq', width: 64 },
    { title: '材料名称', dataIndex: 'name', ellipsis: { showTitle: true } },
    { title: '目录页数', dataIndex: 'expectedPages', width: 80, align: 'right' },
    { title: '已扫描', dataIndex: 'scannedPages', width: 72, align: 'right' },
    {
      title: '差异',
      dataIndex: 'difference',
      width: 64,
      align: 'right',
      render: (n: number) => (n === 0 ? <Typography.Text type="secondary">—</Typography.Text> : <Typography.Text type="warning" strong>{n > 0 ? `+${n}` : n}</Typography.Text>),
    },
    {
      title: '差异说明',
      key: 'explanation',
      width: 300,
      render: (_, r) => {
        if (editing === r.materialId) {
          return (
            <Flex vertical gap={4}>
              <Input.TextArea
                autoFocus
                rows={2}
                maxLength={500}
                value={note}
                onChange={(e) => setNote(e.target.value)}
                placeholder="如：目录页数登记有误，原件实为 2 页"
                aria-label={`${r.seq} 差异说明`}
              />
              <Space size={4}>
                <Button size="small" type="primary" disabled={!note.trim()} loading={busy === `explain:${r.materialId}`} onClick={() => void save(r)}>
                  保存说明
                </Button>
                <Button size="small" onClick={() => setEditing(null)}>
                  取消
                </Button>
              </Space>
            </Flex>
          );
        }
        const start = () => {
          setNote(r.explanation?.note ?? '');
          setEditing(r.materialId);
        };
        if (r.difference === 0 && !r.explanation) return <Typography.Text type="secondary">页数相符</Typography.Text>;
        return (
          <Flex vertical gap={2}>
            {r.explanation && (
              <Typography.Text type={r.explained ? undefined : 'secondary'} delete={!r.explained}>
                {r.explanation.note}
              </Typography.Text>
            )}
            {r.explanation && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {`${r.explanation.by.name} ${formatDateTime(r.explanation.at)}（说明时目录 ${r.explanation.expectedPages} 页、扫描 ${r.explanation.scannedPages} 页）`}
              </Typography.Text>
            )}
            {r.difference !== 0 && !r.explained && (
              <Typography.Text type="danger" style={{ fontSize: 12 }}>
                <WarningFilled /> {r.explanation ? '页数又有变化，须重新说明' : '未说明，不能完成扫描'}
              </Typography.Text>
            )}
            {r.difference !== 0 && r.explained && (
              <Typography.Text type="success" style={{ fontSize: 12 }}>
                <CheckCircleFilled /> 已说明
              </Typography.Text>
            )}
            {mayExplain && r.difference !== 0 && (
              <Button size="small" type="link" icon={<EditOutlined />} style={{ padding: 0, alignSelf: 'flex-start' }} onClick={start} data-testid="explain-difference">
                {r.explanation ? '修改说明' : '说明差异'}
              </Button>
            )}
          </Flex>
        );
      },
    },
  ];

  return (
    <Drawer
      open={!!dossier}
      onClose={onClose}
      size={900}
      destroyOnHidden
      title={dossier ? `扫描登记：${dossier.dossierNo} ${dossier.cadreName}` : ''}
      extra={
        can('scan.ingest', 'scan.link') && dossier ? (
          <Link to={`/dossiers/${dossier.dossierId}/scan`}>
            <Button>打开扫描与挂接</Button>
          </Link>
        ) : null
      }
    >
      <div data-testid="scan-register">
        {error ? (
          <Alert type="error" showIcon title={errorText(error)} />
        ) : isLoading || !data ? (
          <Skeleton active />
        ) : (
          <>
            <Flex gap={40} style={{ marginBottom: 16 }}>
              <Statistic title="目录页数" value={data.totals.expected} />
              <Statistic title="已扫描页数" value={data.totals.scanned} />
              <Statistic title="未挂接页" value={data.unlinkedPages} styles={{ content: data.unlinkedPages ? { color: '#d46b08' } : undefined }} />
              <Statistic title="差异未说明的材料" value={data.unexplained} styles={{ content: data.unexplained ? { color: '#cf1322' } : undefined }} />
            </Flex>
            {data.unexplained > 0 && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                title={`有 ${data.unexplained} 份材料的扫描页数与目录不符且未说明：请补扫，或写明原因（如目录页数有误、背面空白未扫）后再完成扫描环节。`}
              />
            )}
            <Table<Row>
              rowKey="materialId"
              size="small"
              columns={columns}
              dataSource={data.rows}
              pagination={false}
              data-testid="register-table"
              onRow={(r) => ({ 'data-seq': r.seq, className: r.difference !== 0 && !r.explained ? 'project-row-problem' : undefined }) as HTMLAttributes<HTMLElement>}
            />
          </>
        )}
      </div>
    </Drawer>
  );
}
