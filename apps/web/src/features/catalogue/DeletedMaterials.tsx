import { DeleteOutlined, UndoOutlined } from '@ant-design/icons';
import type { Material } from '@dangan/contracts';
import { Button, Collapse, Popconfirm, Table, Typography, type TableColumnsType } from 'antd';
import { formatDateTime } from '../../shared/format';
import { showPartialDate } from '../cadres/format';

/** 已删除材料: kept with who, when and why; an authorized user can put one back. */
export function DeletedMaterials({
  materials,
  canRestore,
  restoringId,
  onRestore,
}: {
  materials: Material[];
  canRestore: boolean;
  restoringId: string | null;
  onRestore: (material: Material) => void;
}) {
  const columns: TableColumnsType<Material> = [
    { title: '原序号', dataIndex: 'seq', width: 80, render: (v: string) => v || '—' },
    { title: '材料名称', dataIndex: 'name' },
    { title: '形成时间', dataIndex: 'formedOn', width: 110, render: (v: string | null) => showPartialDate(v, '不详') },
    { title: '页数', dataIndex: 'pages', width: 64, align: 'right' },
    { title: '删除人', dataIndex: 'deletedBy', width: 100, render: (v: string | null) => v ?? '—' },
    { title: '删除时间', dataIndex: 'deletedAt', width: 170, render: (v: string | null) => formatDateTime(v) },
    { title: '删除原因', dataIndex: 'deleteReason', render: (v: string | null) => v || '—' },
    ...(canRestore
      ? [
          {
            title: '操作',
            key: 'actions',
            width: 80,
            render: (_: unknown, m: Material) => (
              <Popconfirm
                title={`恢复「${m.name}」？`}
                description="恢复后按本类排列规则重新编号"
                okText="恢复"
                cancelText="取消"
                onConfirm={() => onRestore(m)}
              >
                <Button type="link" size="small" icon={<UndoOutlined />} loading={restoringId === m.id}>
                  恢复
                </Button>
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];

  return (
    <Collapse
      data-testid="deleted-materials"
      items={[
        {
          key: 'deleted',
          label: (
            <Typography.Text type="secondary">
              <DeleteOutlined /> 已删除材料（{materials.length} 份）
            </Typography.Text>
          ),
          children: (
            <Table<Material>
              rowKey="id"
              size="small"
              columns={columns}
              dataSource={materials}
              pagination={false}
              locale={{ emptyText: '没有已删除的材料' }}
            />
          ),
        },
      ]}
    />
  );
}
