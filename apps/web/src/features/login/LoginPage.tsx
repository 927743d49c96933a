import { SafetyCertificateOutlined } from '@ant-design/icons';
import type { LoginStage, Me } from '@dangan/contracts';
import { Alert, Button, Card, Flex, Steps, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useSession } from '../../session/SessionProvider';
import { DEFAULT_POLICY } from '../../shared/password';
import { PasswordChangeForm } from '../account/PasswordChangeForm';
import { TotpEnrolmentPanel } from '../account/TotpEnrolmentPanel';
import { PasswordStep } from './PasswordStep';
import { TotpStep } from './TotpStep';

type Step = 'password' | Exclude<LoginStage, 'active'>;

const STEP_LABELS: Record<Step, string> = {
  password: '账号密码',
  totp: '动态口令',
  change_password: '修改密码',
  enrol_totp: '绑定动态口令',
};

/** The steps of this sign-in: those passed, the current one, and the one that will surely follow. */
function stepsOf(seen: Step[], me: Me | null): Step[] {
  if (!me) return ['password'];
  const steps: Step[] = ['password', ...seen.filter((s) => s !== 'password')];
  const current: Step = me.stage !== 'active' ? me.stage : 'password';
  if (!steps.includes(current)) steps.push(current);
  if (me.stage !== 'enrol_totp' && me.user.totpRequired && !me.user.totpEnrolled && !steps.includes('enrol_totp')) {
    steps.push('enrol_totp');
  }
  return steps;
}

export default function LoginPage() {
  const { me, notice, setMe, signOut, clearNotice } = useSession();
  const location = useLocation();
  const [seen, setSeen] = useState<Step[]>([]);
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  if (me?.stage === 'active') return <Navigate to={from} replace />;

  const stage: Step = me ? (me.stage as Step) : 'password';
  const advance = (next: Me) => {
    clearNotice();
    setSeen((s) => (s.includes(stage) ? s : [...s, stage]));
    setMe(next);
  };
  const steps = stepsOf(seen, me);

  return (
    <Flex
      vertical
      align="center"
      justify="center"
      style={{ minHeight: '100vh', padding: 24, background: 'linear-gradient(160deg, #0f2f5c 0%, #1d4f91 45%, #eef2f7 45%)' }}
    >
      <Flex align="center" gap={12} style={{ marginBottom: 24 }}>
        <img src="/favicon.svg" alt="" width={40} height={40} />
        <Typography.Title level={2} style={{ color: '#fff', margin: 0, letterSpacing: 2 }}>
          干部人事档案系统
        </Typography.Title>
      </Flex>
      <Card style={{ width: 'min(520px, 100%)', boxShadow: '0 8px 24px rgba(15,47,92,0.18)' }} data-testid="login-card">
        {steps.length > 1 && (
          <Steps
            size="small"
            current={steps.indexOf(stage)}
            items={steps.map((s) => ({ title: STEP_LABELS[s] }))}
            style={{ marginBottom: 24 }}
          />
        )}
        {notice && <Alert type="warning" showIcon title={notice} style={{ marginBottom: 16 }} data-testid="login-notice" />}
        {stage === 'password' && <PasswordStep onDone={advance} />}
        {me && stage === 'totp' && <TotpStep me={me} onDone={advance} />}
        {me && stage === 'change_password' && (
          <>
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 16 }}
              title={me.passwordExpired ? '您的密码已超过有效期，请修改后继续。' : '首次登录或密码被重置后，须先修改密码。'}
            />
            <PasswordChangeForm username={me.user.username} policy={DEFAULT_POLICY} submitText="修改并继续" onDone={advance} />
          </>
        )}
        {me && stage === 'enrol_totp' && (
          <>
            <Alert type="info" showIcon style={{ marginBottom: 16 }} title="您的角色要求使用动态口令登录，请先完成绑定。" />
            <TotpEnrolmentPanel onDone={advance} submitText="绑定并进入系统" />
          </>
        )}
        {me && (
          <Button
            type="link"
            block
            style={{ marginTop: 8 }}
            onClick={() => {
              setSeen([]);
              void signOut();
            }}
          >
            返回重新登录
          </Button>
        )}
      </Card>
      <Typography.Text type="secondary" style={{ marginTop: 24 }}>
        <SafetyCertificateOutlined /> 本系统仅限授权人员使用，登录及操作均记入审计日志
      </Typography.Text>
    </Flex>
  );
}
