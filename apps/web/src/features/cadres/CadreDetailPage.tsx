import { ArrowLeftOutlined, CheckCircleOutlined, EditOutlined, FolderOpenOutlined, WarningOutlined } from '@ant-design/icons';
import type { Cadre } from '@dangan/contracts';
import { Button, Card, Descriptions, Flex, Result, Skeleton, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { useSession } from '../../session/SessionProvider';
import { PageHeader } from '../../shared/components';
import { formatDateTime } from '../../shared/format';
import { dictionaryLabel } from '../../shared/queries';
import { CadreFormModal, type CadreDialog } from './CadreFormModal';
import { DossierCard } from './DossierCard';
import { RelativesCard } from '../use/RelativesCard';
import { showPartialDate } from './format';
import { useCadre, useCadreDictionaries, type CadreDictionaries } from './queries';

export function IdNumberTag({ check }: { check: Cadre['idNumberCheck'] }) {
  if (check.status === 'valid') {
    return (
      <Tag color="success" icon={<CheckCircleOutlined />}>
        校验通过
      </Tag>
    );
  }
  if (check.status === 'mismatch' || check.status === 'invalid') {
    return (
      <Tooltip title={check.message}>
        <Tag color="warning" icon={<WarningOutlined />} data-testid="id-number-warning">
          {check.status === 'mismatch' ? '与出生日期不一致' : '号码有误'}
        </Tag>
      </Tooltip>
    );
  }
  return null;
}

function cadreItems(c: Cadre, d: CadreDictionaries) {
  return [
    { key: 'name', label: '姓名', children: <Typography.Text strong>{c.name}</Typography.Text> },
    { key: 'gender', label: '性别', children: dictionaryLabel(d.gender, c.gender) },
    { key: 'ethnicity', label: '民族', children: dictionaryLabel(d.ethnicity, c.ethnicity) },
    { key: 'birthDate', label: '出生日期', children: showPartialDate(c.birthDate) },
    {
      key: 'idNumber',
      label: '公民身份号码',
      span: 2,
      children: c.idNumber ? (
        <Flex gap={8} align="center" wrap>
          <span style={{ fontFamily: 'monospace' }}>{c.idNumber}</span>
          <IdNumberTag check={c.idNumberCheck} />
        </Flex>
      ) : (
        <Typography.Text type="secondary">未填写</Typography.Text>
      ),
    },
    { key: 'nativePlace', label: '籍贯', children: c.nativePlace || '—' },
    { key: 'birthPlace', label: '出生地', children: c.birthPlace || '—' },
    { key: 'politicalStatus', label: '政治面貌', children: dictionaryLabel(d.politicalStatus, c.politicalStatus) },
    { key: 'partyJoinDate', label: '入党时间', children: showPartialDate(c.partyJoinDate) },
    { key: 'workStartDate', label: '参加工作时间', children: showPartialDate(c.workStartDate) },
    { key: 'personnelStatus', label: '人员状态', children: dictionaryLabel(d.personnelStatus, c.personnelStatus) },
    { key: 'education', label: '学历', children: dictionaryLabel(d.education, c.education) },
    { key: 'degree', label: '学位', children: dictionaryLabel(d.degree, c.degree) },
    { key: 'rank', label: '职务职级', children: dictionaryLabel(d.rank, c.rank) },
    { key: 'position', label: '现工作单位及职务', span: 2, children: c.position || '—' },
    { key: 'managingUnit', label: '管理单位', children: c.managingUnitName || '—' },
    { key: 'createdAt', label: '登记时间', children: formatDateTime(c.createdAt) },
    { key: 'updatedAt', label: '最近修改', children: formatDateTime(c.updatedAt) },
  ];
}

export default function CadreDetailPage() {
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const location = useLocation();
  const { can } = useSession();
  const { data: cadre, error, isLoading } = useCadre(id);
  const dicts = useCadreDictionaries();
  const [dialog, setDialog] = useState<CadreDialog | null>(null);

  if (error) {
    const missing = isApiError(error) && error.status === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? '干部不存在' : '无法加载干部信息'}
        subTitle={isApiError(error) ? error.message : '请稍后重试'}
        extra={
          <Button type="primary" onClick={() => navigate('/cadres')}>
            返回干部档案
          </Button>
        }
      />
    );
  }
  if (isLoading || !cadre) return <Skeleton active paragraph={{ rows: 10 }} />;

  return (
    <>
      <PageHeader
        title={cadre.name}
        description={[cadre.position, cadre.managingUnitName && `管理单位：${cadre.managingUnitName}`].filter(Boolean).join(' · ')}
        extra={
          <>
            <Button icon={<ArrowLeftOutlined />} onClick={() => (location.key === 'default' ? navigate('/cadres') : navigate(-1))}>
              返回
            </Button>
            {can('cadre.edit') && (
              <Button icon={<EditOutlined />} onClick={() => setDialog({ mode: 'edit', cadre })} data-testid="edit-cadre">
                编辑
              </Button>
            )}
            {cadre.dossier && can('dossier.read') && (
              <Button type="primary" icon={<FolderOpenOutlined />} onClick={() => navigate(`/dossiers/${cadre.dossier!.id}/catalogue`)}>
                查看目录
              </Button>
            )}
          </>
        }
      />
      <Flex vertical gap={16}>
        <Card title="干部信息" data-testid="cadre-info">
          <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 3 }} items={cadreItems(cadre, dicts)} styles={{ label: { width: 150, whiteSpace: 'nowrap' } }} />
        </Card>
        <DossierCard cadre={cadre} />
        <RelativesCard cadreId={cadre.id} />
      </Flex>
      <CadreFormModal dialog={dialog} onClose={() => setDialog(null)} />
    </>
  );
}
