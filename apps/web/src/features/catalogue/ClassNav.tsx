import type { Catalogue } from '@dangan/contracts';
import { Flex, Tree, Typography, type TreeDataNode } from 'antd';
import type { CatalogueClass } from './model';

export const ALL_CLASSES = 'all';

function NodeTitle({ label, count, pages, warnings }: { label: string; count: number; pages: number; warnings: number }) {
  return (
    <Flex justify="space-between" gap={8} style={{ minWidth: 0 }}>
      <Typography.Text ellipsis={{ tooltip: label }} style={{ flex: 1, minWidth: 0 }}>
        {label}
      </Typography.Text>
      <Typography.Text type={count ? undefined : 'secondary'} style={{ whiteSpace: 'nowrap', fontSize: 12 }}>
        {warnings > 0 && <span style={{ color: '#fa8c16', marginInlineEnd: 6 }}>⚠{warnings}</span>}
        {count ? `${count} 份 · ${pages} 页` : '—'}
      </Typography.Text>
    </Flex>
  );
}

function warningsIn(classes: CatalogueClass[], code: string): number {
  return classes
    .filter((k) => k.code === code || k.parentCode === code)
    .reduce((n, k) => n + k.materials.filter((m) => m.warnings.length > 0).length, 0);
}

/** The class tree with counts and pages; choosing a node shows that class (or subclass) alone. */
export function ClassNav({ catalogue, selected, onSelect }: { catalogue: Catalogue; selected: string; onSelect: (code: string) => void }) {
  const classes = catalogue.classes;
  const node = (k: CatalogueClass): TreeDataNode => {
    const children = classes.filter((s) => s.parentCode === k.code).map(node);
    return {
      key: k.code,
      title: <NodeTitle label={`${k.code} ${k.label}`} count={k.materialCount} pages={k.pageCount} warnings={warningsIn(classes, k.code)} />,
      ...(children.length > 0 ? { children } : {}),
    };
  };
  const all = classes.reduce((n, k) => n + k.materials.filter((m) => m.warnings.length > 0).length, 0);
  const treeData: TreeDataNode[] = [
    {
      key: ALL_CLASSES,
      title: <NodeTitle label="全部材料" count={catalogue.materialCount} pages={catalogue.pageCount} warnings={all} />,
      children: classes.filter((k) => k.parentCode === null).map(node),
    },
  ];
  return (
    <Tree
      className="catalogue-nav"
      blockNode
      defaultExpandAll
      showLine={{ showLeafIcon: false }}
      selectedKeys={[selected]}
      treeData={treeData}
      onSelect={(_, info) => onSelect(String(info.node.key))}
      data-testid="class-nav"
    />
  );
}
