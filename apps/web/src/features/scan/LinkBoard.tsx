import { InboxOutlined } from '@ant-design/icons';
import type { DossierPages, ScanPage } from '@dangan/contracts';
import {
  DndContext, DragOverlay, KeyboardSensor, PointerSensor, closestCenter, pointerWithin, useDroppable, useSensor, useSensors,
  type CollisionDetection, type DragEndEvent, type DragOverEvent, type DragStartEvent,
} from '@dnd-kit/core';
import { SortableContext, arrayMove, rectSortingStrategy, sortableKeyboardCoordinates, useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { Card, Empty, Flex, Tag, Tooltip, Typography, type MenuProps } from 'antd';
import { useMemo, useState } from 'react';
import { containerOf, materialLabel, pagesById, TRAY, type BoardMaterial } from './model';
import { PageThumb } from './PageThumb';
import { useBoardActions } from './useBoard';

const LANE = 'lane:';

export type ThumbAction = 'open' | 'move' | 'up' | 'down' | 'unlink';

function SortableThumb({
  page, caption, disabled, menu, onAction,
}: {
  page: ScanPage;
  caption: string;
  disabled: boolean;
  menu: MenuProps['items'];
  onAction: (a: ThumbAction) => void;
}) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: page.id, disabled });
  return (
    <PageThumb
      page={page}
      caption={caption}
      menu={menu}
      onMenu={(k) => onAction(k as ThumbAction)}
      onOpen={() => onAction('open')}
      dragging={isDragging}
      handleRef={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      handleProps={{
        ...attributes,
        ...listeners,
        'aria-label': `${caption}（按空格键拿起后用方向键移动）`,
        onKeyDown: (e) => {
          if (e.key === 'Enter') {
            onAction('open');
            return;
          }
          listeners?.onKeyDown?.(e);
        },
      }}
    />
  );
}

function Lane({ id, highlight, children, empty }: { id: string; highlight: boolean; children: React.ReactNode; empty: string | null }) {
  const { setNodeRef, isOver } = useDroppable({ id: LANE + id });
  return (
    <div ref={setNodeRef} className={`scan-lane${isOver || highlight ? ' scan-lane-over' : ''}`}>
      {children}
      {empty && <div className="scan-lane-empty">{empty}</div>}
    </div>
  );
}

/**
 * The linking board: the dossier's materials in catalogue order with their pages, and the tray of
 * pages not yet linked. Pages are dragged between them (or moved with the keyboard or the menu).
 */
