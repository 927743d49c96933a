import { api, type User } from '@dangan/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Modal, Select } from 'antd';
import { useEffect } from 'react';
import { call } from '../../api/client';
import { useErrorHandler } from '../../shared/errors';
import { keys, useRoles } from '../../shared/queries';
import { useLatched } from '../../shared/useLatched';
import { useMe } from '../../session/SessionProvider';
import { roleOptions, rolesViolation } from './roleOptions';

export function SetRolesModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const [form] = Form.useForm<{ roleIds: string[] }>();
  const me = useMe();
  const shown = useLatched(user);
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message } = App.useApp();
  const { data: roles, isLoading } = useRoles();
  const roleIds = Form.useWatch('roleIds', form);

  useEffect(() => {
    if (user) form.setFieldsValue({ roleIds: user.roles.map((r) => r.id) });
  }, [user, form]);

  const save = useMutation({
    mutationFn: (ids: string[]) => call(api.users.setRoles, { params: { id: shown!.id }, body: { roleIds: ids } }),
    onSuccess: async (u) => {
      await queryClient.invalidateQueries({ queryKey: keys.users });
      await queryClient.invalidateQueries({ queryKey: keys.roles });
      void message.success(`已设置「${u.displayName}」的角色`);
      onClose();
    },
    onError: (error) => handleError(error, form),
  });

  const violation = rolesViolation(roles, roleIds);
  return (
    <Modal
      open={!!user}
      title={shown ? `设置角色：${shown.displayName}（${shown.username}）` : '设置角色'}
      okText="保存"
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      onCancel={onClose}
      forceRender
    >
      <Form form={form} name="setRoles" layout="vertical" onFinish={(v) => save.mutate(v.roleIds ?? [])} data-testid="set-roles-form">
        <Form.Item label="角色" name="roleIds" validateStatus={violation ? 'error' : undefined} help={violation ?? undefined}>
          <Select
            mode="multiple"
            allowClear
            loading={isLoading}
            placeholder="请选择角色"
            optionFilterProp="label"
            options={roleOptions(roles, me.permissions, shown?.roles.map((r) => r.id))}
          />
        </Form.Item>
        <Alert type="info" showIcon title="保存后该用户的所有在线会话将被结束，新角色在其重新登录后生效。" />
      </Form>
    </Modal>
  );
}
