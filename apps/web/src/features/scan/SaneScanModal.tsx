import { PrinterOutlined, ReloadOutlined } from '@ant-design/icons';
import { api, type DossierPages, type SaneScanResult, type ScanBatch } from '@dangan/contracts';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Flex, Form, InputNumber, List, Modal, Select, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { call, errorText } from '../../api/client';
import { useErrorHandler } from '../../shared/errors';
import { materialLabel } from './model';

/** No material: the pages go to the 未挂接 tray in scan order. */
const NO_MATERIAL = '';

interface Values {
  materialId: string;
  startPage: number | null;
  pages: number | null;
}

export const saneKeys = { scanners: ['scan', 'scanners'] as const };

/** The next page number of a material (what the server uses when no start page is given). */
function nextFreePage(data: DossierPages, materialId: string): number {
  let max = 0;
  for (const p of data.pages) if (p.materialId === materialId && p.pageNo !== null && p.pageNo > max) max = p.pageNo;
  return max + 1;
}

/**
 * 扫描仪扫描: scans with the scanner configured in 系统设置 (through SANE on the server) into a new
 * batch of this dossier, optionally straight into one material. The panel shows the batch afterwards.
 */
export function SaneScanModal({
  open,
  data,
  dossierId,
  onClose,
  onStarted,
  onScanned,
  onFailed,
}: {
  open: boolean;
  data: DossierPages;
  dossierId: string;
  onClose: () => void;
  /** The batch exists and the scanner runs. */
  onStarted: (batch: ScanBatch) => void;
  onScanned: (result: SaneScanResult) => void;
  /** The scan ended without pages; the batch stays empty. */
  onFailed: () => void;
}) {
  const handleError = useErrorHandler();
  const [form] = Form.useForm<Values>();
  const [scanning, setScanning] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const materialId = Form.useWatch('materialId', form) ?? NO_MATERIAL;

  const scanners = useQuery({
    queryKey: saneKeys.scanners,
    queryFn: () => call(api.scans.scanners),
    enabled: open,
    // Looking for scanners can take a while (network discovery): once per opening is enough.
    staleTime: 60_000,
    retry: false,
  });

  useEffect(() => {
    if (open) form.setFieldsValue({ materialId: NO_MATERIAL, startPage: null, pages: null });
  }, [open, form]);

  const close = () => {
    setFailure(null);
    onClose();
  };

  const submit = async (v: Values) => {
    setScanning(true);
    setFailure(null);
    let batch: ScanBatch;
    try {
      batch = await call(api.scans.createBatch, { body: { dossierId } });
    } catch (e) {
      handleError(e, form);
      setScanning(false);
      return;
    }
    onStarted(batch);
    try {
      const result = await call(api.scans.sane, {
        params: { id: batch.id },
        body: {
          materialId: v.materialId || undefined,
          startPage: v.materialId && v.startPage ? v.startPage : undefined,
          pages: v.pages ?? undefined,
        },
      });
      onScanned(result);
      close();
    } catch (e) {
      handleError(e, form, { materialId: 'materialId', startPage: 'startPage', pages: 'pages' });
      setFailure(errorText(e));
      onFailed();
    } finally {
      setScanning(false);
    }
  };

  const list = scanners.data ?? [];
  const next = materialId ? nextFreePage(data, materialId) : null;

  return (
    <Modal
      open={open}
      title="扫描仪扫描"
      okText={scanning ? '正在扫描…' : '开始扫描'}
      cancelText={scanning ? '关闭' : '取消'}
      okButtonProps={{ icon: <PrinterOutlined /> }}
      onOk={() => form.submit()}
      confirmLoading={scanning}
      onCancel={close}
      forceRender
      width={560}
    >
      <Flex vertical gap={12}>
        <div data-testid="sane-scanners">
          <Flex justify="space-between" align="center" style={{ marginBottom: 4 }}>
            <Typography.Text strong>检测到的扫描仪</Typography.Text>
            <Button size="small" type="link" icon={<ReloadOutlined />} loading={scanners.isFetching} onClick={() => void scanners.refetch()} disabled={scanning}>
              重新检测
            </Button>
          </Flex>
          {scanners.isLoading ? (
            <Flex align="center" gap={8} style={{ padding: '8px 0' }}>
              <Spin size="small" />
              <Typography.Text type="secondary">正在查找扫描仪…</Typography.Text>
            </Flex>
          ) : scanners.error ? (
            <Alert type="error" showIcon title="无法查找扫描仪" description={errorText(scanners.error)} />
          ) : list.length === 0 ? (
            <Alert
              type="warning"
              showIcon
              title="未检测到扫描仪"
              description="请检查扫描仪的连接和电源。扫描所用的设备、分辨率、色彩模式和进纸方式在「系统设置 → 扫描仪」中设置（由系统管理员维护）；网络扫描仪可能不在此列出，填写设备名后仍可扫描。"
              data-testid="sane-none"
            />
          ) : (
            <List
              size="small"
              bordered
              dataSource={list}
              renderItem={(d) => (
                <List.Item data-testid="sane-device" data-name={d.name}>
                  <Flex vertical>
                    <Typography.Text>{[d.vendor, d.model].filter(Boolean).join(' ') || d.name}</Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {d.name}
                      {d.type ? `（${d.type}）` : ''}
                    </Typography.Text>
                  </Flex>
                </List.Item>
              )}
            />
          )}
          {list.length > 0 && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              使用「系统设置 → 扫描仪」中指定的设备、分辨率和色彩模式；未指定设备时使用第一台。
            </Typography.Text>
          )}
        </div>
        <Form form={form} layout="vertical" name="sane-scan" onFinish={(v) => void submit(v)} disabled={scanning}>
          <Form.Item label="挂接到材料" name="materialId" extra="选择材料后扫描的页面直接挂接到该材料；不挂接时按扫描顺序放入“未挂接”">
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              aria-label="挂接到材料"
              data-testid="sane-material"
              onChange={() => form.setFieldValue('startPage', null)}
              options={[{ value: NO_MATERIAL, label: '不挂接（按扫描顺序放入未挂接）' }, ...data.materials.map((m) => ({ value: m.id, label: materialLabel(m) }))]}
            />
          </Form.Item>
          <Flex gap={16} wrap>
            <Form.Item
              label="起始页号"
              name="startPage"
              extra={next ? `留空则接在已有页之后（第 ${next} 页）` : '仅在挂接到材料时使用'}
              style={{ flex: 1, minWidth: 200 }}
            >
              <InputNumber aria-label="起始页号" min={1} max={100000} precision={0} disabled={!materialId} placeholder={next ? String(next) : '—'} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item label="扫描页数" name="pages" extra="留空则扫到进纸器无纸（平板扫描为 1 页）" style={{ flex: 1, minWidth: 200 }}>
              <InputNumber aria-label="扫描页数" min={1} max={1000} precision={0} placeholder="扫到无纸为止" style={{ width: '100%' }} />
            </Form.Item>
          </Flex>
        </Form>
        {scanning && <Alert type="info" showIcon title="正在扫描，请勿取出纸张；扫描完成后页面将自动处理并显示在下方列表中" />}
        {failure && !scanning && <Alert type="error" showIcon title="扫描未完成" description={failure} data-testid="sane-failure" />}
      </Flex>
    </Modal>
  );
}
