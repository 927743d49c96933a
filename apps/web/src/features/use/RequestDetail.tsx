import type { AccessRequest } from '@dangan/contracts';
import { Descriptions, Tag, Timeline, Typography } from 'antd';
import { formatDateTime } from '../../shared/format';
import { STATE_COLORS } from './queries';

export function StateTag({ request }: { request: AccessRequest }) {
  return <Tag color={STATE_COLORS[request.state]} data-testid="request-state">{request.stateLabel}</Tag>;
}

export function cadresText(r: AccessRequest): string {
  return r.dossiers.map((d) => `${d.cadreName}（${d.dossierNo}）`).join('、');
}

export function periodText(r: AccessRequest): string {
  if (r.grantedFrom && r.grantedUntil) return `${formatDateTime(r.grantedFrom)} 至 ${formatDateTime(r.grantedUntil)}`;
  return `${formatDateTime(r.periodFrom)} 至 ${formatDateTime(r.periodTo)}`;
}

/** Everything about one request: what is asked, for how long, and each level's decision. */
export function RequestDetail({ request: r }: { request: AccessRequest }) {
  return (
    <>
      <Descriptions bordered size="small" column={1} styles={{ label: { width: 120 } }} data-testid="request-detail" items={[
        { key: 'no', label: '申请编号', children: r.requestNo },
        { key: 'state', label: '状态', children: <StateTag request={r} /> },
        { key: 'requester', label: '申请人', children: `${r.requester.name}（${r.requesterUnitName}）` },
        { key: 'cadres', label: '干部', children: r.dossiers.map((d) => `${d.cadreName}（档案号 ${d.dossierNo}，${d.managingUnitName}）`).join('；') },
        { key: 'purpose', label: '目的', children: r.purposeNote ? `${r.purposeLabel}：${r.purposeNote}` : r.purposeLabel },
        { key: 'mode', label: '方式', children: r.mode === 'print' || r.mode === 'excerpt' ? `${r.modeLabel}（限 ${r.printLimit} 次，已用 ${r.printsUsed} 次）` : r.modeLabel },
        {
          key: 'scope', label: '范围',
          children: r.materials
            ? <ul style={{ margin: 0, paddingLeft: 18 }}>{r.materials.map((m) => <li key={m.id}>第 {m.classCode} 类 {m.seq} {m.name}</li>)}</ul>
            : r.scopeSummary,
        },
        { key: 'period', label: '申请期限', children: `${formatDateTime(r.periodFrom)} 至 ${formatDateTime(r.periodTo)}` },
        ...(r.grantedUntil && r.state !== 'pending' && r.state !== 'refused'
          ? [{ key: 'grant', label: '授权期限', children: `${formatDateTime(r.grantedFrom)} 至 ${formatDateTime(r.grantedUntil)}` }] : []),
        { key: 'levels', label: '审批级数', children: `${r.levelsDone} / ${r.levelsRequired}` },
        ...(r.revokedAt ? [{ key: 'revoked', label: '撤销', children: `${r.revokedBy?.name ?? ''} 于 ${formatDateTime(r.revokedAt)}：${r.revokeReason ?? ''}` }] : []),
        ...(r.expiredAt ? [{ key: 'expired', label: '到期', children: formatDateTime(r.expiredAt) }] : []),
      ]} />
      <Typography.Title level={5} style={{ marginTop: 16 }}>审批记录</Typography.Title>
      {r.decisions.length === 0
        ? <Typography.Text type="secondary">尚无审批意见</Typography.Text>
        : (
          <Timeline items={r.decisions.map((d) => ({
            key: d.level,
            color: d.decision === 'approve' ? 'green' : 'red',
            content: (
              <>
                <div>第 {d.level} 级 · {d.approver.name}（{d.approverUnitName}） · {d.decision === 'approve' ? '批准' : '不批准'}</div>
                <Typography.Text type="secondary">{formatDateTime(d.at)}{d.comment ? `：${d.comment}` : ''}</Typography.Text>
              </>
            ),
          }))} />
        )}
    </>
  );
}
