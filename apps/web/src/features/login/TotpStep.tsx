import { api, type Me } from '@dangan/contracts';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { call, errorText } from '../../api/client';
import { applyFieldErrors } from '../../shared/errors';

export function TotpStep({ me, onDone }: { me: Me; onDone: (me: Me) => void }) {
  const [form] = Form.useForm<{ code: string }>();
  const verify = useMutation({
    mutationFn: (code: string) => call(api.auth.verifyTotp, { body: { code } }),
    onSuccess: onDone,
    onError: (error) => {
      form.setFieldValue('code', '');
      applyFieldErrors(form, error);
    },
  });

  return (
    <Form form={form} name="totp" layout="vertical" requiredMark={false} onFinish={(v) => verify.mutate(v.code.trim())} data-testid="totp-form" size="large">
      <Typography.Paragraph>
        {me.user.displayName}，您好。请打开手机上的动态口令应用，输入当前显示的 6 位动态口令。
      </Typography.Paragraph>
      {verify.isError && <Alert type="error" showIcon title={errorText(verify.error)} style={{ marginBottom: 16 }} />}
      <Form.Item
        label="动态口令"
        name="code"
        rules={[
          { required: true, message: '请输入 6 位动态口令' },
          { pattern: /^\s*\d{6}\s*$/, message: '动态口令为 6 位数字' },
        ]}
      >
        <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} autoFocus placeholder="6 位数字" style={{ letterSpacing: 6 }} />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={verify.isPending}>
        验证
      </Button>
    </Form>
  );
}
