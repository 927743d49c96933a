import { SearchOutlined } from '@ant-design/icons';
import { Button, DatePicker, Form, Input, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { dayjs } from '../../shared/format';
import { OBJECT_TYPE_LABELS, RESULT_LABELS } from './labels';

export interface FilterValues {
  range?: [Dayjs | null, Dayjs | null] | null;
  username?: string;
  action?: string;
  objectType?: string;
  result?: 'success' | 'failure' | 'denied';
}

export function AuditFilters({
  actions,
  onSearch,
}: {
  actions: { code: string; label: string }[] | undefined;
  onSearch: (values: FilterValues) => void;
}) {
  const [form] = Form.useForm<FilterValues>();
  return (
    <Form form={form} name="auditFilter" layout="inline" onFinish={onSearch} data-testid="audit-filters" style={{ rowGap: 12 }}>
      <Form.Item label="时间" name="range">
        <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" placeholder={['开始时间', '结束时间']} allowEmpty={[true, true]}
          presets={[
            { label: '今天', value: [dayjs().startOf('day'), dayjs().endOf('day')] },
            { label: '最近 7 天', value: [dayjs().subtract(7, 'day').startOf('day'), dayjs().endOf('day')] },
            { label: '最近 30 天', value: [dayjs().subtract(30, 'day').startOf('day'), dayjs().endOf('day')] },
          ]}
        />
      </Form.Item>
      <Form.Item label="用户" name="username">
        <Input placeholder="用户名" allowClear style={{ width: 140 }} />
      </Form.Item>
      <Form.Item label="事件" name="action">
        <Select
          placeholder="全部事件"
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          style={{ width: 180 }}
          options={(actions ?? []).map((a) => ({ value: a.code, label: a.label }))}
        />
      </Form.Item>
      <Form.Item label="对象类型" name="objectType">
        <Select
          placeholder="全部"
          allowClear
          style={{ width: 130 }}
          options={Object.entries(OBJECT_TYPE_LABELS).map(([value, label]) => ({ value, label }))}
        />
      </Form.Item>
      <Form.Item label="结果" name="result">
        <Select
          placeholder="全部"
          allowClear
          style={{ width: 100 }}
          options={Object.entries(RESULT_LABELS).map(([value, r]) => ({ value, label: r.text }))}
        />
      </Form.Item>
      <Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
            查询
          </Button>
          <Button
            onClick={() => {
              form.resetFields();
              onSearch({});
            }}
          >
            重置
          </Button>
        </Space>
      </Form.Item>
    </Form>
  );
}
