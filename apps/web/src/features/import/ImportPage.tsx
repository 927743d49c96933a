import { CheckCircleFilled, FileExcelOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import type { ImportReport } from '@dangan/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Radio, Result, Space, Spin, Steps, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ApiError, errorText } from '../../api/client';
import { useSession } from '../../session/SessionProvider';
import { PageHeader } from '../../shared/components';
import { guessCsvKind } from './csv';
import { ImportGuide } from './ImportGuide';
import { ProblemTable } from './ProblemTable';
import { SummaryFigures, allUnchanged, summaryText, totalRows } from './summary';
import { MAX_IMPORT_BYTES, formatOf, useImportUpload, type ChosenFile, type ImportKind } from './upload';

const KIND_LABELS: Record<ImportKind, string> = { cadres: '干部', materials: '材料' };

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} 字节`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Why a file cannot be sent at all, before the server sees it. */
function refusal(file: File): string | null {
  const lower = file.name.toLowerCase();
  if (lower.endsWith('.xls')) return '这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 格式后再选择';
  if (!formatOf(file.name)) return `「${file.name}」不是 Excel（.xlsx）或 CSV 文件，请使用导入模板`;
  if (file.size === 0) return `「${file.name}」是空文件`;
  if (file.size > MAX_IMPORT_BYTES) return `「${file.name}」有 ${sizeText(file.size)}，超过 20 MB 的上限，请分成几个文件导入`;
  return null;
}

/** Session errors go back to the login page on their own; everything else is shown in place. */
function shownError(error: unknown): string | null {
  if (error instanceof ApiError && (error.status === 401 || error.code === 'LOGIN_INCOMPLETE')) return null;
  return errorText(error);
}

export default function ImportPage() {
  const navigate = useNavigate();
  const { can } = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const upload = useImportUpload();
  const [file, setFile] = useState<ChosenFile | null>(null);
  const [kind, setKind] = useState<ImportKind>('materials');
  const [kindGuessed, setKindGuessed] = useState(false);
  const [checked, setChecked] = useState<ImportReport | null>(null);
  const [done, setDone] = useState<ImportReport | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const check = useMutation({
    mutationFn: (v: { file: ChosenFile; kind: ImportKind }) => upload(v.file, { dryRun: true, kind: v.kind }),
    onSuccess: (report) => setChecked(report),
    onError: (error) => setFailure(shownError(error)),
  });

  const run = useMutation({
    mutationFn: (v: { file: ChosenFile; kind: ImportKind }) => upload(v.file, { dryRun: false, kind: v.kind }),
    onSuccess: async (report) => {
      if (!report.ok) {
        // The data changed between the check and the import: the server refused it as a whole.
        setChecked(report);
        void message.warning('导入时发现问题，未导入任何数据');
        return;
      }
      setDone(report);
      await Promise.all(
        ['cadres', 'catalogue', 'completeness'].map((key) => queryClient.invalidateQueries({ queryKey: [key] })),
      );
    },
    onError: (error) => {
      const text = shownError(error);
      if (text) void message.error(text);
    },
  });

  const startCheck = (next: ChosenFile, nextKind: ImportKind) => {
    setChecked(null);
    setFailure(null);
    check.mutate({ file: next, kind: nextKind });
  };

  const choose = async (picked: File) => {
    setDone(null);
    setChecked(null);
    const refused = refusal(picked);
    if (refused) {
      setFile(null);
      setFailure(refused);
      return;
    }
    let bytes: ArrayBuffer;
    try {
      bytes = await picked.arrayBuffer();
    } catch {
      setFile(null);
      setFailure(`无法读取「${picked.name}」：文件可能正在被 Excel 使用或已被移动，请关闭后重新选择`);
      return;
    }
    const chosen: ChosenFile = { name: picked.name, size: picked.size, format: formatOf(picked.name)!, bytes };
    let nextKind = kind;
    if (chosen.format === 'csv') {
      const guess = guessCsvKind(bytes);
      setKindGuessed(guess !== null);
      if (guess) nextKind = guess;
    }
    setKind(nextKind);
    setFile(chosen);
    startCheck(chosen, nextKind);
  };

  const reset = () => {
    setFile(null);
    setChecked(null);
    setDone(null);
    setFailure(null);
  };

  const busy = check.isPending || run.isPending;
  const hasProblems = !!checked && !checked.ok;
  const current = done ? 2 : file || failure ? 1 : 0;

  return (
    <>
      <PageHeader
        title="目录导入"
        description="从 Excel（.xlsx）或 CSV 文件批量导入干部信息和档案目录。导入前先检查全部数据，有任何问题都不会写入。"
      />
      <Card style={{ marginBottom: 16 }}>
        <Steps
          current={current}
          status={hasProblems || failure ? 'error' : done ? 'finish' : 'process'}
          items={[
            { title: '下载模板', content: '按模板填写干部和材料' },
            { title: '选择文件并检查', content: '检查通过才能导入' },
            { title: '完成导入', content: '一次写入，全部或全不' },
          ]}
          data-testid="import-steps"
        />
      </Card>

      {done ? (
        <Card data-testid="import-done">
          <Result
            status="success"
            title={allUnchanged(done.summary) ? '导入完成：全部未变' : '导入完成'}
            subTitle={
              <>
                <div>「{file?.name}」{summaryText(done.summary)}。</div>
                {allUnchanged(done.summary) && <div>系统中的数据没有任何改动。</div>}
              </>
            }
            extra={
              <Space wrap>
                {can('cadre.read') && (
                  <Button type="primary" onClick={() => navigate('/cadres')} data-testid="goto-cadres">
                    查看干部档案
                  </Button>
                )}
                <Button icon={<ReloadOutlined />} onClick={reset}>
                  继续导入其他文件
                </Button>
              </Space>
            }
          >
            <SummaryFigures summary={done.summary} done />
          </Result>
        </Card>
      ) : (
        <Flex vertical gap={16}>
          <Card title="① 下载导入模板" size="small">
            <ImportGuide />
          </Card>
          <Card title="② 选择文件并检查" size="small">
            <div data-testid="import-dragger">
              <Upload.Dragger
                accept=".xlsx,.csv"
                multiple={false}
                showUploadList={false}
                disabled={busy}
                beforeUpload={(picked) => {
                  void choose(picked);
                  return Upload.LIST_IGNORE;
                }}
              >
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">{file ? '点击或拖入另一个文件，重新检查' : '点击选择文件，或将文件拖到此处'}</p>
                <p className="ant-upload-hint">支持导入模板（.xlsx）和 CSV 文件，不超过 20 MB。选择后先自动检查，不会立即导入。</p>
              </Upload.Dragger>
            </div>

            {file && (
              <Flex align="center" gap={16} wrap style={{ marginTop: 12 }} data-testid="chosen-file">
                <Space>
                  <FileExcelOutlined style={{ color: '#1d6f42', fontSize: 18 }} />
                  <Typography.Text strong>{file.name}</Typography.Text>
                  <Typography.Text type="secondary">{sizeText(file.size)}</Typography.Text>
                </Space>
                {file.format === 'csv' && (
                  <Space>
                    <span>文件内容：</span>
                    <Radio.Group
                      value={kind}
                      disabled={busy}
                      optionType="button"
                      size="small"
                      options={(['cadres', 'materials'] as const).map((k) => ({ value: k, label: `${KIND_LABELS[k]}表` }))}
                      onChange={(e) => {
                        const next = e.target.value as ImportKind;
                        setKind(next);
                        setKindGuessed(false);
                        startCheck(file, next);
                      }}
                      aria-label="CSV 文件内容"
                      data-testid="csv-kind"
                    />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {kindGuessed ? '已按列名自动判断，如不对请更改' : 'CSV 文件一次只含一张表，请选择它是干部表还是材料表'}
                    </Typography.Text>
                  </Space>
                )}
              </Flex>
            )}

            {check.isPending && (
              <Flex align="center" gap={12} style={{ marginTop: 16 }}>
                <Spin />
                <Typography.Text>正在检查文件中的每一行，尚未导入任何数据…</Typography.Text>
              </Flex>
            )}

            {failure && (
              <Alert
                type="error"
                showIcon
                style={{ marginTop: 16 }}
                title="无法检查该文件"
                description={failure}
                data-testid="import-failure"
              />
            )}

            {checked && hasProblems && (
              <Flex vertical gap={12} style={{ marginTop: 16 }}>
                <Alert
                  type="error"
                  showIcon
                  data-testid="import-problems-alert"
                  title={
                    <Typography.Text strong style={{ fontSize: 16 }}>
                      发现 {checked.problems.length} 处问题，未导入任何数据。请在 Excel 中修改后重新选择文件
                    </Typography.Text>
                  }
                  description="下表按工作表和行号列出每处问题。全部改正后重新选择文件，系统会再次检查；检查通过之前不会写入任何数据。"
                />
                <ProblemTable problems={checked.problems} />
              </Flex>
            )}

            {checked && checked.ok && file && (
              <Flex vertical gap={16} style={{ marginTop: 16 }} data-testid="import-check-ok">
                <Alert
                  type={allUnchanged(checked.summary) ? 'info' : 'success'}
                  showIcon
                  title={
                    allUnchanged(checked.summary) ? (
                      <Space>
                        检查通过
                        <Tag color="default">全部未变</Tag>
                      </Space>
                    ) : (
                      '检查通过，可以导入'
                    )
                  }
                  description={`${summaryText(checked.summary)}。${
                    allUnchanged(checked.summary) ? '导入不会改变任何数据。' : '确认后一次写入；如中途出错，全部不写入。'
                  }`}
                />
                <SummaryFigures summary={checked.summary} done={false} />
                <Flex gap={12} align="center" wrap>
                  <Button
                    type="primary"
                    size="large"
                    icon={<CheckCircleFilled />}
                    loading={run.isPending}
                    disabled={check.isPending || totalRows(checked.summary).cadres + totalRows(checked.summary).materials === 0}
                    onClick={() => run.mutate({ file, kind })}
                    data-testid="confirm-import"
                  >
                    确认导入
                  </Button>
                  <Button size="large" disabled={run.isPending} onClick={reset}>
                    重新选择文件
                  </Button>
                </Flex>
              </Flex>
            )}
          </Card>
        </Flex>
      )}
    </>
  );
}
