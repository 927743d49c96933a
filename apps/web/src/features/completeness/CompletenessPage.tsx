import { ArrowLeftOutlined, UnorderedListOutlined, UserOutlined } from '@ant-design/icons';
import { api } from '@dangan/contracts';
import { useQuery } from '@tanstack/react-query';
import { Button, Result } from 'antd';
import { useNavigate, useParams } from 'react-router-dom';
import { call, isApiError } from '../../api/client';
import { useSession } from '../../session/SessionProvider';
import { PageHeader } from '../../shared/components';
import { CompletenessPanel } from './CompletenessPanel';

/** `/dossiers/:id/completeness`: the completeness panel as a page of its own. */
export default function CompletenessPage() {
  const { id = '' } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const { can } = useSession();
  // The same query the catalogue page uses: the header names the cadre and the dossier.
  const { data: catalogue, error } = useQuery({
    queryKey: ['catalogue', id],
    queryFn: () => call(api.dossiers.catalogue, { params: { id } }),
  });

  if (error) {
    const missing = isApiError(error) && error.status === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? '档案不存在' : '无法加载档案'}
        subTitle={isApiError(error) ? error.message : '请稍后重试'}
        extra={
          <Button type="primary" onClick={() => navigate('/cadres')}>
            返回干部档案
          </Button>
        }
      />
    );
  }

  return (
    <>
      <PageHeader
        title={catalogue ? `材料完整性：${catalogue.cadre.name}` : '材料完整性'}
        description={
          catalogue
            ? `档案号 ${catalogue.dossier.dossierNo} · 管理单位 ${catalogue.cadre.managingUnitName} · 已著录材料 ${catalogue.materialCount} 份`
            : '正在加载档案…'
        }
        extra={
          <>
            <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(`/dossiers/${id}/catalogue`)} data-testid="back-to-catalogue">
              返回档案目录
            </Button>
            {catalogue && can('cadre.read') && (
              <Button icon={<UserOutlined />} onClick={() => navigate(`/cadres/${catalogue.cadre.id}`)}>
                干部信息
              </Button>
            )}
            <Button icon={<UnorderedListOutlined />} onClick={() => navigate('/completeness-rules')}>
              完整性规则
            </Button>
          </>
        }
      />
      <CompletenessPanel dossierId={id} />
    </>
  );
}
