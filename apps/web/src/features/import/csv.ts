import type { ImportKind } from './upload';

function decode(bytes: ArrayBuffer): string {
  const head = bytes.slice(0, 64 * 1024);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(head);
  } catch {
    // Excel on a Chinese Windows saves CSV in GB18030 (GBK); the cut may split a character, which is fine here.
    try {
      return new TextDecoder('gb18030').decode(head);
    } catch {
      return '';
    }
  }
}

/**
 * Which table a CSV file holds, read from its column titles (the first lines, as a title row may sit
 * above the header): 材料 when it has 类号 or 材料名称, 干部 when it has 姓名. `null` when it cannot tell.
 */
export function guessCsvKind(bytes: ArrayBuffer): ImportKind | null {
  const lines = decode(bytes).split(/\r?\n/).slice(0, 10);
  for (const line of lines) {
    const cells = line.split(/[,\t]/).map((c) => c.replace(/["\s\u3000*＊]/g, ''));
    if (cells.some((c) => c === '类号' || c === '类别号' || c === '材料名称')) return 'materials';
    if (cells.some((c) => c === '姓名')) return 'cadres';
  }
  return null;
}
