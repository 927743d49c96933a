import { api, type Role } from '@dangan/contracts';
import { DUTY_LABELS, type Permission } from '@dangan/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Checkbox, Col, Form, Input, Modal, Row, Spin, Switch, Tag, Typography } from 'antd';
import { useEffect, useMemo } from 'react';
import { call } from '../../api/client';
import { separationProblem } from '../../shared/duties';
import { useErrorHandler } from '../../shared/errors';
import { keys, usePermissionCatalogue } from '../../shared/queries';
import { useLatched } from '../../shared/useLatched';

interface Values {
  code: string;
  name: string;
  description: string;
  sensitive: boolean;
  permissions: Permission[];
}

export type RoleDialog = { mode: 'create' } | { mode: 'edit'; role: Role } | { mode: 'view'; role: Role };

const DUTY_COLORS = { system: 'geekblue', security: 'volcano', audit: 'purple' } as const;

export function RoleFormModal({ dialog, onClose }: { dialog: RoleDialog | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message } = App.useApp();
  const { data: catalogue, isLoading } = usePermissionCatalogue();
  const shown = useLatched(dialog);
  const role = shown && shown.mode !== 'create' ? shown.role : null;
  const readOnly = shown?.mode === 'view';
  const chosen = Form.useWatch('permissions', form);

  useEffect(() => {
    if (!dialog) return;
    form.resetFields();
    form.setFieldsValue(
      dialog.mode === 'create'
        ? { code: '', name: '', description: '', sensitive: false, permissions: [] }
        : {
            code: dialog.role.code,
            name: dialog.role.name,
            description: dialog.role.description,
            sensitive: dialog.role.sensitive,
            permissions: dialog.role.permissions,
          },
    );
  }, [dialog, form]);

  const groups = useMemo(() => {
    const map = new Map<string, NonNullable<typeof catalogue>>();
    for (const p of catalogue ?? []) map.set(p.group, [...(map.get(p.group) ?? []), p]);
    return [...map.entries()];
  }, [catalogue]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = { name: v.name.trim(), description: (v.description ?? '').trim(), sensitive: v.sensitive, permissions: v.permissions };
      return role ? call(api.roles.update, { params: { id: role.id }, body }) : call(api.roles.create, { body: { ...body, code: v.code.trim() } });
    },
    onSuccess: async (r) => {
      await queryClient.invalidateQueries({ queryKey: keys.roles });
      void message.success(role ? `已保存角色「${r.name}」` : `已新建角色「${r.name}」`);
      onClose();
    },
    onError: (error) => handleError(error, form),
  });

  const violation = separationProblem(chosen ?? []);
  const title = shown?.mode === 'create' ? '新建角色' : readOnly ? `查看角色：${role?.name ?? ''}` : `编辑角色：${role?.name ?? ''}`;

  return (
    <Modal
      open={!!dialog}
      title={title}
      okText="保存"
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      onCancel={onClose}
      forceRender
      width={860}
      footer={readOnly ? (_, { CancelBtn }) => <CancelBtn /> : undefined}
      cancelText={readOnly ? '关闭' : '取消'}
    >
      {role?.builtIn && <Alert type="info" showIcon style={{ marginBottom: 16 }} title="内置角色由系统维护，不能修改；如需不同的权限组合，请新建自定义角色。" />}
      <Form form={form} name="role" layout="vertical" disabled={readOnly} requiredMark={!readOnly} onFinish={(v) => save.mutate(v)} data-testid="role-form">
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              label="角色代码"
              name="code"
              rules={[
                { required: true, whitespace: true, message: '请输入角色代码' },
                { pattern: /^\s*[a-z][a-z0-9_]{1,31}\s*$/, message: '角色代码为 2–32 位小写字母、数字或下划线，以字母开头' },
              ]}
              extra={readOnly ? undefined : role ? '角色代码创建后不能修改' : '如 archive_reader'}
            >
              <Input disabled={!!role} maxLength={32} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item label="角色名称" name="name" rules={[{ required: true, whitespace: true, message: '请输入角色名称' }, { max: 30, message: '角色名称不超过 30 个字' }]}>
              <Input maxLength={30} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label="说明" name="description" rules={[{ max: 200, message: '说明不超过 200 个字' }]}>
          <Input.TextArea rows={2} maxLength={200} showCount />
        </Form.Item>
        <Form.Item label="敏感角色（须动态口令）" name="sensitive" valuePropName="checked" extra={readOnly ? undefined : '持有敏感角色的用户登录时须使用动态口令（双因素认证）'}>
          <Switch checkedChildren="是" unCheckedChildren="否" />
        </Form.Item>
        <Form.Item
          label="权限"
          name="permissions"
          rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一项权限' }]}
          validateStatus={violation ? 'error' : undefined}
          help={violation ?? undefined}
        >
          {isLoading ? (
            <Spin />
          ) : (
            <Checkbox.Group style={{ width: '100%' }}>
              <div style={{ width: '100%' }}>
                {groups.map(([group, perms]) => (
                  <fieldset key={group} style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: '8px 12px', marginBottom: 8 }}>
                    <legend style={{ width: 'auto', fontSize: 14, padding: '0 6px', margin: 0, border: 'none' }}>
                      <Typography.Text strong>{group}</Typography.Text>
                    </legend>
                    <Row gutter={[8, 4]}>
                      {perms.map((p) => (
                        <Col span={12} key={p.code}>
                          <Checkbox value={p.code}>
                            {p.label}
                            {p.duty && (
                              <Tag color={DUTY_COLORS[p.duty]} style={{ marginInlineStart: 6 }}>
                                {DUTY_LABELS[p.duty]}职责
                              </Tag>
                            )}
                          </Checkbox>
                        </Col>
                      ))}
                    </Row>
                  </fieldset>
                ))}
              </div>
            </Checkbox.Group>
          )}
        </Form.Item>
        {!readOnly && (
          <Typography.Text type="secondary">
            三员分立：系统管理员、安全保密管理员、安全审计员的职责权限不能组合在同一角色中，也不能与档案业务权限组合。
          </Typography.Text>
        )}
      </Form>
    </Modal>
  );
}
