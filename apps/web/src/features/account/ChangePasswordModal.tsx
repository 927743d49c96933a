import { App, Modal } from 'antd';
import { useMe, useSession } from '../../session/SessionProvider';
import { usePasswordPolicy } from '../../shared/usePasswordPolicy';
import { PasswordChangeForm } from './PasswordChangeForm';

export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const me = useMe();
  const { setMe } = useSession();
  const { message } = App.useApp();
  const policy = usePasswordPolicy();
  return (
    <Modal open={open} title="修改密码" footer={null} onCancel={onClose} destroyOnHidden width={460}>
      <PasswordChangeForm
        username={me.user.username}
        policy={policy}
        onDone={(next) => {
          setMe(next);
          void message.success('密码已修改；您在其他终端的登录已全部退出');
          onClose();
        }}
      />
    </Modal>
  );
}
