import { SETTINGS, isSettingKey } from '@dangan/contracts';
import { Input, InputNumber, Select } from 'antd';

/** Names for the values of enumerated settings; the catalogue holds only codes. */
const ENUM_LABELS: Record<string, string> = {
  sm3: 'SM3（国密）',
  sha256: 'SHA-256',
};

export type Editor =
  | { kind: 'number'; min?: number; max?: number }
  | { kind: 'select'; options: { value: string; label: string }[] }
  | { kind: 'text'; maxLength?: number };

interface SchemaShape {
  options?: readonly string[];
  minValue?: number | null;
  maxValue?: number | null;
  maxLength?: number | null;
}

/** The editor a setting needs, read from its schema in the shared catalogue. */
export function editorFor(key: string, defaultValue: unknown): Editor {
  const schema: SchemaShape | undefined = isSettingKey(key) ? (SETTINGS[key].schema as unknown as SchemaShape) : undefined;
  if (schema?.options) return { kind: 'select', options: schema.options.map((o) => ({ value: o, label: ENUM_LABELS[o] ?? o })) };
  if (typeof defaultValue === 'number') {
    return { kind: 'number', min: schema?.minValue ?? undefined, max: schema?.maxValue ?? undefined };
  }
  return { kind: 'text', maxLength: schema?.maxLength ?? undefined };
}

export function displayValue(editor: Editor, value: unknown): string {
  if (editor.kind === 'select') return editor.options.find((o) => o.value === value)?.label ?? String(value);
  if (value === null || value === undefined || value === '') return '—';
  return String(value);
}

/** A Chinese reason why a value cannot be saved, or null. */
export function problemOf(editor: Editor, value: unknown): string | null {
  if (editor.kind === 'number') {
    if (typeof value !== 'number' || !Number.isInteger(value)) return '请输入整数';
    if (editor.min !== undefined && value < editor.min) return `不能小于 ${editor.min}`;
    if (editor.max !== undefined && value > editor.max) return `不能大于 ${editor.max}`;
  }
  if (editor.kind === 'text') {
    if (typeof value !== 'string' || !value.trim()) return '不能为空';
    if (editor.maxLength && value.trim().length > editor.maxLength) return `不超过 ${editor.maxLength} 个字`;
  }
  return null;
}

export function ValueEditor({
  editor,
  value,
  onChange,
  label,
  invalid,
}: {
  editor: Editor;
  value: unknown;
  onChange: (v: unknown) => void;
  label: string;
  invalid: boolean;
}) {
  const status = invalid ? 'error' : undefined;
  if (editor.kind === 'select') {
    return <Select aria-label={label} value={value as string} onChange={onChange} options={editor.options} style={{ width: 200 }} status={status} />;
  }
  if (editor.kind === 'number') {
    return (
      <InputNumber
        aria-label={label}
        value={value as number | null}
        min={editor.min}
        max={editor.max}
        precision={0}
        controls={false}
        onChange={(v) => onChange(v)}
        style={{ width: 200 }}
        status={status}
      />
    );
  }
  return <Input aria-label={label} value={value as string} maxLength={editor.maxLength} onChange={(e) => onChange(e.target.value)} style={{ width: 260 }} status={status} />;
}
