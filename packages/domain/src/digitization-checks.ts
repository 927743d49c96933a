/**
 * Automatic checks (数据校验) of a dossier's digitization results (DOMAIN.md §6): counts and order
 * against the catalogue, file names against the naming templates, image quality from the imaging
 * step, and the same page scanned twice. Pure rules; the checks module gathers the facts and stores
 * the findings.
 */
import { type LeafClassCode } from './catalogue.js';
import type { ScanName } from './scan-naming.js';

export type CheckSeverity = 'failure' | 'warning';

export const CHECK_SEVERITY_LABELS: Record<CheckSeverity, string> = { failure: '不合格', warning: '提示' };

/**
 * Every finding the checks can report, its Chinese name and its weight: a failure sends the dossier
 * to full inspection, a warning is shown to the inspector.
 */
export const CHECK_CODES = {
  PAGE_COUNT_MISMATCH: { label: '页数与目录不符', severity: 'failure' },
  PAGE_UNLINKED: { label: '页面未挂接', severity: 'failure' },
  PAGE_ORPHAN: { label: '页面挂接在已删除的材料上', severity: 'failure' },
  PAGE_SEQUENCE: { label: '页号不连续', severity: 'failure' },
  CATALOGUE_SEQUENCE: { label: '目录序号不连续', severity: 'failure' },
  FILE_NAME_MISMATCH: { label: '文件名与挂接位置不符', severity: 'failure' },
  FILE_NAME_MOVED: { label: '文件名序号与现位置不同', severity: 'warning' },
  FILE_NAME_FREE: { label: '文件名不符合命名规则', severity: 'warning' },
  PAGE_NOT_PROCESSED: { label: '图像尚未处理完成', severity: 'failure' },
  PAGE_PROCESS_FAILED: { label: '图像处理失败', severity: 'failure' },
  DPI_LOW: { label: '分辨率不足', severity: 'failure' },
  SKEW_RESIDUAL: { label: '可能残留倾斜', severity: 'failure' },
  BLURRY: { label: '图像模糊', severity: 'failure' },
  EDGE_CUT: { label: '内容在边缘被裁切', severity: 'failure' },
  BLANK_PAGE: { label: '材料中有空白页', severity: 'warning' },
  COLOR_NOT_CAPTURED: { label: '未以彩色扫描', severity: 'warning' },
  DUPLICATE_PAGE: { label: '同一页重复扫描', severity: 'failure' },
  DUPLICATE_IN_BATCH: { label: '与批次内其他档案的页面相同', severity: 'warning' },
  COMPLETENESS_MISSING: { label: '缺少应有材料', severity: 'warning' },
} as const satisfies Record<string, { label: string; severity: CheckSeverity }>;

export type CheckCode = keyof typeof CHECK_CODES;

export const CHECK_CODE_LIST = Object.keys(CHECK_CODES) as CheckCode[];

// ------------------------------------------------------------------------------------------------
// Numbering

export interface SequenceProblems {
  /** Numbers of 1..n (n = how many there are) that nobody has. */
  missing: number[];
  /** Numbers held more than once. */
  repeated: number[];
  /** Numbers beyond n, or not positive. */
  outOfRange: number[];
  /** Items without a number. */
  unnumbered: number;
}

/** Whether `numbers` are exactly 1..n, each once (page numbers in a material, 份号 in a class). */
export function sequenceProblems(numbers: readonly (number | null)[]): SequenceProblems {
  const n = numbers.length;
  const counts = new Map<number, number>();
  let unnumbered = 0;
  for (const x of numbers) {
    if (x === null) unnumbered++;
    else counts.set(x, (counts.get(x) ?? 0) + 1);
  }
  const missing: number[] = [];
  for (let i = 1; i <= n; i++) if (!counts.has(i)) missing.push(i);
  const held = [...counts.keys()].sort((a, b) => a - b);
  return {
    missing,
    repeated: held.filter((x) => counts.get(x)! > 1),
    outOfRange: held.filter((x) => x < 1 || x > n || !Number.isInteger(x)),
    unnumbered,
  };
}

