import type { DossierPages } from '@dangan/contracts';
import { Form, InputNumber, Modal, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { materialLabel, pagesById, TRAY } from './model';
import { useBoardActions } from './useBoard';

/** The keyboard and menu way to link a page: choose the material (and the page number in it). */
export function MovePageModal({ pageId, data, dossierId, onClose }: { pageId: string | null; data: DossierPages; dossierId: string; onClose: () => void }) {
  const { link } = useBoardActions(dossierId);
  const [form] = Form.useForm<{ target: string; position: number | null }>();
  const [pending, setPending] = useState(false);
  const page = pageId ? pagesById(data).get(pageId) : undefined;
  const target = Form.useWatch('target', form);
  const targetMaterial = data.materials.find((m) => m.id === target);
  const size = targetMaterial ? targetMaterial.pageIds.filter((id) => id !== pageId).length : 0;

  useEffect(() => {
    if (pageId) form.setFieldsValue({ target: undefined, position: null });
  }, [pageId, form]);

  const submit = async ({ target: to, position }: { target: string; position: number | null }) => {
    if (!pageId) return;
    setPending(true);
    const m = data.materials.find((x) => x.id === to);
    const ok = await link(pageId, to, position ? position - 1 : undefined, m ? `已挂接到「${materialLabel(m)}」` : '已取消挂接');
    setPending(false);
    if (ok) onClose();
  };

  return (
    <Modal
      open={!!pageId}
      title={page?.materialId ? '移到其他材料' : '挂接到材料'}
      okText="确定"
      cancelText="取消"
      onOk={() => form.submit()}
      confirmLoading={pending}
      onCancel={onClose}
      forceRender
      width={520}
    >
      <Form form={form} layout="vertical" name="move-page" onFinish={(v) => void submit(v)}>
        <Form.Item label="选择材料" name="target" rules={[{ required: true, message: '请选择材料' }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="输入序号或材料名称查找"
            aria-label="选择材料"
            data-testid="move-target"
            options={[
              ...data.materials.map((m) => ({
                value: m.id,
                label: materialLabel(m),
                disabled: m.id === page?.materialId,
              })),
              ...(page?.materialId ? [{ value: TRAY, label: '（取消挂接，放回未挂接）' }] : []),
            ]}
          />
        </Form.Item>
        {targetMaterial && (
          <Form.Item label="作为第几页" name="position" extra={`留空则放在最后（该材料现有 ${size} 页）`}>
            <InputNumber min={1} max={size + 1} precision={0} style={{ width: 160 }} placeholder={`${size + 1}`} />
          </Form.Item>
        )}
        {page && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            页面来源：{page.fileName}
            {page.sourcePage > 1 ? ` 第 ${page.sourcePage} 页` : ''}
          </Typography.Text>
        )}
      </Form>
    </Modal>
  );
}
