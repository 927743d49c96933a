import { Typography } from 'antd';
import { PARTIAL_DATE_HINT, readPartialDate, spellPartialDate } from './format';

/**
 * Under a typed date: the accepted forms while empty, what was understood once it parses. A date that
 * does not parse shows nothing here, because the field's rule shows the reason.
 */
export function DateHint({ text, hint = PARTIAL_DATE_HINT }: { text: string | undefined; hint?: string }) {
  const read = readPartialDate(text);
  if (read === null) return <span>{hint}</span>;
  if (!read.ok) return null;
  return <Typography.Text type="success">识别为 {spellPartialDate(read.value)}</Typography.Text>;
}
