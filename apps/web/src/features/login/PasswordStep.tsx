import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { api, type Me } from '@dangan/contracts';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input } from 'antd';
import { call, errorText } from '../../api/client';

interface Values {
  username: string;
  password: string;
}

export function PasswordStep({ onDone }: { onDone: (me: Me) => void }) {
  const [form] = Form.useForm<Values>();
  const login = useMutation({
    mutationFn: (v: Values) => call(api.auth.login, { body: { username: v.username.trim(), password: v.password } }),
    onSuccess: onDone,
    onError: () => form.setFieldValue('password', ''),
  });

  return (
    <Form form={form} name="login" layout="vertical" requiredMark={false} onFinish={(v) => login.mutate(v)} data-testid="login-form" size="large">
      {login.isError && <Alert type="error" showIcon title={errorText(login.error)} style={{ marginBottom: 16 }} data-testid="login-error" />}
      <Form.Item label="用户名" name="username" rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}>
        <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
      </Form.Item>
      <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
        <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={login.isPending}>
        登录
      </Button>
    </Form>
  );
}
