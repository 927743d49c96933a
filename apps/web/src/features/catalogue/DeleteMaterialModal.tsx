import type { Material } from '@dangan/contracts';
import { ReasonModal } from '../../shared/ReasonModal';
import { useLatched } from '../../shared/useLatched';

const COMMON_REASONS = ['重复著录', '误归入本档案', '不属于归档材料', '著录错误，已重新著录'];

/** 删除 with a required reason: the material is kept with who, when and why, and can be restored. */
export function DeleteMaterialModal({
  material,
  onClose,
  onDelete,
}: {
  material: Material | null;
  onClose: () => void;
  onDelete: (material: Material, reason: string) => Promise<unknown>;
}) {
  const shown = useLatched(material);
  return (
    <ReasonModal
      open={!!material}
      title={shown ? `删除材料：${shown.seq} ${shown.name}` : '删除材料'}
      name="delete-material"
      okText="删除"
      warning="删除后本类其后材料的序号依次前移。"
      detail="材料移入“已删除材料”，保留删除人、时间和原因，可由有恢复权限的人员恢复。"
      reasons={COMMON_REASONS}
      placeholder="必填，记入审计日志"
      width={520}
      onClose={onClose}
      onSubmit={async (reason) => (shown ? onDelete(shown, reason) : undefined)}
    />
  );
}
