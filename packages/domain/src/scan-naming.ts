import { parseClassCode, type LeafClassCode } from './catalogue.js';

/**
 * Scan file names (DA/T 31: one file per page, named from the 档号 and the image's serial number).
 * A template such as `<档案号>/<类号>/<份号>/<页号>.<ext>` or `<档案号>_<类号>-<份号>_<页号>.<ext>` links
 * a page to its catalogue material (挂接) without a human. A template without `<页号>` names a
 * multi-page file (TIFF, PDF) holding one material; its pages are that material's pages 1, 2, …
 */
export interface ScanName {
  dossierNo: string | null;
  classCode: LeafClassCode;
  pieceNo: number;
  pageNo: number | null;
  ext: string;
}

export type NameCheck = { ok: true; path: string } | { ok: false; reason: string };

const TOKENS: Record<string, string> = {
  '<档案号>': '(?<dossierNo>[^/]+?)',
  '<类号>': '(?<classCode>\\d{1,2}(?:-\\d{1,2})?)',
  '<份号>': '(?<pieceNo>\\d{1,4})',
  '<页号>': '(?<pageNo>\\d{1,5})',
  '<ext>': '(?<ext>[A-Za-z0-9]{2,5})',
};

const TOKEN_RE = /<档案号>|<类号>|<份号>|<页号>|<ext>/g;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A relative path as sent by a browser or found under a watched folder; refuses every path trick. */
export function checkScanPath(name: string): NameCheck {
  if (name.length === 0) return { ok: false, reason: '文件名为空' };
  if (name.length > 500) return { ok: false, reason: '文件名过长（超过 500 个字符）' };
   
  if (/[\u0000-\u001f\u007f]/.test(name)) return { ok: false, reason: '文件名含有控制字符（如 NUL），已拒收' };
  const unified = name.replace(/\\/g, '/');
  if (unified.startsWith('/') || /^[A-Za-z]:/.test(unified)) return { ok: false, reason: '文件名不能是绝对路径，已拒收' };
  const segments = unified.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return { ok: false, reason: '文件名含有“../”等路径跳转，已拒收' };
  if (segments.some((s) => s.trim() === '')) return { ok: false, reason: '文件路径含有空的目录名，已拒收' };
  return { ok: true, path: segments.join('/') };
}

function compile(template: string): RegExp {
  let out = '';
  let last = 0;
  for (const m of template.matchAll(TOKEN_RE)) {
    out += escapeRegExp(template.slice(last, m.index)) + TOKENS[m[0]]!;
    last = m.index + m[0].length;
  }
  out += escapeRegExp(template.slice(last));
  return new RegExp(`^${out}$`, 'u');
}

function normaliseClass(text: string): LeafClassCode | null {
  const stripped = text
    .split('-')
    .map((p) => String(Number(p)))
    .join('-');
  const parsed = parseClassCode(stripped);
  return parsed.ok ? parsed.code : null;
}

/**
 * The first template that matches the end of `path` (a folder upload may carry outer directories).
 * Returns null when none matches: the page lands unlinked and a human links it.
 */
export function parseScanName(templates: readonly string[], path: string): ScanName | null {
  const segments = path.replace(/\\/g, '/').split('/');
  for (const template of templates) {
    const depth = template.split('/').length;
    if (segments.length < depth) continue;
    const tail = segments.slice(segments.length - depth).join('/');
    const m = compile(template).exec(tail);
    if (!m?.groups) continue;
    const classCode = normaliseClass(m.groups.classCode!);
    if (!classCode) continue;
    const pieceNo = Number(m.groups.pieceNo);
    const pageNo = m.groups.pageNo === undefined ? null : Number(m.groups.pageNo);
    if (pieceNo < 1 || pageNo === 0) continue;
    return { dossierNo: m.groups.dossierNo ?? null, classCode, pieceNo, pageNo, ext: m.groups.ext ?? '' };
  }
  return null;
}

/** The canonical name of a page under a template (for export and for the naming check). */
export function formatScanName(template: string, name: Omit<ScanName, 'dossierNo'> & { dossierNo: string }): string {
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const [major, minor] = name.classCode.split('-');
  const classText = minor ? `${pad(Number(major), 2)}-${minor}` : pad(Number(major), 2);
  return template
    .replace('<档案号>', name.dossierNo)
    .replace('<类号>', classText)
    .replace('<份号>', pad(name.pieceNo, 3))
    .replace('<页号>', pad(name.pageNo ?? 1, 3))
    .replace('<ext>', name.ext);
}
