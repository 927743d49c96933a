import type { ReaderCatalogue } from '@dangan/contracts';
import { App, Checkbox, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { errorText } from '../../api/client';
import { printMaterials, printPdf } from './readerApi';

/** Choose granted materials to print; the server answers a watermarked PDF with a serial number. */
export function PrintModal({ sessionId, catalogue, csrfToken, onClose, onPrinted, onEnded }: {
  sessionId: string;
  catalogue: ReaderCatalogue;
  csrfToken: string;
  onClose(): void;
  onPrinted(serialNo: string): void;
  /** The grant ended while printing: the viewer clears itself. */
  onEnded(error: unknown): boolean;
}) {
  const { message } = App.useApp();
  const [chosen, setChosen] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const left = catalogue.printLimit - catalogue.printsUsed;
  const printable = catalogue.classes.flatMap((c) => c.materials.filter((m) => m.pageCount > 0).map((m) => ({ ...m, classCode: c.code })));

  const submit = async () => {
    setBusy(true);
    try {
      const { pdf, serialNo } = await printMaterials(sessionId, chosen, csrfToken);
      printPdf(pdf);
      onPrinted(serialNo);
    } catch (error) {
      if (!onEnded(error)) void message.error(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title="打印查阅材料" okText="生成并打印" cancelText="取消" onCancel={onClose} onOk={() => void submit()}
      okButtonProps={{ disabled: chosen.length === 0 || left <= 0, loading: busy, ...{ 'data-testid': 'print-confirm' } }}>
      <Typography.Paragraph type="secondary">
        本次授权还可打印 {Math.max(0, left)} 次（上限 {catalogue.printLimit} 次），每次打印计一次。打印件每页带水印和打印流水号，并记入打印记录。
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
