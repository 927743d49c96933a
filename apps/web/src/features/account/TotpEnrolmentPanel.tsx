import { api, type Me } from '@dangan/contracts';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Flex, Form, Input, Skeleton, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { call } from '../../api/client';
import { useErrorHandler } from '../../shared/errors';

/** Groups the Base32 secret in fours so it can be typed from the screen. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

export function qrDataUrl(svg: string): string {
  return `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`;
}

/** Starts a TOTP enrolment, shows the QR code and the secret, and confirms with a first code. */
export function TotpEnrolmentPanel({ onDone, submitText = '确认绑定' }: { onDone: (me: Me) => void; submitText?: string }) {
  const [form] = Form.useForm<{ code: string }>();
  const handleError = useErrorHandler();
  const start = useMutation({ mutationFn: () => call(api.auth.startTotpEnrolment), onError: (e) => handleError(e) });
  const confirm = useMutation({
    mutationFn: (code: string) => call(api.auth.confirmTotpEnrolment, { body: { code } }),
    onSuccess: onDone,
    onError: (error) => {
      handleError(error, form);
      form.setFieldValue('code', '');
    },
  });
  const started = useRef(false);
  const { mutate } = start;

  useEffect(() => {
    // One enrolment per opening: a second start would replace the secret the QR code shows.
    if (started.current) return;
    started.current = true;
    mutate();
  }, [mutate]);

  const enrolment = start.data;
  return (
    <div data-testid="totp-enrolment">
      <Typography.Paragraph>
        1. 在手机上打开动态口令应用（基于时间的一次性口令身份验证器），扫描下方二维码；无法扫描时，可手工输入密钥。
        <br />
        2. 输入应用中显示的 6 位动态口令，完成绑定。
      </Typography.Paragraph>
      {start.isError && (
        <Alert
          type="error"
          showIcon
          title="获取绑定二维码失败"
          action={
            <Button size="small" onClick={() => mutate()}>
              重试
            </Button>
          }
        />
      )}
      {start.isPending && <Skeleton.Node active style={{ width: 200, height: 200 }} />}
      {enrolment && (
        <Flex gap={24} align="center" wrap style={{ marginBottom: 16 }}>
          <img
            src={qrDataUrl(enrolment.qrSvg)}
            alt="动态口令绑定二维码"
            width={200}
            height={200}
            style={{ border: '1px solid #f0f0f0', borderRadius: 8, background: '#fff' }}
          />
          <div style={{ minWidth: 220 }}>
            <Typography.Text type="secondary">手工输入密钥</Typography.Text>
            <Typography.Paragraph
              copyable={{ text: enrolment.secret, tooltips: ['复制密钥', '已复制'] }}
              style={{ fontFamily: 'monospace', fontSize: 16, marginBottom: 4 }}
              data-testid="totp-secret"
            >
              {grouped(enrolment.secret)}
            </Typography.Paragraph>
            <Typography.Text type="secondary">类型：基于时间（30 秒），6 位数字</Typography.Text>
          </div>
        </Flex>
      )}
      <Form form={form} name="totpEnrolment" layout="vertical" requiredMark={false} onFinish={(v) => confirm.mutate(v.code.trim())}>
        <Form.Item
          label="动态口令"
          name="code"
          rules={[
            { required: true, message: '请输入 6 位动态口令' },
            { pattern: /^\s*\d{6}\s*$/, message: '动态口令为 6 位数字' },
          ]}
        >
          <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} placeholder="6 位数字" disabled={!enrolment} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={confirm.isPending} disabled={!enrolment}>
          {submitText}
        </Button>
      </Form>
    </div>
  );
}
