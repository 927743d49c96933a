import { Alert, Descriptions, Modal, Typography } from 'antd';

export interface IssuedPassword {
  title: string;
  username: string;
  displayName: string;
  password: string;
}

/** Shows a new or reset password once, for handing to the user by a safe channel. */
export function PasswordIssuedModal({ issued, onClose }: { issued: IssuedPassword | null; onClose: () => void }) {
  return (
    <Modal open={!!issued} title={issued?.title} onOk={onClose} onCancel={onClose} okText="我已记下" cancelButtonProps={{ style: { display: 'none' } }}>
      {issued && (
        <>
          <Descriptions
            column={1}
            bordered
            size="small"
            items={[
              { key: 'u', label: '用户名', children: issued.username },
              { key: 'n', label: '姓名', children: issued.displayName },
              {
                key: 'p',
                label: '初始密码',
                children: (
                  <Typography.Text copyable={{ tooltips: ['复制密码', '已复制'] }} code data-testid="issued-password">
                    {issued.password}
                  </Typography.Text>
                ),
              },
            ]}
          />
          <Alert
            type="warning"
            showIcon
            style={{ marginTop: 16 }}
            title="请通过安全渠道将初始密码告知本人。关闭本窗口后将无法再次查看；该用户首次登录时须修改密码。"
          />
        </>
      )}
    </Modal>
  );
}
