import { SETTINGS, isSettingKey } from '@dangan/contracts';
import { Input, InputNumber, Select } from 'antd';

/** Names for the values of enumerated settings; the catalogue holds only codes. */
const ENUM_LABELS: Record<string, string> = {
  sm3: 'SM3（国密）',
  sha256: 'SHA-256',
  sm4: 'SM4（国密）',
  'aes-256-gcm': 'AES-256-GCM',
  Color: '彩色',
  Gray: '灰度',
  Lineart: '黑白',
};

export type Editor =
  | { kind: 'number'; min?: number; max?: number }
  | { kind: 'select'; options: { value: string; label: string }[] }
  | { kind: 'text'; maxLength?: number }
  /** A list of strings (such as naming templates), one per line. */
  | { kind: 'lines'; maxItems?: number; maxLength?: number; mustContain: string[] };

/** Placeholders every naming template must hold, as the server checks them. */
const TEMPLATE_REQUIRED: Record<string, string[]> = { 'scan.namingTemplates': ['<类号>', '<份号>'] };

interface SchemaShape {
  options?: readonly string[];
  minValue?: number | null;
  maxValue?: number | null;
  maxLength?: number | null;
  /** The schema of an array's items. */
  element?: SchemaShape;
}

/** The editor a setting needs, read from its schema in the shared catalogue. */
export function editorFor(key: string, defaultValue: unknown): Editor {
  const schema: SchemaShape | undefined = isSettingKey(key) ? (SETTINGS[key].schema as unknown as SchemaShape) : undefined;
  if (Array.isArray(defaultValue)) {
    const element = schema?.element;
    return {
      kind: 'lines',
      maxItems: 10,
      maxLength: element?.maxLength ?? undefined,
      mustContain: TEMPLATE_REQUIRED[key] ?? [],
    };
  }
  if (schema?.options) return { kind: 'select', options: schema.options.map((o) => ({ value: o, label: ENUM_LABELS[o] ?? o })) };
  if (typeof defaultValue === 'number') {
    return { kind: 'number', min: schema?.minValue ?? undefined, max: schema?.maxValue ?? undefined };
  }
  return { kind: 'text', maxLength: schema?.maxLength ?? undefined };
}

export function displayValue(editor: Editor, value: unknown): string {
  if (editor.kind === 'select') return editor.options.find((o) => o.value === value)?.label ?? String(value);
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length ? value.join('；') : '—';
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
  if (editor.kind === 'lines') {
    if (!Array.isArray(value)) return '格式不正确';
    const lines = value.map((v) => String(v).trim());
    if (lines.length === 0 || lines.every((l) => !l)) return '至少填写一条';
    if (lines.some((l) => !l)) return '请删除空行';
    if (editor.maxItems && lines.length > editor.maxItems) return `最多 ${editor.maxItems} 条`;
    if (editor.maxLength && lines.some((l) => l.length > editor.maxLength!)) return `每条不超过 ${editor.maxLength} 个字`;
    const missing = lines.findIndex((l) => editor.mustContain.some((m) => !l.includes(m)));
    if (missing >= 0) return `第 ${missing + 1} 条须包含 ${editor.mustContain.join(' 和 ')}`;
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
  if (editor.kind === 'lines') {
    const lines = Array.isArray(value) ? (value as unknown[]).map(String) : [];
    return (
      <Input.TextArea
        aria-label={label}
        value={lines.join('\n')}
        onChange={(e) => onChange(e.target.value.split('\n'))}
        autoSize={{ minRows: 2, maxRows: 12 }}
        placeholder="每行一条"
        // One entry a line: a long entry scrolls rather than wrapping into what would look like two.
        wrap="off"
        style={{ width: '100%', minWidth: 280, fontFamily: 'monospace', fontSize: 13, overflowX: 'auto' }}
        status={status}
      />
    );
  }
  return <Input aria-label={label} value={value as string} maxLength={editor.maxLength} onChange={(e) => onChange(e.target.value)} style={{ width: 260 }} status={status} />;
}