export function hasSequenceProblems(p: SequenceProblems): boolean {
  return p.missing.length > 0 || p.repeated.length > 0 || p.outOfRange.length > 0 || p.unnumbered > 0;
}

/** A short Chinese account of what is wrong with a sequence: "缺 3、4；重复 2". */
export function describeSequence(p: SequenceProblems, unit: string): string {
  const parts: string[] = [];
  if (p.missing.length) parts.push(`缺第 ${p.missing.join('、')} ${unit}`);
  if (p.repeated.length) parts.push(`第 ${p.repeated.join('、')} ${unit}重复`);
  if (p.outOfRange.length) parts.push(`第 ${p.outOfRange.join('、')} ${unit}超出范围`);
  if (p.unnumbered) parts.push(`${p.unnumbered} 项无编号`);
  return parts.join('；');
}

// ------------------------------------------------------------------------------------------------
// File names

export interface PagePlace {
  dossierNo: string;
  classCode: LeafClassCode;
  pieceNo: number;
  pageNo: number;
  /** 1-based page inside the scanned file. */
  sourcePage: number;
}

export type NameVerdict =
  | { kind: 'ok' }
  /** A name no template reads (a web upload named by the camera, linked by hand). */
  | { kind: 'free' }
  /** The name says another dossier or another class: the page or its name is wrong. */
  | { kind: 'mismatch'; reason: string }
  /**
   * Same dossier and class, another 份号 or page: the catalogue was renumbered or the page moved
   * by hand since it was scanned; an export names it by its place now.
   */
  | { kind: 'moved'; named: { pieceNo: number; pageNo: number } };

/** Where a page's file name puts it, against where the page is linked. */
export function checkPageName(parsed: ScanName | null, place: PagePlace): NameVerdict {
  if (!parsed) return { kind: 'free' };
  if (parsed.dossierNo !== null && parsed.dossierNo !== place.dossierNo) {
    return { kind: 'mismatch', reason: `文件名中的档案号为“${parsed.dossierNo}”，本档案为“${place.dossierNo}”` };
  }
  if (parsed.classCode !== place.classCode) {
    return { kind: 'mismatch', reason: `文件名指向第 ${parsed.classCode} 类，页面挂接在第 ${place.classCode} 类` };
  }
  // A file without a page number holds one material's pages in order; with one, its pages follow on.
  const pageNo = (parsed.pageNo ?? 1) + place.sourcePage - 1;
  if (parsed.pieceNo !== place.pieceNo || pageNo !== place.pageNo) return { kind: 'moved', named: { pieceNo: parsed.pieceNo, pageNo } };
  return { kind: 'ok' };
}

// ------------------------------------------------------------------------------------------------
// Image quality

/**
 * The automatic deskew searches ±12° (then refines by up to 1°): a page it turned by this much or more
 * may have been tilted further than it can see, so its residual skew is unknown.
 */
export const AUTO_DESKEW_LIMIT_DEG = 12;

export interface PageQualityFacts {
  dpi: number | null;
  blank: boolean;
  blurry: boolean;
  blurScore: number | null;
  edgeCut: boolean;
  /** Sides where content touches the edge, when known. */
  edges: { top: boolean; right: boolean; bottom: boolean; left: boolean } | null;
  /** The deskew angle applied. */
  skewDeg: number | null;
  /** The angle was set by a person, not measured. */
  manualSkew: boolean;
  /** The page is linked to a material (blank pages matter only inside materials). */
  linked: boolean;
}

export interface QualitySettings {
  minDpi: number;
  maxSkewDeg: number;
}

export interface Problem {
  code: CheckCode;
  /** What is wrong, in Chinese, without the page's place (the caller adds it). */
  text: string;
  detail: Record<string, unknown>;
}

const SIDE_LABELS = { top: '上', right: '右', bottom: '下', left: '左' } as const;

