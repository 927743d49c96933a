import { FileExcelOutlined, FileTextOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { api, type AuditEvent, type AuditVerification, type QueryOf } from '@dangan/contracts';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { auditExportUrl, call } from '../../api/client';
import { useSession } from '../../session/SessionProvider';
import { EmptyState, PageHeader } from '../../shared/components';
import { useErrorHandler } from '../../shared/errors';
import { beijingToIso, formatDateTime } from '../../shared/format';
import { keys, useDictionary } from '../../shared/queries';
import { AuditDetail } from './AuditDetail';
import { AuditFilters, type FilterValues } from './AuditFilters';
import { OBJECT_TYPE_LABELS, RESULT_LABELS, roleNames, userLabel, type ValueContext } from './labels';

type Filter = Omit<QueryOf<typeof api.audit.list>, 'page' | 'pageSize'>;

function toFilter(v: FilterValues): Filter {
  const [from, to] = v.range ?? [];
  return {
    from: from ? beijingToIso(from.second(0)) : undefined,
    to: to ? beijingToIso(to.second(59)) : undefined,
    username: v.username?.trim() || undefined,
    action: v.action || undefined,
    objectType: v.objectType || undefined,
    result: v.result || undefined,
  };
}

function VerificationAlert({ result, onClose }: { result: AuditVerification; onClose: () => void }) {
  return result.intact ? (
    <Alert
      type="success"
      showIcon
      closable={{ onClose }}
      data-testid="audit-verification"
      title="审计链完整"
      description={`共校验 ${result.checked} 条审计记录（至序号 ${result.lastSeq}），未发现篡改、删除或插入。校验时间：${formatDateTime(result.verifiedAt)}。`}
    />
  ) : (
    <Alert
      type="error"
      showIcon
      closable={{ onClose }}
      data-testid="audit-verification"
      title="审计链已被破坏"
      description={`首个断点：序号 ${result.firstBroken?.seq ?? '—'}；原因：${result.firstBroken?.reason ?? '—'}。此前已校验 ${result.checked} 条记录。校验时间：${formatDateTime(result.verifiedAt)}。请立即报告安全保密管理员。`}
    />
  );
}

export default function AuditPage() {
  const { can } = useSession();
  const handleError = useErrorHandler();
  const [filter, setFilter] = useState<Filter>({});
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [verification, setVerification] = useState<AuditVerification | null>(null);

  const { data: actions } = useQuery({ queryKey: keys.auditActions, queryFn: () => call(api.audit.actions) });
  const { data: clearances } = useDictionary('clearance');
  const { data: unitTypes } = useDictionary('unit_type');
  const query = { ...filter, page, pageSize };
  const { data, isFetching } = useQuery({
    queryKey: [...keys.audit, query],
    queryFn: () => call(api.audit.list, { query }),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });

  const verify = useMutation({
    mutationFn: () => call(api.audit.verify),
    onSuccess: setVerification,
    onError: (error) => handleError(error),
  });

  const actionLabel = useCallback((code: string) => actions?.find((a) => a.code === code)?.label ?? code, [actions]);
  const ctx = useMemo<ValueContext>(
    () => ({
      actionLabel,
      codeLabel: (key, code) => {
        if (key === 'clearance') return clearances?.find((e) => e.code === code)?.label ?? null;
        if (key === 'type') return unitTypes?.find((e) => e.code === code)?.label ?? null;
        return null;
      },
    }),
    [actionLabel, clearances, unitTypes],
  );

  const columns: TableColumnsType<AuditEvent> = [
    { title: '序号', dataIndex: 'seq', width: 80, align: 'right' },
    { title: '时间（北京时间）', dataIndex: 'at', width: 170, render: formatDateTime },
    { title: '用户', dataIndex: 'username', width: 120, render: userLabel },
    { title: '角色', dataIndex: 'roles', width: 140, render: roleNames },
    { title: '地址', dataIndex: 'clientIp', width: 130, render: (v: string | null) => v ?? '—' },
    { title: '事件', dataIndex: 'actionLabel', width: 150 },
    {
      title: '对象',
      key: 'object',
      render: (_, e) =>
        e.objectType ? (
          <span>
            <Typography.Text type="secondary">{OBJECT_TYPE_LABELS[e.objectType] ?? e.objectType}</Typography.Text>
            {(e.objectLabel ?? e.objectId) && <>：{e.objectLabel ?? e.objectId}</>}
          </span>
        ) : (
          '—'
        ),
    },
    {
      title: '结果',
      dataIndex: 'result',
      width: 80,
      render: (r: AuditEvent['result']) => <Tag color={RESULT_LABELS[r].color}>{RESULT_LABELS[r].text}</Tag>,
    },
  ];

  return (
    <>
      <PageHeader
        title="审计日志"
        description="系统记录的全部登录、查看、导出与修改操作；记录以哈希链相连，任何篡改均可被校验发现。"
        extra={
          <>
            {can('audit.export') && (
              <>
                <Button icon={<FileExcelOutlined />} href={auditExportUrl({ ...filter, format: 'xlsx' })} download>
                  导出 Excel
                </Button>
                <Button icon={<FileTextOutlined />} href={auditExportUrl({ ...filter, format: 'csv' })} download>
                  导出 CSV
                </Button>
              </>
            )}
            {can('audit.verify') && (
              <Button type="primary" icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()}>
                校验审计链
              </Button>
            )}
          </>
        }
      />
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        {verification && <VerificationAlert result={verification} onClose={() => setVerification(null)} />}
        <Card>
          <AuditFilters
            actions={actions}
            onSearch={(v) => {
              setFilter(toFilter(v));
              setPage(1);
            }}
          />
        </Card>
        <Card>
          <Table<AuditEvent>
            rowKey="seq"
            size="middle"
            data-testid="audit-table"
            columns={columns}
            dataSource={data?.items}
            loading={isFetching}
            scroll={{ x: 1100 }}
            expandable={{ expandedRowRender: (e) => <AuditDetail event={e} ctx={ctx} />, columnTitle: '详情', columnWidth: 56 }}
            locale={{ emptyText: <EmptyState text="没有符合条件的审计记录" /> }}
            pagination={{
              current: page,
              pageSize,
              total: data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: [20, 50, 100, 200],
              showTotal: (total) => `共 ${total} 条记录`,
              onChange: (p, s) => {
                setPage(s === pageSize ? p : 1);
                setPageSize(s);
              },
            }}
          />
        </Card>
      </Space>
    </>
  );
}
