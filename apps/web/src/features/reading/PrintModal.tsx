import { FileSearchOutlined } from '@ant-design/icons';
import type { ReaderCatalogue } from '@dangan/contracts';
import { App, Button, Checkbox, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { errorText } from '../../api/client';
import { exportMaterials, printMaterials, printPdf, saveFile } from './readerApi';

/**
 * Choose granted materials to print; the server answers a watermarked PDF with a serial number. An excerpt
 * grant (查阅并摘录) may instead download it as a searchable PDF, counted as one print.
 */
export function PrintModal({ sessionId, catalogue, csrfToken, onClose, onPrinted, onExported, onEnded }: {
  sessionId: string;
  catalogue: ReaderCatalogue;
  csrfToken: string;
  onClose(): void;
  onPrinted(serialNo: string): void;
  onExported(serialNo: string): void;
  /** The grant ended while printing: the viewer clears itself. */
  onEnded(error: unknown): boolean;
}) {
  const { message } = App.useApp();
  const [chosen, setChosen] = useState<string[]>([]);
  const [busy, setBusy] = useState<'print' | 'export' | null>(null);
  const left = catalogue.printLimit - catalogue.printsUsed;
  const canExport = catalogue.mode === 'excerpt';
  const printable = catalogue.classes.flatMap((c) => c.materials.filter((m) => m.pageCount > 0).map((m) => ({ ...m, classCode: c.code })));

  const submit = async (kind: 'print' | 'export') => {
    setBusy(kind);
    try {
      if (kind === 'export') {
        const { pdf, serialNo, fileName } = await exportMaterials(sessionId, chosen, csrfToken);
        saveFile(pdf, fileName);
        onExported(serialNo);
      } else {
        const { pdf, serialNo } = await printMaterials(sessionId, chosen, csrfToken);
        printPdf(pdf);
        onPrinted(serialNo);
      }
    } catch (error) {
      if (!onEnded(error)) void message.error(errorText(error));
    } finally {
      setBusy(null);
    }
  };

  const unable = chosen.length === 0 || left <= 0;
  return (
    <Modal open title={canExport ? '打印或导出查阅材料' : '打印查阅材料'} okText="生成并打印" cancelText="取消" onCancel={onClose}
      onOk={() => void submit('print')}
      okButtonProps={{ disabled: unable || busy === 'export', loading: busy === 'print', ...{ 'data-testid': 'print-confirm' } }}
      footer={(_, { OkBtn, CancelBtn }) => (
        <>
          <CancelBtn />
          {canExport && (
            <Button icon={<FileSearchOutlined />} data-testid="export-confirm" disabled={unable || busy === 'print'} loading={busy === 'export'}
              onClick={() => void submit('export')}>
              导出可检索 PDF
            </Button>
          )}
          <OkBtn />
        </>
      )}>
      <Typography.Paragraph type="secondary">
        本次授权还可打印 {Math.max(0, left)} 次（上限 {catalogue.printLimit} 次），每次打印计一次。打印件每页带水印和打印流水号，并记入打印记录。
        {canExport && '本次授权允许摘录：也可将所选材料导出为可检索 PDF 下载（带同样的水印和流水号，计一次打印）。'}
      </Typography.Paragraph>
      <Checkbox.Group value={chosen} onChange={(v) => setChosen(v as string[])} style={{ width: '100%' }}>
        <Space direction="vertical" data-testid="print-materials">
          {printable.map((m) => (
            <Checkbox key={m.id} value={m.id}>第 {m.classCode} 类 {m.seq} {m.name}（{m.pageCount} 页）</Checkbox>
          ))}
        </Space>
      </Checkbox.Group>
    </Modal>
  );
}
