import { SCAN_UPLOAD_TYPES, api, type DossierPages, type PageAnalysis, type PageImageVariant, type PageOps, type ScanPage } from '@dangan/contracts';
import { urlOf } from '../../api/client';

export type BoardMaterial = DossierPages['materials'][number];

export const scanKeys = {
  pages: (dossierId: string) => ['scan', 'pages', dossierId] as const,
  batch: (batchId: string) => ['scan', 'batch', batchId] as const,
  page: (pageId: string) => ['scan', 'page', pageId] as const,
};

/** The tray of pages not yet linked to a material, as a drop target. */
export const TRAY = 'tray';

/** What the file pickers offer; the server decides the real type from the content. */
export const ACCEPT = '.jpg,.jpeg,.png,.tif,.tiff,.pdf,image/jpeg,image/png,image/tiff,application/pdf';

const BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', tif: 'image/tiff', tiff: 'image/tiff', pdf: 'application/pdf',
};

/** The content type to declare for a file; unknown ones go as octet-stream and the server sniffs them. */
export function contentTypeOf(file: File): string {
  if (file.type && SCAN_UPLOAD_TYPES.includes(file.type)) return file.type;
  const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
  return BY_EXTENSION[ext] ?? 'application/octet-stream';
}

/** The name sent with a file: its path inside a chosen folder, so that naming templates can link it. */
export function uploadNameOf(file: File): string {
  const relative = (file as File & { webkitRelativePath?: string }).webkitRelativePath;
  return relative && relative.length > 0 ? relative : file.name;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

export function imageUrl(page: Pick<ScanPage, 'id' | 'version'>, variant: PageImageVariant): string {
  return urlOf(api.pages.image, { params: { id: page.id }, query: { variant, v: page.version } });
}

export function materialLabel(m: Pick<BoardMaterial, 'seq' | 'name'>): string {
  return `${m.seq} ${m.name}`;
}

export interface QualityFlag {
  key: string;
  label: string;
  color: 'error' | 'warning' | 'processing' | 'default' | 'purple';
  tip: string;
}

const EDGE_LABELS = { top: '上', right: '右', bottom: '下', left: '左' } as const;

/** What the analysis found worth a clerk's look, in Chinese. */
export function qualityFlags(a: PageAnalysis | null): QualityFlag[] {
  if (!a) return [];
  const flags: QualityFlag[] = [];
  if (a.blank) flags.push({ key: 'blank', label: '空白页', color: 'warning', tip: '未检测到内容，请确认是否为空白页' });
  if (a.blurry) flags.push({ key: 'blurry', label: '模糊', color: 'error', tip: `清晰度评分 ${a.blurScore.toFixed(1)}，建议重扫` });
  if (a.dpiLow) flags.push({ key: 'dpi', label: '分辨率不足', color: 'error', tip: `扫描分辨率 ${Math.round(a.dpi)} dpi，低于规定` });
  const edges = (Object.keys(EDGE_LABELS) as (keyof typeof EDGE_LABELS)[]).filter((k) => a.edgeContent[k]);
  if (edges.length > 0) {
    flags.push({ key: 'edge', label: '边缘截断', color: 'warning', tip: `内容触及${edges.map((e) => EDGE_LABELS[e]).join('、')}边缘，可能扫描不全` });
  }
  if (a.hasColorContent) flags.push({ key: 'color', label: '彩色', color: 'purple', tip: '页面含彩色内容（如印章、批注），按彩色保存' });
  if (a.rotation) flags.push({ key: 'rotation', label: `旋转 ${a.rotation}°`, color: 'processing', tip: `方向已自动校正 ${a.rotation}°` });
  if (Math.abs(a.skewDeg) >= 0.05) {
    flags.push({ key: 'skew', label: `纠偏 ${a.skewDeg.toFixed(1)}°`, color: 'default', tip: `检测到倾斜 ${a.skewDeg.toFixed(2)}°，已自动纠偏` });
  }
  return flags;
}

export function hasOps(ops: PageOps): boolean {
  return Object.values(ops).some((v) => v !== undefined);
}

/** The pages of the board, by id. */
export function pagesById(data: DossierPages): Map<string, ScanPage> {
  return new Map(data.pages.map((p) => [p.id, p]));
}

/** Where a page sits on the board: a material's id, or the tray. */
export function containerOf(data: DossierPages, pageId: string): string | null {
  if (data.unlinkedPageIds.includes(pageId)) return TRAY;
  return data.materials.find((m) => m.pageIds.includes(pageId))?.id ?? null;
}

/**
 * The board as it will be once a page is moved (the server's answer replaces it): `target` is a
 * material or the tray, `index` the 0-based place in it (end when missing).
 */
export function movedBoard(data: DossierPages, pageId: string, target: string, index?: number): DossierPages {
  const without = (ids: string[]) => ids.filter((id) => id !== pageId);
  const insert = (ids: string[]) => {
    const rest = without(ids);
    const at = index === undefined ? rest.length : Math.max(0, Math.min(index, rest.length));
    return [...rest.slice(0, at), pageId, ...rest.slice(at)];
  };
  return {
    ...data,
    materials: data.materials.map((m) => ({ ...m, pageIds: m.id === target ? insert(m.pageIds) : without(m.pageIds) })),
    unlinkedPageIds: target === TRAY ? insert(data.unlinkedPageIds) : without(data.unlinkedPageIds),
    pages: data.pages.map((p) => (p.id === pageId ? { ...p, materialId: target === TRAY ? null : target } : p)),
  };
}

export function reorderedBoard(data: DossierPages, materialId: string, pageIds: string[]): DossierPages {
  return { ...data, materials: data.materials.map((m) => (m.id === materialId ? { ...m, pageIds } : m)) };
}

export function busyPages(data: DossierPages | undefined): number {
  return data ? data.pages.filter((p) => p.status === 'pending' || p.status === 'processing').length : 0;
}