/** What the imaging step's measures say is wrong with one processed page. */
export function pageQualityProblems(p: PageQualityFacts, s: QualitySettings): Problem[] {
  const out: Problem[] = [];
  if (p.dpi !== null && p.dpi < s.minDpi) {
    out.push({ code: 'DPI_LOW', text: `分辨率 ${p.dpi} dpi，低于要求的 ${s.minDpi} dpi`, detail: { dpi: p.dpi, minDpi: s.minDpi } });
  }
  if (!p.manualSkew && p.skewDeg !== null && Math.abs(p.skewDeg) >= AUTO_DESKEW_LIMIT_DEG) {
    out.push({
      code: 'SKEW_RESIDUAL',
      text: `原图倾斜约 ${Math.abs(p.skewDeg)}°，已达自动纠偏范围的边缘，纠偏后可能仍倾斜超过 ${s.maxSkewDeg}°，请人工核对或手动纠偏`,
      detail: { skewDeg: p.skewDeg, limitDeg: AUTO_DESKEW_LIMIT_DEG, maxSkewDeg: s.maxSkewDeg },
    });
  }
  if (p.blank) {
    if (p.linked) out.push({ code: 'BLANK_PAGE', text: '空白页，请确认是否为多扫的背面', detail: {} });
    // A blank page has no edges or ink to judge by.
    return out;
  }
  if (p.blurry) {
    out.push({ code: 'BLURRY', text: `图像模糊（清晰度 ${p.blurScore ?? '—'}），须重扫`, detail: { blurScore: p.blurScore } });
  }
  if (p.edgeCut) {
    const sides = p.edges ? (Object.keys(SIDE_LABELS) as (keyof typeof SIDE_LABELS)[]).filter((k) => p.edges![k]) : [];
    const where = sides.length ? `${sides.map((k) => SIDE_LABELS[k]).join('、')}边` : '边缘';
    out.push({ code: 'EDGE_CUT', text: `内容在${where}被截断，可能扫描不全`, detail: { sides } });
  }
  return out;
}

/**
 * Whether a page's scan carried colour at all. The imaging step stores a colour master whenever it
 * measures colour content, so a colour page is never stored grey; what can be lost is colour never
 * captured: a file with one channel (no paper chroma measured) or three equal channels (paper chroma
 * exactly 0 and no coloured pixel), i.e. a greyscale or bitonal scan.
 * Null when the page's measures do not say.
 */
export function colourCaptured(measure: { paperChroma?: unknown; colorPixels?: unknown } | null, colorMode: string | null): boolean | null {
  if (colorMode === 'color') return true;
  if (!measure || !('paperChroma' in measure)) return null;
  if (measure.paperChroma === null) return false;
  return !(measure.paperChroma === 0 && measure.colorPixels === 0);
}

// ------------------------------------------------------------------------------------------------
// Duplicates

/** Bits that differ between two hex strings of the same length (64-bit dHash: 16 digits). */
export function hammingDistance(a: string, b: string): number {
  if (a.length !== b.length || !/^[0-9a-f]*$/i.test(a) || !/^[0-9a-f]*$/i.test(b)) {
    throw new Error(`无法比较的感知哈希：“${a}”与“${b}”`);
  }
  let bits = 0;
  for (let i = 0; i < a.length; i += 7) {
    let x = parseInt(a.slice(i, i + 7), 16) ^ parseInt(b.slice(i, i + 7), 16);
    while (x) {
      x &= x - 1;
      bits++;
    }
  }
  return bits;
}

/**
 * The stored dHash (9×8 grid of the whole page) only says two pages look alike from afar: two pages of
 * one form with different text can be 0 apart, and a rescan tilted 0.7° 9 apart (measured on the
 * synthetic test pages). It picks candidates; the page looks below decide.
 */
export const DHASH_CANDIDATE_DISTANCE = 12;

