import { Alert, App, Modal } from 'antd';
import { useMe, useSession } from '../../session/SessionProvider';
import { TotpEnrolmentPanel } from './TotpEnrolmentPanel';

export function RebindTotpModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const me = useMe();
  const { setMe } = useSession();
  const { message } = App.useApp();
  return (
    <Modal open={open} title="动态口令（重新绑定）" footer={null} onCancel={onClose} destroyOnHidden width={560}>
      {me.user.totpEnrolled && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title="确认绑定前，原动态口令仍然有效；确认后，原手机应用中的动态口令作废。"
        />
      )}
      <TotpEnrolmentPanel
        onDone={(next) => {
          setMe(next);
          void message.success('动态口令已绑定');
          onClose();
        }}
      />
    </Modal>
  );
}
