import { api, type Me } from '@dangan/contracts';
import type { PasswordPolicy } from '@dangan/domain';
import { useMutation } from '@tanstack/react-query';
import { Button, Form, Input } from 'antd';
import { call } from '../../api/client';
import { PolicyHint } from '../../shared/components';
import { useErrorHandler } from '../../shared/errors';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/** Current, new and confirmed password, with the policy shown as the user types. */
export function PasswordChangeForm({
  username,
  policy,
  submitText = '确认修改',
  onDone,
}: {
  username: string;
  policy: PasswordPolicy;
  submitText?: string;
  onDone: (me: Me) => void;
}) {
  const [form] = Form.useForm<Values>();
  const handleError = useErrorHandler();
  const newPassword = Form.useWatch('newPassword', form) ?? '';
  const change = useMutation({
    mutationFn: (v: Values) =>
      call(api.auth.changePassword, { body: { currentPassword: v.currentPassword, newPassword: v.newPassword } }),
    onSuccess: onDone,
    onError: (error) => handleError(error, form),
  });

  return (
    <Form form={form} name="changePassword" layout="vertical" requiredMark={false} onFinish={(v) => change.mutate(v)} data-testid="change-password-form">
      <Form.Item label="当前密码" name="currentPassword" rules={[{ required: true, message: '请输入当前密码' }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        label="新密码"
        name="newPassword"
        rules={[{ required: true, message: '请输入新密码' }]}
        extra={<PolicyHint password={newPassword} username={username} policy={policy} />}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        label="确认新密码"
        name="confirmPassword"
        dependencies={['newPassword']}
        rules={[
          { required: true, message: '请再次输入新密码' },
          ({ getFieldValue }) => ({
            validator: (_, value: string) =>
              !value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('两次输入的新密码不一致')),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={change.isPending}>
        {submitText}
      </Button>
    </Form>
  );
}