/** Side of a page look: the page's ink, box-fitted, on a square grid. */
export const LOOK_SIZE = 96;
/** Tiles per side over which the look is compared. */
const LOOK_TILES = 4;
/** Tiles whose ink varies less than this are empty. */
const EMPTY_TILE_VARIANCE = 0.002;
/**
 * Two looks at least this alike everywhere are the same page. Measured on the synthetic test pages:
 * rescans (re-encoded, 0.7° and 3° tilt, scanner border, blur, 120 and 300 dpi, a speck) 0.95–1.00;
 * other pages of the same layout 0.57–0.72. Pages that differ only in a word or two per line (a form
 * letter for another person) score 0.90–0.93 and count as the same page.
 */
export const DUPLICATE_MIN_SIMILARITY = 0.9;
/** Ink boxes whose shapes differ by more than this ratio are not the same page. */
const MAX_ASPECT_RATIO = 1.1;

/**
 * A page's ink as a `LOOK_SIZE`² grid (0 = paper, 255 = full ink) stretched over the box that holds
 * its ink, so margins, crops and resolution do not matter, and the box's width/height.
 */
export interface PageLook {
  grid: Uint8Array;
  aspect: number;
}

/**
 * How alike two page looks are: the lowest correlation over a 4×4 tiling (one empty tile against an
 * inked one counts 0), so every part of the page must agree, not only its layout: a changed heading
 * or a different name in one line is enough to tell two pages of the same form apart.
 */
export function lookSimilarity(a: PageLook, b: PageLook): number {
  if (a.grid.length !== LOOK_SIZE * LOOK_SIZE || b.grid.length !== LOOK_SIZE * LOOK_SIZE) throw new Error('页面特征尺寸不符');
  const ratio = a.aspect / b.aspect;
  if (ratio > MAX_ASPECT_RATIO || ratio < 1 / MAX_ASPECT_RATIO) return 0;
  const k = LOOK_SIZE / LOOK_TILES;
  const m = k * k;
  let min = 1;
  for (let ty = 0; ty < LOOK_TILES; ty++) {
    for (let tx = 0; tx < LOOK_TILES; tx++) {
      let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
      for (let y = 0; y < k; y++) {
        const row = (ty * k + y) * LOOK_SIZE + tx * k;
        for (let x = 0; x < k; x++) {
          const va = a.grid[row + x]! / 255;
          const vb = b.grid[row + x]! / 255;
          sa += va;
          sb += vb;
          saa += va * va;
          sbb += vb * vb;
          sab += va * vb;
        }
      }
      const varA = saa / m - (sa / m) ** 2;
      const varB = sbb / m - (sb / m) ** 2;
      if (varA < EMPTY_TILE_VARIANCE && varB < EMPTY_TILE_VARIANCE) continue;
      const r = varA < EMPTY_TILE_VARIANCE || varB < EMPTY_TILE_VARIANCE ? 0 : (sab / m - (sa / m) * (sb / m)) / Math.sqrt(varA * varB);
      if (r < min) min = r;
    }
  }
  return Math.round(min * 1000) / 1000;
}

/** Joins pairs into groups of the same page; groups keep the order of `ids`, as do their members. */
export function duplicateGroups(ids: readonly string[], pairs: ReadonlyArray<readonly [string, string]>): string[][] {
  const parent = new Map(ids.map((id) => [id, id]));
  const root = (id: string): string => {
    let r = id;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(id, r);
    return r;
  };
  const order = new Map(ids.map((id, i) => [id, i]));
  for (const [a, b] of pairs) {
    if (!parent.has(a) || !parent.has(b)) continue;
    const [ra, rb] = [root(a), root(b)];
    if (ra === rb) continue;
    // The earlier page stays the root, so it is the one the others are reported against.
    if (order.get(ra)! < order.get(rb)!) parent.set(rb, ra);
    else parent.set(ra, rb);
  }
  const groups = new Map<string, string[]>();
  for (const id of ids) {
    const r = root(id);
    groups.set(r, [...(groups.get(r) ?? []), id]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}
