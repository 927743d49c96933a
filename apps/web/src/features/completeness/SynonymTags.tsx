import { PlusOutlined } from '@ant-design/icons';
import { App, Flex, Input, Tag, type InputRef } from 'antd';
import { useEffect, useRef, useState } from 'react';

const MAX_LENGTH = 60;
const MAX_COUNT = 50;

/**
 * The names that count as a rule's material, as tags: × removes one (the last one stays), “添加”
 * takes one or several separated by 、，, ; or spaces.
 */
export function SynonymTags({
  value,
  onChange,
  editable,
  label,
}: {
  value: string[];
  onChange: (next: string[]) => void;
  editable: boolean;
  label: string;
}) {
  const { message } = App.useApp();
  const [adding, setAdding] = useState(false);
  const [text, setText] = useState('');
  const input = useRef<InputRef>(null);

  useEffect(() => {
    if (adding) input.current?.focus();
  }, [adding]);

  const commit = () => {
    const words = text
      .split(/[、，,;；\s]+/)
      .map((w) => w.trim())
      .filter(Boolean);
    setText('');
    setAdding(false);
    if (words.length === 0) return;
    const tooLong = words.find((w) => w.length > MAX_LENGTH);
    if (tooLong) {
      void message.warning(`同义名称不超过 ${MAX_LENGTH} 个字`);
      return;
    }
    const next = [...value];
    for (const w of words) if (!next.includes(w)) next.push(w);
    if (next.length > MAX_COUNT) {
      void message.warning(`同义名称最多 ${MAX_COUNT} 个`);
      return;
    }
    if (next.length === value.length) void message.info('该名称已在列表中');
    else onChange(next);
  };

  return (
    <Flex gap={4} wrap align="center" aria-label={`${label}的同义名称`}>
      {value.map((w) => (
        <Tag
          key={w}
          style={{ marginInlineEnd: 0 }}
          closable={editable && value.length > 1}
          closeIcon={editable && value.length > 1 ? undefined : false}
          onClose={(e) => {
            e.preventDefault();
            onChange(value.filter((x) => x !== w));
          }}
        >
          {w}
        </Tag>
      ))}
      {editable &&
        (adding ? (
          <Input
            ref={input}
            size="small"
            style={{ width: 140 }}
            value={text}
            maxLength={200}
            placeholder="输入后按回车"
            onChange={(e) => setText(e.target.value)}
            onPressEnter={commit}
            onBlur={commit}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                setText('');
                setAdding(false);
              }
            }}
            aria-label={`为${label}添加同义名称`}
          />
        ) : (
          <Tag
            style={{ marginInlineEnd: 0, borderStyle: 'dashed', cursor: 'pointer', background: 'transparent' }}
            onClick={() => setAdding(true)}
            data-testid="add-synonym"
          >
            <PlusOutlined /> 添加
          </Tag>
        ))}
    </Flex>
  );
}
