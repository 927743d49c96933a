import { CheckCircleFilled, CloseCircleOutlined } from '@ant-design/icons';
import type { PasswordPolicy } from '@dangan/domain';
import { Button, Empty, Flex, Input, Space, TreeSelect, Typography, type TreeSelectProps } from 'antd';
import type { ReactNode } from 'react';
import { generatePassword, policyChecks } from './password';
import { useUnits } from './queries';
import { unitTree } from './units';

export function PageHeader({ title, description, extra }: { title: string; description?: ReactNode; extra?: ReactNode }) {
  return (
    <Flex justify="space-between" align="flex-start" gap={16} wrap style={{ marginBottom: 16 }}>
      <div>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {description && (
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 4 }}>
            {description}
          </Typography.Text>
        )}
      </div>
      {extra && <Space wrap>{extra}</Space>}
    </Flex>
  );
}

export function EmptyState({ text }: { text: string }) {
  return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text} />;
}

export function PolicyHint({ password, username, policy }: { password: string; username: string; policy: PasswordPolicy }) {
  return (
    <ul style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="密码要求" data-testid="password-policy">
      {policyChecks(password, username, policy).map((c) => (
        <li key={c.label}>
          <Typography.Text type={c.ok ? 'success' : 'secondary'}>
            {c.ok ? <CheckCircleFilled /> : <CloseCircleOutlined />} {c.label}
          </Typography.Text>
        </li>
      ))}
    </ul>
  );
}

/** A password field with a “生成” button that fills in a compliant random password. */
export function GeneratedPasswordInput({
  value,
  onChange,
  username,
  policy,
  id,
}: {
  value?: string;
  onChange?: (value: string) => void;
  username: string;
  policy: PasswordPolicy;
  id?: string;
}) {
  return (
    <Space.Compact style={{ width: '100%' }}>
      <Input
        id={id}
        value={value}
        onChange={(e) => onChange?.(e.target.value)}
        autoComplete="new-password"
        placeholder="请输入或生成初始密码"
        style={{ fontFamily: 'monospace' }}
      />
      <Button onClick={() => onChange?.(generatePassword(username, policy))}>生成</Button>
    </Space.Compact>
  );
}

/** Chooses units from the unit tree; disabled units cannot be chosen. */
export function UnitTreeSelect(props: Omit<TreeSelectProps, 'treeData'> & { exclude?: string }) {
  const { exclude, ...rest } = props;
  const { data: units, isLoading } = useUnits();
  return (
    <TreeSelect
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandAll
      allowClear
      loading={isLoading}
      placeholder="请选择单位"
      notFoundContent={<EmptyState text="暂无单位" />}
      {...rest}
      treeData={unitTree(units, { exclude, disableDisabled: true })}
    />
  );
}
