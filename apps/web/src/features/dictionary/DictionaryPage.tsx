import { PlusOutlined } from '@ant-design/icons';
import { api, type DictionaryEntry } from '@dangan/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Card, Col, Flex, Input, Menu, Row, Space, Spin, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { call } from '../../api/client';
import { EmptyState, PageHeader } from '../../shared/components';
import { useErrorHandler } from '../../shared/errors';
import { keys, useDictionary } from '../../shared/queries';
import { EntryFormModal, type EntryDialog } from './EntryFormModal';

export default function DictionaryPage() {
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message, modal } = App.useApp();
  const { data: types, isLoading: typesLoading } = useQuery({ queryKey: keys.dictionaryTypes, queryFn: () => call(api.dictionary.types) });
  const [picked, setPicked] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [dialog, setDialog] = useState<EntryDialog | null>(null);
  const type = types?.find((t) => t.type === picked) ?? types?.[0] ?? null;
  const { data: entries, isFetching } = useDictionary(type?.type ?? '', !!type);

  const shownEntries = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return q ? entries?.filter((e) => e.code.toLowerCase().includes(q) || e.label.includes(q)) : entries;
  }, [entries, filter]);

  const toggle = useMutation({
    mutationFn: (e: DictionaryEntry) => call(api.dictionary.update, { params: { type: e.type, id: e.id }, body: { enabled: !e.enabled } }),
    onSuccess: async (e) => {
      await queryClient.invalidateQueries({ queryKey: keys.dictionaryTypes });
      void message.success(e.enabled ? `已启用「${e.label}」` : `已停用「${e.label}」`);
    },
    onError: (error) => handleError(error),
  });

  const confirmToggle = (e: DictionaryEntry) =>
    modal.confirm({
      title: e.enabled ? `确认停用代码「${e.code} ${e.label}」？` : `确认启用代码「${e.code} ${e.label}」？`,
      content: e.enabled ? '停用后新录入的数据不能再选择此代码，已有数据不受影响。' : '启用后可在录入数据时选择此代码。',
      okText: e.enabled ? '停用' : '启用',
      okButtonProps: { danger: e.enabled },
      cancelText: '取消',
      onOk: () => toggle.mutateAsync(e).catch(() => undefined),
    });

  const label = (code: string | null) => (code ? (entries?.find((e) => e.code === code)?.label ?? code) : '—');
  const columns: TableColumnsType<DictionaryEntry> = [
    { title: '代码', dataIndex: 'code', width: 120, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    { title: '名称', dataIndex: 'label' },
    ...(type?.hierarchical
      ? [{ title: '上级', dataIndex: 'parentCode', width: 200, render: (v: string | null) => (v ? `${v} ${label(v)}` : '—') }]
      : []),
    { title: '排序号', dataIndex: 'sortOrder', width: 90, align: 'right' },
    {
      title: '状态',
      dataIndex: 'enabled',
      width: 90,
      render: (v: boolean) => (v ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>),
    },
    {
      title: '操作',
      key: 'actions',
      width: 130,
      render: (_, e) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setDialog({ mode: 'edit', entry: e })}>
            编辑
          </Button>
          <Button type="link" size="small" danger={e.enabled} onClick={() => confirmToggle(e)}>
            {e.enabled ? '停用' : '启用'}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader title="数据字典" description="系统使用的代码表。代码一经使用不能删除，不再使用的代码请停用。" />
      <Row gutter={16}>
        <Col xs={24} md={8} xl={6}>
          <Card title="代码表" styles={{ body: { padding: 8 } }} data-testid="dictionary-types">
            {typesLoading ? (
              <Spin />
            ) : types?.length ? (
              <Menu
                mode="inline"
                style={{ borderInlineEnd: 'none' }}
                selectedKeys={type ? [type.type] : []}
                onClick={({ key }) => {
                  setPicked(key);
                  setFilter('');
                }}
                items={types.map((t) => ({
                  key: t.type,
                  style: { height: 'auto', lineHeight: 1.5, paddingBlock: 6 },
                  label: (
                    <Flex justify="space-between" align="center" gap={8}>
                      <div style={{ minWidth: 0 }}>
                        <div>{t.label}</div>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
                          {t.standard ?? '本系统自定'}
                        </Typography.Text>
                      </div>
                      <Badge count={t.entryCount} showZero overflowCount={9999} color="#8c9bb0" />
                    </Flex>
                  ),
                }))}
              />
            ) : (
              <EmptyState text="暂无代码表" />
            )}
          </Card>
        </Col>
        <Col xs={24} md={16} xl={18}>
          <Card
            title={type ? type.label : '代码'}
            extra={
              type && (
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ mode: 'create' })}>
                  新增代码
                </Button>
              )
            }
          >
            {type && (
              <Space wrap style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
                <Typography.Text type="secondary">
                  依据：{type.standard ?? '本系统自定'}
                  {type.hierarchical ? '；分层级' : ''}；共 {type.entryCount} 项
                </Typography.Text>
                <Input.Search placeholder="按代码或名称查找" allowClear value={filter} onChange={(e) => setFilter(e.target.value)} style={{ width: 240 }} aria-label="查找代码" />
              </Space>
            )}
            <Table<DictionaryEntry>
              key={type?.type}
              rowKey="id"
              size="small"
              data-testid="dictionary-entries-table"
              columns={columns}
              dataSource={shownEntries}
              loading={isFetching}
              rowClassName={(e) => (e.enabled ? '' : 'dictionary-disabled')}
              pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false, showTotal: (t) => `共 ${t} 项` }}
              locale={{ emptyText: <EmptyState text={filter ? '没有匹配的代码' : '此代码表暂无代码'} /> }}
            />
          </Card>
        </Col>
      </Row>
      {type && (
        <EntryFormModal
          type={type.type}
          typeLabel={type.label}
          hierarchical={type.hierarchical}
          entries={entries ?? []}
          dialog={dialog}
          onClose={() => setDialog(null)}
        />
      )}
    </>
  );
}
