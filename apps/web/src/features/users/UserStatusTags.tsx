import type { User } from '@dangan/contracts';
import { Flex, Tag } from 'antd';
import { formatDateTime } from '../../shared/format';

export function UserStatusTags({ user }: { user: User }) {
  return (
    <Flex gap={4} wrap>
      {user.disabled && <Tag>已停用</Tag>}
      {user.lockedUntil && <Tag color="red">锁定至 {formatDateTime(user.lockedUntil)}</Tag>}
      {user.mustChangePassword && <Tag color="orange">待改密</Tag>}
      {user.totpEnrolled && <Tag color="green">已绑定动态口令</Tag>}
      {!user.disabled && !user.lockedUntil && !user.mustChangePassword && !user.totpEnrolled && <Tag color="blue">正常</Tag>}
    </Flex>
  );
}
