import { api, type User } from '@dangan/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Form, Modal } from 'antd';
import { useEffect } from 'react';
import { call } from '../../api/client';
import { GeneratedPasswordInput } from '../../shared/components';
import { useErrorHandler } from '../../shared/errors';
import { generatePassword } from '../../shared/password';
import { keys } from '../../shared/queries';
import { useLatched } from '../../shared/useLatched';
import { usePasswordPolicy } from '../../shared/usePasswordPolicy';

export function ResetPasswordModal({
  user,
  onClose,
  onDone,
}: {
  user: User | null;
  onClose: () => void;
  onDone: (user: User, password: string) => void;
}) {
  const [form] = Form.useForm<{ password: string }>();
  const shown = useLatched(user);
  const policy = usePasswordPolicy();
  const { minLength, minClasses } = policy;
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();

  useEffect(() => {
    if (user) form.setFieldsValue({ password: generatePassword(user.username, { minLength, minClasses }) });
  }, [user, form, minLength, minClasses]);

  const reset = useMutation({
    mutationFn: (password: string) => call(api.users.resetPassword, { params: { id: shown!.id }, body: { password } }),
    onSuccess: async (u, password) => {
      await queryClient.invalidateQueries({ queryKey: keys.users });
      onDone(u, password);
    },
    onError: (error) => handleError(error, form, { newPassword: 'password' }),
  });

  return (
    <Modal
      open={!!user}
      title={shown ? `重置密码：${shown.displayName}（${shown.username}）` : '重置密码'}
      okText="重置密码"
      okButtonProps={{ danger: true }}
      onOk={() => form.submit()}
      confirmLoading={reset.isPending}
      onCancel={onClose}
      forceRender
    >
      <Form form={form} name="resetPassword" layout="vertical" onFinish={(v) => reset.mutate(v.password)} data-testid="reset-password-form">
        <Form.Item
          label="新的初始密码"
          name="password"
          rules={[{ required: true, message: '请输入或生成新的初始密码' }]}
          extra={`至少 ${policy.minLength} 位，含大写字母、小写字母、数字、特殊字符中的至少 ${policy.minClasses} 类，不含用户名`}
        >
          <GeneratedPasswordInput username={shown?.username ?? ''} policy={policy} />
        </Form.Item>
        <Alert type="warning" showIcon title="重置后该用户的所有在线会话将被结束，下次登录须修改密码；账号锁定同时解除。" />
      </Form>
    </Modal>
  );
}