export function LinkBoard({
  data, dossierId, canLink, onOpen, onMove,
}: {
  data: DossierPages;
  dossierId: string;
  canLink: boolean;
  onOpen: (pageId: string) => void;
  onMove: (pageId: string) => void;
}) {
  const { link, reorder } = useBoardActions(dossierId);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [overContainer, setOverContainer] = useState<string | null>(null);
  const pages = useMemo(() => pagesById(data), [data]);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  // A page under the pointer wins over the lane around it; outside any, the nearest.
  const collision: CollisionDetection = (args) => {
    const within = pointerWithin(args);
    const onPage = within.filter((c) => !String(c.id).startsWith(LANE));
    if (onPage.length > 0) return onPage;
    if (within.length > 0) return within;
    return closestCenter(args);
  };

  const targetOf = (overId: string): string | null => (overId.startsWith(LANE) ? overId.slice(LANE.length) : containerOf(data, overId));
  const idsOf = (container: string) => (container === TRAY ? data.unlinkedPageIds : (data.materials.find((m) => m.id === container)?.pageIds ?? []));

  const onDragStart = (e: DragStartEvent) => setActiveId(String(e.active.id));
  const onDragOver = (e: DragOverEvent) => setOverContainer(e.over ? targetOf(String(e.over.id)) : null);
  const onDragEnd = (e: DragEndEvent) => {
    setActiveId(null);
    setOverContainer(null);
    if (!e.over) return;
    const pageId = String(e.active.id);
    const overId = String(e.over.id);
    const from = containerOf(data, pageId);
    const to = targetOf(overId);
    if (!from || !to) return;
    const target = idsOf(to);
    if (from === to) {
      if (overId.startsWith(LANE) || overId === pageId || to === TRAY) return;
      const next = arrayMove(target, target.indexOf(pageId), target.indexOf(overId));
      void reorder(to, next);
      return;
    }
    const index = overId.startsWith(LANE) ? undefined : target.indexOf(overId);
    const name = to === TRAY ? null : data.materials.find((m) => m.id === to);
    void link(pageId, to, index, name ? `已挂接到「${materialLabel(name)}」` : '已取消挂接，页面移回未挂接');
  };

  const act = (pageId: string, material: BoardMaterial | null, a: ThumbAction) => {
    if (a === 'open') return onOpen(pageId);
    if (a === 'move') return onMove(pageId);
    if (a === 'unlink') return void link(pageId, TRAY, undefined, '已取消挂接');
    if (!material) return;
    const ids = material.pageIds;
    const i = ids.indexOf(pageId);
    const j = a === 'up' ? i - 1 : i + 1;
    if (j < 0 || j >= ids.length) return;
    void reorder(material.id, arrayMove(ids, i, j));
  };

  const menuFor = (material: BoardMaterial | null, index: number): MenuProps['items'] => [
    { key: 'open', label: '查看与修正' },
    ...(canLink
      ? [
          { key: 'move', label: material ? '移到其他材料…' : '挂接到材料…' },
          ...(material
            ? [
                { key: 'up', label: '前移一页', disabled: index === 0 },
                { key: 'down', label: '后移一页', disabled: index === material.pageIds.length - 1 },
                { type: 'divider' as const },
                { key: 'unlink', label: '取消挂接' },
              ]
            : []),
        ]
      : []),
  ];

  const active = activeId ? pages.get(activeId) : undefined;
  const linkedCount = data.materials.reduce((n, m) => n + m.pageIds.length, 0);

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={collision}
      onDragStart={onDragStart}
      onDragOver={onDragOver}
      onDragEnd={onDragEnd}
      onDragCancel={() => {
        setActiveId(null);
        setOverContainer(null);
      }}
      accessibility={{
        screenReaderInstructions: { draggable: '按空格键拿起页面，用方向键移动，再按空格键放下，按 Esc 取消' },
        announcements: {
          onDragStart: () => '已拿起页面',
          onDragOver: () => '',
          onDragEnd: () => '已放下页面',
          onDragCancel: () => '已取消移动',
        },
      }}
    >
      <Flex gap={16} align="flex-start">
        <Card
          size="small"
          title={`材料与页面（${data.materials.length} 份材料，已挂接 ${linkedCount} 页）`}
          style={{ flex: 1, minWidth: 0 }}
          styles={{ body: { padding: 0 } }}
          data-testid="link-board"
        >
          {data.materials.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="本档案尚未著录材料，请先在档案目录中著录，再挂接页面" style={{ padding: 24 }} />
          ) : (
            data.materials.map((m) => {
              const linked = m.pageIds.length;
              const mismatch = linked !== m.expectedPages;
              return (
                <div key={m.id} className="scan-material" data-testid="board-material" data-material-id={m.id} data-seq={m.seq}>
                  <div className="scan-material-head">
                    <Typography.Text strong className="scan-material-seq">
                      {m.seq}
                    </Typography.Text>
                    <Typography.Paragraph ellipsis={{ rows: 2, tooltip: m.name }} style={{ margin: 0 }}>
                      {m.name}
                    </Typography.Paragraph>
                    <Tooltip title={mismatch ? `目录登记 ${m.expectedPages} 页，已挂接 ${linked} 页，请核对` : '挂接页数与目录一致'}>
                      <Tag color={mismatch ? (linked === 0 ? 'default' : 'warning') : 'success'} data-testid="material-count" style={{ marginTop: 4 }}>
                        目录 {m.expectedPages} 页 / 已挂接 {linked} 页
                      </Tag>
                    </Tooltip>
                  </div>
                  <SortableContext items={m.pageIds} strategy={rectSortingStrategy}>
                    <Lane id={m.id} highlight={overContainer === m.id && activeId !== null} empty={linked === 0 ? (canLink ? '拖入页面' : '暂无页面') : null}>
                      {m.pageIds.map((pid, i) => {
                        const p = pages.get(pid);
                        return p ? (
                          <SortableThumb key={pid} page={p} caption={`第 ${i + 1} 页`} disabled={!canLink} menu={menuFor(m, i)} onAction={(a) => act(pid, m, a)} />
                        ) : null;
                      })}
                    </Lane>
                  </SortableContext>
                </div>
              );
            })
          )}
        </Card>
        <Card
          size="small"
          title={
            <span>
              <InboxOutlined /> 未挂接（{data.unlinkedPageIds.length} 页）
            </span>
          }
          style={{ width: 300, flex: 'none', position: 'sticky', top: 16 }}
          styles={{ body: { padding: 8, maxHeight: 'calc(100vh - 160px)', overflowY: 'auto' } }}
          data-testid="unlinked-tray"
        >
          <SortableContext items={data.unlinkedPageIds} strategy={rectSortingStrategy}>
            <Lane
              id={TRAY}
              highlight={overContainer === TRAY && activeId !== null}
              empty={data.unlinkedPageIds.length === 0 ? '没有未挂接的页面；拖到此处可取消挂接' : null}
            >
              {data.unlinkedPageIds.map((pid) => {
                const p = pages.get(pid);
                return p ? (
                  <SortableThumb
                    key={pid}
                    page={p}
                    caption={p.sourcePage > 1 ? `${p.fileName} 第 ${p.sourcePage} 页` : p.fileName}
                    disabled={!canLink}
                    menu={menuFor(null, 0)}
                    onAction={(a) => act(pid, null, a)}
                  />
                ) : null;
              })}
            </Lane>
          </SortableContext>
        </Card>
      </Flex>
      <DragOverlay dropAnimation={null}>{active ? <PageThumb page={active} caption="移动中" overlay /> : null}</DragOverlay>
    </DndContext>
  );
}
