import { api } from '@dangan/contracts';
import { Button, Modal, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { call } from '../api/client';
import { lastActivity } from './activity';
import { useSession } from './SessionProvider';

const WARN_MS = 60_000;
/** The server refreshes a session's clock at most every 15 s, so it may count from up to 15 s earlier. */
const SERVER_SLACK_MS = 15_000;

export const IDLE_NOTICE = '长时间未操作，已自动退出登录，请重新登录';

/** Warns a minute before the idle timeout and signs out when it passes. */
export function IdleWatcher() {
  const { me, signOut, setMe } = useSession();
  const [remaining, setRemaining] = useState<number | null>(null);
  const [extending, setExtending] = useState(false);
  const idleMs = (me?.idleMinutes ?? 15) * 60_000;

  useEffect(() => {
    if (!me) return undefined;
    // With a very short timeout the warning takes the second half of it rather than all of it.
    const warnMs = Math.min(WARN_MS, (idleMs - SERVER_SLACK_MS) / 2);
    const tick = () => {
      const left = lastActivity() + idleMs - SERVER_SLACK_MS - Date.now();
      if (left <= 0) {
        setRemaining(null);
        void signOut(IDLE_NOTICE);
      } else {
        setRemaining(left <= warnMs ? left : null);
      }
    };
    tick();
    const timer = window.setInterval(tick, 1000);
    return () => window.clearInterval(timer);
  }, [me, idleMs, signOut]);

  const stay = async () => {
    setExtending(true);
    try {
      setMe(await call(api.auth.me));
      setRemaining(null);
    } catch {
      // A 401 here already leads to the login page.
    } finally {
      setExtending(false);
    }
  };

  return (
    <Modal
      open={remaining !== null}
      title="即将自动退出登录"
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      footer={[
        <Button key="out" onClick={() => void signOut()}>
          立即退出
        </Button>,
        <Button key="stay" type="primary" loading={extending} onClick={() => void stay()}>
          继续使用
        </Button>,
      ]}
    >
      <div data-testid="idle-warning">
      <Typography.Paragraph>
        您已较长时间未操作。为保障档案信息安全，系统将在{' '}
        <Typography.Text strong type="danger">
          {Math.ceil((remaining ?? 0) / 1000)}
        </Typography.Text>{' '}
        秒后自动退出登录。
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">如需继续工作，请点击“继续使用”。</Typography.Paragraph>
      </div>
    </Modal>
  );
}
