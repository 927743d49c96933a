import { DownOutlined, EditOutlined, FolderOpenOutlined, PlusOutlined, SwapOutlined } from '@ant-design/icons';
import type { Cadre } from '@dangan/contracts';
import { BATCH_DOSSIER_EVENTS, DOSSIER_EVENT_LABELS, availableEvents, type DossierEvent, type DossierState } from '@dangan/domain';
import { Button, Card, Descriptions, Dropdown, Empty, Space, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useSession } from '../../session/SessionProvider';
import { dictionaryLabel, useDictionary } from '../../shared/queries';
import { DossierFormModal } from './DossierFormModal';
import { DossierStateTag } from './format';
import { TransitionModal, type TransitionRequest } from './TransitionModal';

/** The cadre's dossier as a physical object: number, state, where it is kept, its secrecy. */
export function DossierCard({ cadre }: { cadre: Cadre }) {
  const { can } = useSession();
  const navigate = useNavigate();
  const { data: secrecy } = useDictionary('secrecy_level');
  const [editing, setEditing] = useState<Cadre | null>(null);
  const [request, setRequest] = useState<TransitionRequest | null>(null);
  const dossier = cadre.dossier;
  const canEdit = can('dossier.edit');

  if (!dossier) {
    return (
      <Card title="档案" data-testid="dossier-card">
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚未建立档案">
          {canEdit && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(cadre)}>
              建立档案
            </Button>
          )}
        </Empty>
        <DossierFormModal cadre={editing} onClose={() => setEditing(null)} />
      </Card>
    );
  }

  // 出库加工 and its return happen only through a digitization batch's hand-overs.
  const events = availableEvents(dossier.state as DossierState).filter((e) => !BATCH_DOSSIER_EVENTS.includes(e));
  return (
    <Card
      title={`档案 ${dossier.dossierNo}`}
      data-testid="dossier-card"
      extra={
        canEdit && (
          <Space>
            <Dropdown
              trigger={['click']}
              disabled={events.length === 0}
              menu={{
                items: events.map((e) => ({ key: e, label: DOSSIER_EVENT_LABELS[e] })),
                onClick: ({ key }) => setRequest({ dossier, event: key as DossierEvent }),
              }}
            >
              <Button icon={<SwapOutlined />} data-testid="dossier-transition">
                状态变更 <DownOutlined />
              </Button>
            </Dropdown>
            <Button icon={<EditOutlined />} onClick={() => setEditing(cadre)}>
              修改
            </Button>
          </Space>
        )
      }
    >
      <Descriptions
        column={{ xs: 1, md: 2, xl: 3 }}
        items={[
          { key: 'no', label: '档案号', children: <Typography.Text strong>{dossier.dossierNo}</Typography.Text> },
          { key: 'state', label: '状态', children: <DossierStateTag state={dossier.state} label={dossier.stateLabel} /> },
          { key: 'secrecy', label: '密级', children: dictionaryLabel(secrecy, dossier.secrecyLevel) },
          { key: 'custodian', label: '保管单位', children: dossier.custodianUnitName || '—' },
          { key: 'location', label: '库房位置', children: dossier.location || '—' },
          { key: 'counts', label: '材料', children: `${dossier.materialCount} 份，共 ${dossier.pageCount} 页` },
        ]}
      />
      {can('dossier.read') && (
        <Button
          type="primary"
          size="large"
          icon={<FolderOpenOutlined />}
          style={{ marginTop: 8 }}
          onClick={() => navigate(`/dossiers/${dossier.id}/catalogue`)}
          data-testid="open-catalogue"
        >
          查看目录
        </Button>
      )}
      <DossierFormModal cadre={editing} onClose={() => setEditing(null)} />
      <TransitionModal request={request} onClose={() => setRequest(null)} />
    </Card>
  );
}
