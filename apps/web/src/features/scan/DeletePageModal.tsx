import { ReasonModal } from '../../shared/ReasonModal';

const COMMON_REASONS = ['空白页', '重复扫描', '不属于本档案', '扫描质量差，已重扫'];

/** 删除页面 with a required reason: the original and its record are kept. */
export function DeletePageModal({
  open, title, onClose, onDelete,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  onDelete: (reason: string) => Promise<unknown>;
}) {
  return (
    <ReasonModal
      open={open}
      title={`删除页面：${title}`}
      name="delete-page"
      okText="删除"
      warning="删除后本材料其后各页的页号依次前移；原图与处理记录保留，删除记入审计日志。"
      reasons={COMMON_REASONS}
      placeholder="必填"
      onClose={onClose}
      onSubmit={onDelete}
    />
  );
}
