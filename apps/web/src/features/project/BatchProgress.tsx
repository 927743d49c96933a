import { Flex, Tooltip, Typography } from 'antd';
import { STAGE_COLORS, progressParts } from './model';

/** Where the dossiers of a batch are: one bar, a segment per current stage. */
export function BatchProgress({ progress, total }: { progress: Record<string, number>; total: number }) {
  const parts = progressParts(progress);
  if (total === 0) return <Typography.Text type="secondary">尚无档案</Typography.Text>;
  const done = progress.done ?? 0;
  return (
    <Tooltip title={parts.map((p) => `${p.label}：${p.count} 卷`).join('；')}>
      <Flex vertical gap={2} data-testid="batch-progress">
        <div style={{ display: 'flex', height: 8, borderRadius: 4, overflow: 'hidden', background: '#f0f0f0', minWidth: 120 }}>
          {parts.map((p) => (
            <div key={p.key} style={{ width: `${(p.count / total) * 100}%`, background: STAGE_COLORS[p.key] }} />
          ))}
        </div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {done === total ? '全部完成' : parts.map((p) => `${p.label} ${p.count}`).join(' · ')}
        </Typography.Text>
      </Flex>
    </Tooltip>
  );
}
