import type { User } from '@dangan/contracts';
import { SCOPE_LABELS, type ScopeKind } from '@dangan/domain';
import { Form, Select } from 'antd';
import { UnitTreeSelect } from '../../shared/components';
import type { Unit } from '@dangan/contracts';
import { unitName } from '../../shared/units';

export const SCOPE_OPTIONS = (Object.keys(SCOPE_LABELS) as ScopeKind[]).map((k) => ({ value: k, label: SCOPE_LABELS[k] }));

export function scopeText(scope: User['scope'], units: Unit[] | undefined): string {
  const label = SCOPE_LABELS[scope.kind];
  if (scope.kind !== 'named_units') return label;
  return `${label}：${scope.unitIds.map((id) => unitName(units, id)).join('、') || '—'}`;
}

/** 数据范围: the kind, and the units when the kind names them. */
export function ScopeFields() {
  const kind = Form.useWatch<ScopeKind | undefined>('scopeKind');
  return (
    <>
      <Form.Item label="数据范围" name="scopeKind" rules={[{ required: true, message: '请选择数据范围' }]} extra="决定该用户的档案业务权限可及的单位">
        <Select options={SCOPE_OPTIONS} />
      </Form.Item>
      {kind === 'named_units' && (
        <Form.Item label="指定单位" name="scopeUnitIds" rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一个单位' }]}>
          <UnitTreeSelect multiple treeCheckable={false} placeholder="请选择单位（含其下级单位）" />
        </Form.Item>
      )}
    </>
  );
}
