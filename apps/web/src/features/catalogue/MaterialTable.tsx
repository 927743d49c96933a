import { ArrowDownOutlined, ArrowUpOutlined, ExclamationCircleFilled, HolderOutlined } from '@ant-design/icons';
import type { Material } from '@dangan/contracts';
import { importanceLabel, type ClassCode } from '@dangan/domain';
import { Button, Flex, Form, Input, InputNumber, Select, Space, Table, Tag, Tooltip, Typography, type FormInstance, type TableColumnsType } from 'antd';
import { useState, type KeyboardEvent } from 'react';
import { partialDateRule, showPartialDate } from '../cadres/format';
import { LEAF_CLASS_OPTIONS, canMove, importanceOptions, isImportanceClass, moveItem } from './model';

export interface RowValues {
  classCode: string;
  name: string;
  importance: number | 'none';
  formedOn: string;
  copies: number;
  pages: number;
  remark: string;
}

/** What the tables of one catalogue share: the row being edited, the row just changed, the actions. */
export interface TableActions {
  editable: boolean;
  editingId: string | null;
  saving: boolean;
  /** A change is on its way to the server: no second move meanwhile. */
  busy: boolean;
  flashId: string | null;
  rowForm: FormInstance<RowValues>;
  startEdit(material: Material): void;
  cancelEdit(): void;
  saveEdit(material: Material): void;
  remove(material: Material): void;
  /** Asks for this order of one class; `movedId` is the material the clerk moved. */
  reorder(classCode: string, ids: string[], movedId: string): void;
}

export function WarningMark({ warnings }: { warnings: string[] }) {
  if (warnings.length === 0) return null;
  return (
    <Tooltip
      title={
        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      }
    >
      <ExclamationCircleFilled style={{ color: '#fa8c16' }} aria-label={`${warnings.length} 条提示`} data-testid="material-warning" />
    </Tooltip>
  );
}

const MOVE_REFUSED = '与相邻材料的形成时间或重要程度不同，先后由排列规则决定';

/**
 * The materials of one leaf class (a class, or a subclass of 4 or 9) in catalogue order. Rows are
 * edited in place; where the rule leaves a choice they can be dragged by the handle or moved with
 * the arrows.
 */
