import { CheckCircleFilled, WarningFilled } from '@ant-design/icons';
import { checkIdNumber, compareBirthDate } from '@dangan/domain';
import { Button, Typography } from 'antd';
import { readPartialDate, todayInChina } from './format';

/** What the ID number says, read as the clerk types: birth date and sex, and whether 出生日期 agrees. */
export function IdNumberHint({
  idNumber,
  birthDate,
  onFill,
}: {
  idNumber: string | undefined;
  birthDate: string | undefined;
  /** Offered when 出生日期 is still empty: fills it (and 性别) from the number. */
  onFill?: (birthDate: string, gender: 'male' | 'female') => void;
}) {
  if (!idNumber?.trim()) return <span>选填；填写后即时校验 18 位号码与校验码</span>;
  const checked = checkIdNumber(idNumber, todayInChina());
  if (!checked.ok) return null;
  const [y, m, d] = checked.birthDate.split('-').map(Number);
  const born = `${y}年${m}月${d}日`;
  const sex = checked.gender === 'male' ? '男' : '女';
  const typed = readPartialDate(birthDate);
  const agreement = typed?.ok ? compareBirthDate(checked.birthDate, typed.value) : 'unknown';
  return (
    <span data-testid="id-number-hint">
      <Typography.Text type="success">
        <CheckCircleFilled /> 号码有效：出生于 {born}，{sex}性
      </Typography.Text>
      {agreement === 'mismatch' && (
        <Typography.Text type="warning" style={{ display: 'block' }}>
          <WarningFilled /> 与所填出生日期不一致，保存后将标注“待核对”
        </Typography.Text>
      )}
      {!birthDate?.trim() && onFill && (
        <Button type="link" size="small" style={{ paddingInline: 4 }} onClick={() => onFill(checked.birthDate.replaceAll('-', '.'), checked.gender)}>
          按号码填入出生日期和性别
        </Button>
      )}
    </span>
  );
}

/** A form rule: an ID number, when given, must pass the GB 11643 check; the server checks again. */
export function idNumberRule() {
  return {
    validator: async (_: unknown, value: string | undefined) => {
      if (!value?.trim()) return;
      const checked = checkIdNumber(value, todayInChina());
      if (!checked.ok) throw new Error(checked.reason);
    },
  };
}
