import { ApartmentOutlined, EditOutlined, PlusOutlined, StopOutlined, CheckCircleOutlined } from '@ant-design/icons';
import { api, type Unit } from '@dangan/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Descriptions, Input, Row, Space, Spin, Tag, Tree, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { call } from '../../api/client';
import { EmptyState, PageHeader } from '../../shared/components';
import { useErrorHandler } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import { dictionaryLabel, keys, useDictionary, useUnits } from '../../shared/queries';
import { unitName, unitTree } from '../../shared/units';
import { UnitFormModal, type UnitDialog } from './UnitFormModal';

function UnitTitle({ unit, typeLabel }: { unit: Unit; typeLabel: string | null }) {
  return (
    <Space size={6}>
      <span>{unit.name}</span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {unit.code}
      </Typography.Text>
      {typeLabel && <Tag style={{ marginInlineEnd: 0 }}>{typeLabel}</Tag>}
      {unit.disabled && (
        <Tag color="default" style={{ marginInlineEnd: 0 }}>
          已停用
        </Tag>
      )}
    </Space>
  );
}

export default function UnitsPage() {
  const { data: units, isLoading } = useUnits();
  const { data: types } = useDictionary('unit_type');
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message, modal } = App.useApp();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [dialog, setDialog] = useState<UnitDialog | null>(null);
  const [filter, setFilter] = useState('');
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());

  const visible = useMemo(() => {
    const q = filter.trim();
    if (!q || !units) return units;
    // Keep the matches and their ancestors so the tree still reads as a tree.
    const byId = new Map(units.map((u) => [u.id, u]));
    const keep = new Set<string>();
    for (const u of units) {
      if (!u.name.includes(q) && !u.code.toLowerCase().includes(q.toLowerCase())) continue;
      for (let cur: Unit | undefined = u; cur && !keep.has(cur.id); cur = cur.parentId ? byId.get(cur.parentId) : undefined) keep.add(cur.id);
    }
    return units.filter((u) => keep.has(u.id));
  }, [units, filter]);

  const treeData = useMemo(
    () => unitTree(visible, { title: (u) => <UnitTitle unit={u} typeLabel={u.type ? dictionaryLabel(types, u.type) : null} /> }),
    [visible, types],
  );
  const selected = units?.find((u) => u.id === selectedId) ?? null;
  // Every branch is open unless the user closed it, so new units show up where they were added.
  const expandedKeys = (visible ?? []).map((u) => u.id).filter((id) => filter.trim() || !collapsed.has(id));

  const toggle = useMutation({
    mutationFn: (u: Unit) => call(api.units.update, { params: { id: u.id }, body: { disabled: !u.disabled } }),
    onSuccess: async (u) => {
      await queryClient.invalidateQueries({ queryKey: keys.units });
      void message.success(u.disabled ? `已停用「${u.name}」` : `已启用「${u.name}」`);
    },
    onError: (error) => handleError(error),
  });

  const confirmToggle = (u: Unit) =>
    modal.confirm({
      title: u.disabled ? `确认启用「${u.name}」？` : `确认停用「${u.name}」？`,
      content: u.disabled ? '启用后可在该单位下新建用户和下级单位。' : '停用后不能再在该单位下新建用户或下级单位，已有数据不受影响。',
      okText: u.disabled ? '启用' : '停用',
      okButtonProps: { danger: !u.disabled },
      cancelText: '取消',
      onOk: () => toggle.mutateAsync(u).catch(() => undefined),
    });

  return (
    <>
      <PageHeader
        title="单位管理"
        description="维护本系统的单位（组织机构）树；单位决定用户的所属单位和数据范围。"
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ mode: 'create', parentId: null })}>
            新建顶级单位
          </Button>
        }
      />
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title={<><ApartmentOutlined /> 单位树</>} data-testid="unit-tree">
            <Input.Search placeholder="按名称或代码查找" allowClear onChange={(e) => setFilter(e.target.value)} style={{ marginBottom: 12 }} aria-label="查找单位" />
            {isLoading ? (
              <Spin />
            ) : treeData.length ? (
              <Tree
                treeData={treeData}
                expandedKeys={expandedKeys}
                onExpand={(_, { node, expanded }) =>
                  setCollapsed((c) => {
                    const next = new Set(c);
                    if (expanded) next.delete(String(node.key));
                    else next.add(String(node.key));
                    return next;
                  })
                }
                blockNode
                selectedKeys={selectedId ? [selectedId] : []}
                onSelect={(keys) => setSelectedId((keys[0] as string | undefined) ?? null)}
              />
            ) : (
              <EmptyState text={filter ? '没有匹配的单位' : '暂无单位'} />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title="单位信息" data-testid="unit-detail">
            {selected ? (
              <>
                <Descriptions
                  column={1}
                  bordered
                  size="small"
                  items={[
                    { key: 'name', label: '单位名称', children: selected.name },
                    { key: 'code', label: '单位代码', children: selected.code },
                    { key: 'type', label: '单位类型', children: dictionaryLabel(types, selected.type) },
                    { key: 'parent', label: '上级单位', children: selected.parentId ? unitName(units, selected.parentId) : '（顶级单位）' },
                    { key: 'sort', label: '排序号', children: selected.sortOrder },
                    { key: 'status', label: '状态', children: selected.disabled ? <Tag>已停用</Tag> : <Tag color="green">正常</Tag> },
                    { key: 'created', label: '创建时间', children: formatDateTime(selected.createdAt) },
                  ]}
                />
                <Space wrap style={{ marginTop: 16 }}>
                  <Button
                    type="primary"
                    icon={<PlusOutlined />}
                    disabled={selected.disabled}
                    onClick={() => setDialog({ mode: 'create', parentId: selected.id })}
                  >
                    新建下级单位
                  </Button>
                  <Button icon={<EditOutlined />} onClick={() => setDialog({ mode: 'edit', unit: selected })}>
                    编辑
                  </Button>
                  <Button
                    danger={!selected.disabled}
                    icon={selected.disabled ? <CheckCircleOutlined /> : <StopOutlined />}
                    onClick={() => confirmToggle(selected)}
                  >
                    {selected.disabled ? '启用' : '停用'}
                  </Button>
                </Space>
              </>
            ) : (
              <EmptyState text="请在左侧单位树中选择一个单位" />
            )}
          </Card>
        </Col>
      </Row>
      <UnitFormModal
        dialog={dialog}
        onClose={() => setDialog(null)}
        onSaved={(u) => {
          setDialog(null);
          setSelectedId(u.id);
          setCollapsed((c) => {
            const next = new Set(c);
            for (let id = u.parentId; id; id = units?.find((x) => x.id === id)?.parentId ?? null) next.delete(id);
            return next;
          });
        }}
      />
    </>
  );
}