export function MaterialTable({
  classCode,
  materials,
  reorderable,
  actions,
}: {
  classCode: string;
  materials: Material[];
  /** False while the list is filtered or edited: an order can only be asked for the whole class. */
  reorderable: boolean;
  actions: TableActions;
}) {
  const [armed, setArmed] = useState<string | null>(null);
  const [dragId, setDragId] = useState<string | null>(null);
  const [drop, setDrop] = useState<{ id: string; after: boolean } | null>(null);
  const editingClass = Form.useWatch('classCode', actions.rowForm);
  const ids = materials.map((m) => m.id);
  const canReorder = reorderable && actions.editable && !actions.busy && materials.length > 1;

  const endDrag = () => {
    setArmed(null);
    setDragId(null);
    setDrop(null);
  };

  const onEditKey = (m: Material) => (e: KeyboardEvent) => {
    if (e.key === 'Escape') actions.cancelEdit();
    if (e.key === 'Enter') {
      e.preventDefault();
      actions.saveEdit(m);
    }
  };

  const move = (index: number, step: -1 | 1) => actions.reorder(classCode, moveItem(ids, index, index + step), ids[index]!);

  const columns: TableColumnsType<Material> = [
    ...(actions.editable
      ? [
          {
            key: 'handle',
            width: 28,
            render: (_: unknown, m: Material) =>
              canReorder && actions.editingId === null ? (
                <HolderOutlined
                  className="catalogue-drag-handle"
                  aria-label="拖动调整顺序"
                  title="按住拖动，调整同一时间材料的先后"
                  onMouseDown={() => setArmed(m.id)}
                  onMouseUp={() => setArmed(null)}
                />
              ) : null,
          },
        ]
      : []),
    {
      title: '序号',
      dataIndex: 'seq',
      width: 72,
      render: (v: string) => <Typography.Text strong>{v}</Typography.Text>,
    },
    {
      title: '材料名称',
      key: 'name',
      render: (_, m) => {
        if (actions.editingId === m.id) {
          const code = editingClass ?? m.classCode;
          return (
            <Flex vertical gap={4}>
              <Form.Item name="name" noStyle rules={[{ required: true, whitespace: true, message: '请输入材料名称' }]}>
                <Input size="small" maxLength={200} onKeyDown={onEditKey(m)} aria-label="材料名称" autoFocus />
              </Form.Item>
              <Flex gap={4}>
                <Form.Item name="classCode" noStyle>
                  <Select
                    size="small"
                    style={{ width: 104, flex: 'none' }}
                    options={LEAF_CLASS_OPTIONS}
                    labelRender={({ value }) => `第 ${String(value)} 类`}
                    popupMatchSelectWidth={320}
                    aria-label="类号"
                  />
                </Form.Item>
                {isImportanceClass(code) && (
                  <Form.Item name="importance" noStyle>
                    <Select
                      size="small"
                      style={{ flex: 1, minWidth: 0 }}
                      aria-label="重要程度"
                      options={[
                        ...importanceOptions(code).map((o) => ({ value: o.value, label: o.label })),
                        { value: 'none', label: '不设重要程度' },
                      ]}
                    />
                  </Form.Item>
                )}
              </Flex>
            </Flex>
          );
        }
        const rank = m.importance !== null && isImportanceClass(m.classCode) ? importanceLabel(m.classCode as ClassCode, m.importance) : null;
        return (
          <Space size={6} wrap>
            <span>{m.name}</span>
            {rank && (
              <Tag variant="filled" color="geekblue" style={{ marginInlineEnd: 0 }}>
                {rank}
              </Tag>
            )}
            <WarningMark warnings={m.warnings} />
          </Space>
        );
      },
    },
    {
      title: '形成时间',
      key: 'formedOn',
      width: 104,
      render: (_, m) =>
        actions.editingId === m.id ? (
          <Form.Item name="formedOn" rules={[partialDateRule()]} style={{ marginBottom: 0 }}>
            <Input size="small" placeholder="年.月.日" onKeyDown={onEditKey(m)} aria-label="形成时间" />
          </Form.Item>
        ) : (
          showPartialDate(m.formedOn, '不详')
        ),
    },
    {
      title: '份数',
      key: 'copies',
      width: 56,
      align: 'right',
      render: (_, m) =>
        actions.editingId === m.id ? (
          <Form.Item name="copies" noStyle rules={[{ required: true, message: '请输入份数' }]}>
            <InputNumber size="small" min={1} max={999} precision={0} style={{ width: '100%' }} onKeyDown={onEditKey(m)} aria-label="份数" />
          </Form.Item>
        ) : (
          m.copies
        ),
    },
    {
      title: '页数',
      key: 'pages',
      width: 60,
      align: 'right',
      render: (_, m) =>
        actions.editingId === m.id ? (
          <Form.Item name="pages" noStyle rules={[{ required: true, message: '请输入页数' }]}>
            <InputNumber size="small" min={0} max={9999} precision={0} style={{ width: '100%' }} onKeyDown={onEditKey(m)} aria-label="页数" />
          </Form.Item>
        ) : (
          m.pages
        ),
    },
    {
      title: '备注',
      key: 'remark',
      width: 140,
      render: (_, m) =>
        actions.editingId === m.id ? (
          <Form.Item name="remark" noStyle>
            <Input size="small" maxLength={200} onKeyDown={onEditKey(m)} aria-label="备注" />
          </Form.Item>
        ) : (
          <Typography.Text type="secondary">{m.remark}</Typography.Text>
        ),
    },
    ...(actions.editable
      ? [
          {
            title: '操作',
            key: 'actions',
            width: 150,
            render: (_: unknown, m: Material, index: number) =>
              actions.editingId === m.id ? (
                <Space size={0}>
                  <Button type="link" size="small" loading={actions.saving} onClick={() => actions.saveEdit(m)}>
                    保存
                  </Button>
                  <Button type="link" size="small" onClick={actions.cancelEdit}>
                    取消
                  </Button>
                </Space>
              ) : (
                <Space size={0}>
                  <Button type="link" size="small" disabled={actions.editingId !== null} onClick={() => actions.startEdit(m)}>
                    编辑
                  </Button>
                  <Button type="link" size="small" danger disabled={actions.editingId !== null} onClick={() => actions.remove(m)}>
                    删除
                  </Button>
                  {canReorder && actions.editingId === null && (
                    <>
                      <MoveButton up edge={index === 0} allowed={canMove(materials, index, -1)} onClick={() => move(index, -1)} />
                      <MoveButton edge={index === materials.length - 1} allowed={canMove(materials, index, 1)} onClick={() => move(index, 1)} />
                    </>
                  )}
                </Space>
              ),
          },
        ]
      : []),
  ];

  return (
    <Table<Material>
      className="catalogue-table"
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={materials}
      pagination={false}
      tableLayout="fixed"
      data-testid={`class-table-${classCode}`}
      rowClassName={(m) =>
        [
          m.id === actions.flashId ? 'catalogue-flash' : '',
          m.id === dragId ? 'catalogue-dragging' : '',
          drop?.id === m.id ? (drop.after ? 'catalogue-drop-after' : 'catalogue-drop-before') : '',
        ].join(' ')
      }
      onRow={(m, index = 0) => ({
        draggable: canReorder && armed === m.id,
        onDragStart: (e) => {
          setDragId(m.id);
          e.dataTransfer.effectAllowed = 'move';
          e.dataTransfer.setData('text/plain', m.name);
        },
        onDragOver: (e) => {
          if (!dragId || !ids.includes(dragId)) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = 'move';
          const from = ids.indexOf(dragId);
          const next = dragId === m.id ? null : { id: m.id, after: index > from };
          if (next?.id !== drop?.id || next?.after !== drop?.after) setDrop(next);
        },
        onDrop: (e) => {
          if (!dragId || !ids.includes(dragId)) return;
          e.preventDefault();
          const from = ids.indexOf(dragId);
          const moved = dragId;
          endDrag();
          if (from !== index) actions.reorder(classCode, moveItem(ids, from, index), moved);
        },
        onDragEnd: endDrag,
      })}
    />
  );
}

function MoveButton({ up, edge, allowed, onClick }: { up?: boolean; edge: boolean; allowed: boolean; onClick: () => void }) {
  return (
    <Tooltip title={edge ? null : allowed ? (up ? '上移' : '下移') : MOVE_REFUSED}>
      <Button
        type="text"
        size="small"
        icon={up ? <ArrowUpOutlined /> : <ArrowDownOutlined />}
        disabled={!allowed}
        onClick={onClick}
        aria-label={up ? '上移' : '下移'}
      />
    </Tooltip>
  );
}
