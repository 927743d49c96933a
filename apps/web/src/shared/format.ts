import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import 'dayjs/locale/zh-cn';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.locale('zh-cn');

/** Users read every time in Beijing time, whatever the zone of the computer. */
export const BEIJING = 'Asia/Shanghai';

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = dayjs(iso);
  return d.isValid() ? d.tz(BEIJING).format('YYYY-MM-DD HH:mm:ss') : iso;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = dayjs(iso);
  return d.isValid() ? d.tz(BEIJING).format('YYYY-MM-DD') : iso;
}

/** A wall-clock time picked on screen, read as Beijing time, as an ISO instant. */
export function beijingToIso(value: dayjs.Dayjs): string {
  return dayjs.tz(value.format('YYYY-MM-DDTHH:mm:ss'), BEIJING).toISOString();
}

export function isFuture(iso: string | null | undefined): boolean {
  return !!iso && dayjs(iso).isAfter(dayjs());
}

export { dayjs };
