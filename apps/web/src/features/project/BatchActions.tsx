import {
  AuditOutlined, CheckOutlined, CloseOutlined, ExportOutlined, FileExcelOutlined, FilePdfOutlined, ImportOutlined, PlusOutlined, SendOutlined, StopOutlined,
} from '@ant-design/icons';
import { api, type BatchDetail } from '@dangan/contracts';
import { Button, Form, Modal } from 'antd';
import { useEffect, useState } from 'react';
import { call } from '../../api/client';
import { useSession } from '../../session/SessionProvider';
import { DossierPicker } from './DossierPicker';
import { CheckInModal, CheckOutModal } from './HandoverModals';
import { percentText, reportUrl } from './model';
import { NoteModal } from './NoteModal';
import { useProjectAction } from './useProjectAction';

type Dialog = 'add' | 'request' | 'approve' | 'refuse' | 'cancel' | 'checkout' | 'accept' | 'refuseAcceptance' | 'checkin';

function AddDossiersModal({ batch, open, onClose }: { batch: BatchDetail; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<{ dossierIds: string[] }>();
  const { run } = useProjectAction();
  const [pending, setPending] = useState(false);
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  const submit = async ({ dossierIds }: { dossierIds: string[] }) => {
    setPending(true);
    const ok = await run('add', () => call(api.batches.addDossiers, { params: { id: batch.id }, body: { dossierIds } }), `已加入 ${dossierIds.length} 卷档案`);
    setPending(false);
    if (ok) onClose();
  };
  return (
    <Modal open={open} title={`加入档案：${batch.code}`} okText="加入" cancelText="取消" onOk={() => form.submit()} confirmLoading={pending} onCancel={onClose} width={640} forceRender>
      <Form form={form} name="batch-add-dossiers" layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item label="档案" name="dossierIds" rules={[{ required: true, message: '请选择要加入的档案' }]} extra="只有「在库」且不在其他未完结批次中的档案可以加入">
          <DossierPicker exclude={batch.dossiers.map((d) => d.dossierId)} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The moves of a batch that the user's permissions and the batch's state allow, each with its dialog. */
export function BatchActions({ batch }: { batch: BatchDetail }) {
  const { can } = useSession();
  const { run } = useProjectAction();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = () => setDialog(null);
  const params = { id: batch.id };
  const openOut = batch.handovers.some((h) => h.direction === 'out' && !h.completedAt);
  const openIn = batch.handovers.some((h) => h.direction === 'in' && !h.completedAt);
  const manage = can('batch.manage');
  const approve = can('batch.approve');
  const st = batch.state;
  const cancellable = manage && ['draft', 'checkout_requested', 'approved'].includes(st) && !openOut;
  const reports = can('batch.manage', 'batch.approve', 'qc.inspect') && ['in_progress', 'accepted', 'closed'].includes(st);
  const rate = batch.passRate;

  return (
    <>
      {st === 'draft' && manage && (
        <>
          <Button icon={<PlusOutlined />} onClick={() => setDialog('add')} data-testid="add-dossiers">
            加入档案
          </Button>
          <Button type="primary" icon={<SendOutlined />} disabled={batch.dossiers.length === 0} onClick={() => setDialog('request')} data-testid="request-checkout">
            申请出库
          </Button>
        </>
      )}
      {st === 'checkout_requested' && approve && (
        <>
          <Button type="primary" icon={<CheckOutlined />} onClick={() => setDialog('approve')} data-testid="approve-checkout">
            批准出库
          </Button>
          <Button danger icon={<CloseOutlined />} onClick={() => setDialog('refuse')} data-testid="refuse-checkout">
            退回
          </Button>
        </>
      )}
      {st === 'approved' && manage && !openOut && (
        <Button type="primary" icon={<ExportOutlined />} onClick={() => setDialog('checkout')} data-testid="checkout-handover">
          出库交接
        </Button>
      )}
      {st === 'in_progress' && approve && (
        <>
          <Button type="primary" icon={<AuditOutlined />} onClick={() => setDialog('accept')} data-testid="accept-batch">
            验收
          </Button>
          <Button danger icon={<CloseOutlined />} onClick={() => setDialog('refuseAcceptance')} data-testid="refuse-acceptance">
            验收不通过
          </Button>
        </>
      )}
      {st === 'accepted' && manage && !openIn && (
        <Button type="primary" icon={<ImportOutlined />} onClick={() => setDialog('checkin')} data-testid="checkin-handover">
          入库交接
        </Button>
      )}
      {reports && (
        <>
          <Button icon={<FilePdfOutlined />} href={reportUrl(batch.id, 'pdf')} download data-testid="report-pdf">
            验收报告（PDF）
          </Button>
          <Button icon={<FileExcelOutlined />} href={reportUrl(batch.id, 'xlsx')} download data-testid="report-xlsx">
            验收报告（Excel）
          </Button>
        </>
      )}
      {cancellable && (
        <Button danger type="text" icon={<StopOutlined />} onClick={() => setDialog('cancel')}>
          撤销批次
        </Button>
      )}

      <AddDossiersModal batch={batch} open={dialog === 'add'} onClose={close} />
      <NoteModal
        open={dialog === 'request'}
        name="checkout-request"
        title={`申请出库：${batch.code}`}
        label="申请说明"
        okText="提交申请"
        info={`共 ${batch.dossierCount} 卷 ${batch.materialCount} 份 ${batch.pageCount} 页，提交后由审批领导批准。`}
        placeholder="如：按年度数字化计划送加工，可不填"
        onClose={close}
        onSubmit={(note) => run('request', () => call(api.batches.requestCheckout, { params, body: { note } }), '已提交出库申请')}
      />
      <NoteModal
        open={dialog === 'approve'}
        name="checkout-approve"
        title={`批准出库：${batch.code}`}
        label="审批意见"
        okText="批准"
        info={`共 ${batch.dossierCount} 卷 ${batch.materialCount} 份 ${batch.pageCount} 页。批准后由档案管理员办理出库交接。`}
        placeholder="同意出库加工（可不填）"
        onClose={close}
        onSubmit={(note) => run('approve', () => call(api.batches.approveCheckout, { params, body: { note } }), '已批准出库')}
      />
      <NoteModal
        open={dialog === 'refuse'}
        name="checkout-refuse"
        title={`退回出库申请：${batch.code}`}
        label="退回原因"
        okText="退回"
        required
        danger
        presets={['档案清单有误，请核对后重新申请', '加工单位资质未确认', '近期有查借阅安排，暂缓出库']}
        info="退回后批次回到草稿，档案管理员修改后可重新申请。"
        onClose={close}
        onSubmit={(reason) => run('refuse', () => call(api.batches.refuseCheckout, { params, body: { reason } }), '已退回出库申请')}
      />
      <NoteModal
        open={dialog === 'cancel'}
        name="batch-cancel"
        title={`撤销批次：${batch.code}`}
        label="撤销原因"
        okText="撤销批次"
        required
        danger
        info="撤销后批次不能恢复，其中的档案可加入其他批次。"
        onClose={close}
        onSubmit={(reason) => run('cancel', () => call(api.batches.cancel, { params, body: { reason } }), '已撤销批次')}
      />
      <NoteModal
        open={dialog === 'accept'}
        name="batch-accept"
        title={`验收：${batch.code}`}
        label="验收意见"
        okText="验收通过"
        info={`抽检 ${rate.inspected} 卷，合格 ${rate.passed} 卷，合格率 ${percentText(rate.rate)}（标准 ${batch.passPercent}%），一次合格率 ${percentText(rate.firstRate)}。`}
        placeholder="经抽检，本批次数字化成果符合要求，同意验收（可不填）"
        onClose={close}
        onSubmit={(note) => run('accept', () => call(api.batches.accept, { params, body: { note } }), '批次已验收')}
      />
      <NoteModal
        open={dialog === 'refuseAcceptance'}
        name="batch-refuse-acceptance"
        title={`验收不通过：${batch.code}`}
        label="不通过原因"
        okText="验收不通过"
        required
        danger
        presets={['抽检合格率低于标准，须扩大抽检并整改', '整改未全部完成']}
        onClose={close}
        onSubmit={(reason) => run('refuseAcceptance', () => call(api.batches.refuseAcceptance, { params, body: { reason } }), '已登记验收不通过')}
      />
      <CheckOutModal batch={batch} open={dialog === 'checkout'} onClose={close} />
      <CheckInModal batch={batch} open={dialog === 'checkin'} onClose={close} />
    </>
  );
}
