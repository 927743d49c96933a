import { api } from '@dangan/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Select, Space, Tag, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { call } from '../../api/client';
import { useSession } from '../../session/SessionProvider';

/**
 * Chooses dossiers for a batch by searching cadres (姓名、拼音首字母、身份号码或档案号). Only a dossier
 * 在库 can go out for digitization, so the others are shown but cannot be chosen.
 */
export function DossierPicker({
  value, onChange, exclude = [], id,
}: {
  value?: string[];
  onChange?: (ids: string[]) => void;
  /** Dossiers already in the batch. */
  exclude?: string[];
  id?: string;
}) {
  const { can } = useSession();
  const [q, setQ] = useState('');
  // Chosen dossiers keep their names when a new search no longer lists them.
  const [chosen, setChosen] = useState<Map<string, string>>(new Map());
  const { data, isFetching } = useQuery({
    queryKey: ['project', 'dossier-search', q],
    queryFn: () => call(api.cadres.list, { query: { q: q || undefined, pageSize: 30, page: 1, sort: 'dossierNo', order: 'asc' } }),
    enabled: can('cadre.read'),
    placeholderData: keepPreviousData,
  });
  const options = (data?.items ?? [])
    .filter((c) => c.dossierId && !exclude.includes(c.dossierId))
    .map((c) => ({
      value: c.dossierId!,
      disabled: c.state !== 'in_store',
      label: `${c.dossierNo} ${c.name}`,
      title: `${c.dossierNo} ${c.name}`,
      render: (
        <Space size={8}>
          <Typography.Text strong>{c.dossierNo}</Typography.Text>
          <span>{c.name}</span>
          <Typography.Text type="secondary">{c.managingUnitName}</Typography.Text>
          <Typography.Text type="secondary">{`${c.materialCount} 份 / ${c.pageCount} 页`}</Typography.Text>
          <Tag color={c.state === 'in_store' ? 'green' : 'default'} style={{ marginInlineEnd: 0 }}>
            {c.stateLabel}
          </Tag>
        </Space>
      ),
    }));
  const listed = new Set(options.map((o) => o.value));
  for (const v of value ?? []) {
    if (!listed.has(v)) options.push({ value: v, disabled: false, label: chosen.get(v) ?? v, title: chosen.get(v) ?? v, render: <span>{chosen.get(v) ?? v}</span> });
  }
  return (
    <Select
      id={id}
      mode="multiple"
      value={value}
      onChange={(ids: string[]) => {
        const next = new Map(chosen);
        for (const o of options) if (ids.includes(o.value)) next.set(o.value, o.label);
        setChosen(next);
        onChange?.(ids);
      }}
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={isFetching}
      placeholder="输入姓名、拼音首字母、身份号码或档案号查找档案"
      notFoundContent={isFetching ? '正在查找…' : '没有找到档案'}
      options={options}
      optionRender={(o) => (o.data as { render: ReactNode }).render}
      optionLabelProp="label"
      style={{ width: '100%' }}
      data-testid="dossier-picker"
    />
  );
}
