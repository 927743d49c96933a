import {
  DHASH_CANDIDATE_DISTANCE, DUPLICATE_MIN_SIMILARITY, checkPageName, colourCaptured, compareClassCodes, describeSequence,
  duplicateGroups, hammingDistance, hasSequenceProblems, lookSimilarity, pageQualityProblems, parseScanName, sequenceProblems,
  type ClassCode, type LeafClassCode, type PageLook, type QualitySettings,
} from '@dangan/domain';
import type { DatabaseKind, Db } from '../../platform/db/connect.js';
import type { CheckRunTable } from '../../platform/db/schema.checks.js';
import { PermanentJobError } from '../../platform/queue/runner.js';
import { parseOps } from '../scans/scans.models.js';
import { codedFailure } from '../scans/scans.ports.js';
import type { SettingsService } from '../settings/settings.service.js';
import type { PageLookPort } from './checks.images.js';
import { SECTION, batchDuplicateMessage, parseContext, placeOf, type FindingDraft, type PageSnapshot } from './checks.models.js';
import { checksRepository } from './checks.repository.js';

export interface EvaluateDeps {
  db: Db;
  kind: DatabaseKind;
  settings: SettingsService;
  looks: PageLookPort;
}

export interface Evaluation {
  drafts: FindingDraft[];
  /** The settings and thresholds used, stored with the run. */
  params: Record<string, unknown>;
}

type Repo = ReturnType<typeof checksRepository>;
type PageRow = Awaited<ReturnType<Repo['livePages']>>[number];
type MaterialRow = Awaited<ReturnType<Repo['materials']>>[number];
type OtherPage = Awaited<ReturnType<Repo['comparablePages']>>[number];

/** A page whose measures belong to its current version (a corrected page awaiting processing has none). */
function processedNow(p: PageRow): boolean {
  return p.status === 'processed' && p.processed_version === p.version;
}

function json<T>(text: string | null): T | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/**
 * Everything the checks find in one dossier, except the completeness report (read in the transaction
 * that stores the findings). Reads only; the caller stores.
 */
export async function evaluateDossier(deps: EvaluateDeps, run: CheckRunTable): Promise<Evaluation> {
  const repo = checksRepository(deps.db, deps.kind);
  const dossier = await repo.dossierById(run.dossier_id);
  if (!dossier) throw new PermanentJobError('DOSSIER_NOT_FOUND', '要校验的档案不存在');
  const quality: QualitySettings = { minDpi: await deps.settings.get('scan.minDpi'), maxSkewDeg: await deps.settings.get('checks.maxSkewDeg') };
  const templates = await deps.settings.get('scan.namingTemplates');
  const materials = await repo.materials(dossier.id);
  const pages = await repo.livePages(dossier.id);

  const live = materials
    .filter((m) => !m.deleted_at)
    .sort((a, b) => compareClassCodes(a.class_code as ClassCode, b.class_code as ClassCode) || a.piece_no - b.piece_no);
  const liveIndex = new Map(live.map((m, i) => [m.id, i]));
  const byId = new Map(materials.map((m) => [m.id, m]));
  const snap = (p: PageRow): PageSnapshot => {
    const m = p.material_id ? byId.get(p.material_id) : undefined;
    return {
      pageId: p.id, dossierId: dossier.id, dossierNo: dossier.dossier_no, materialId: p.material_id, materialSeq: m?.seq ?? null,
      materialName: m?.name ?? null, pageNo: m ? p.page_no : null, unlinkedOrder: p.unlinked_order, fileName: p.file_name, sourcePage: p.source_page,
    };
  };
  const orderOf = (p: PageRow, i: number): FindingDraft['order'] => {
    if (p.material_id === null) return [SECTION.unlinked, 0, p.unlinked_order ?? i];
    const at = liveIndex.get(p.material_id);
    return at === undefined ? [SECTION.orphan, 0, i] : [SECTION.material, at, p.page_no ?? 0];
  };

  const drafts: FindingDraft[] = [
    ...catalogueFindings(live),
    ...materialFindings(live, pages, snap),
    ...pageFindings({ pages, live: liveIndex, byId, dossierNo: dossier.dossier_no, templates, quality, snap, orderOf }),
  ];
  const comparable = pages
    .map((p, i) => ({ p, order: orderOf(p, i) }))
    .filter(({ p }) => processedNow(p) && p.blank === 0 && p.phash !== null && p.web_blob_id !== null)
    .sort((a, b) => compareOrder(a.order, b.order));
  const looks = lookCache(deps.looks);
  drafts.push(...(await duplicateFindings(comparable, looks, snap)));
  const siblings = parseContext(run.context).siblingDossierIds.filter((id) => id !== dossier.id);
  if (siblings.length > 0) drafts.push(...(await batchDuplicateFindings(comparable, await repo.comparablePages(siblings), looks, snap)));

  return {
    drafts,
    params: {
      ...quality, namingTemplates: templates, dhashCandidateDistance: DHASH_CANDIDATE_DISTANCE, duplicateMinSimilarity: DUPLICATE_MIN_SIMILARITY,
      pages: pages.length, materials: live.length, siblingDossiers: siblings.length, looksCompared: looks.size(),
    },
  };
}

export function compareOrder(a: FindingDraft['order'], b: FindingDraft['order']): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** 份号 1..n in each class, and each 序号 written as 类号-份号. */
function catalogueFindings(live: MaterialRow[]): FindingDraft[] {
  const out: FindingDraft[] = [];
  const classes = [...new Set(live.map((m) => m.class_code))];
  classes.forEach((classCode, ci) => {
    const inClass = live.filter((m) => m.class_code === classCode);
    const seq = sequenceProblems(inClass.map((m) => m.piece_no));
    if (hasSequenceProblems(seq)) {
      out.push({
        code: 'CATALOGUE_SEQUENCE', message: `第 ${classCode} 类目录序号不连续：${describeSequence(seq, '份')}`, materialId: null, page: null,
        related: [], detail: { classCode, ...seq }, order: [SECTION.catalogue, ci, 0],
      });
    }
    for (const m of inClass) {
      const expected = `${m.class_code}-${m.piece_no}`;
      if (m.seq === expected) continue;
      out.push({
        code: 'CATALOGUE_SEQUENCE', message: `材料「${m.name}」的序号记为 ${m.seq}，按类号和份号应为 ${expected}`, materialId: m.id, page: null,
        related: [], detail: { recorded: m.seq, expected }, order: [SECTION.catalogue, ci, m.piece_no],
      });
    }
  });
  return out;
}

/** Each material's linked pages against its catalogue page count, numbered 1..n. */
function materialFindings(live: MaterialRow[], pages: PageRow[], snap: (p: PageRow) => PageSnapshot): FindingDraft[] {
  const out: FindingDraft[] = [];
  live.forEach((m, mi) => {
    const linked = pages.filter((p) => p.material_id === m.id).sort((a, b) => (a.page_no ?? 0) - (b.page_no ?? 0));
    const where = `${m.seq}「${m.name}」`;
    if (linked.length !== m.pages) {
      const diff = linked.length < m.pages ? `少 ${m.pages - linked.length} 页` : `多 ${linked.length - m.pages} 页`;
      out.push({
        code: 'PAGE_COUNT_MISMATCH', message: `${where}目录页数为 ${m.pages}，已挂接 ${linked.length} 页（${diff}）`, materialId: m.id,
        page: null, related: [], detail: { expected: m.pages, linked: linked.length }, order: [SECTION.material, mi, 0],
      });
    }
    const seq = sequenceProblems(linked.map((p) => p.page_no));
    if (hasSequenceProblems(seq)) {
      const wrong = new Set([...seq.repeated, ...seq.outOfRange]);
      const offending = linked.filter((p) => p.page_no === null || wrong.has(p.page_no));
      out.push({
        code: 'PAGE_SEQUENCE', message: `${where}页号不连续：${describeSequence(seq, '页')}`, materialId: m.id,
        page: offending[0] ? snap(offending[0]) : null, related: offending.slice(1).map(snap), detail: { ...seq }, order: [SECTION.material, mi, 0],
      });
    }
  });
  return out;
}

interface PageContext {
  pages: PageRow[];
  live: Map<string, number>;
  byId: Map<string, MaterialRow>;
  dossierNo: string;
  templates: readonly string[];
  quality: QualitySettings;
  snap: (p: PageRow) => PageSnapshot;
  orderOf: (p: PageRow, i: number) => FindingDraft['order'];
}

/** Linking, processing, file name and image quality of each page; colour per material. */
function pageFindings(c: PageContext): FindingDraft[] {
  const out: FindingDraft[] = [];
  const greyByMaterial = new Map<string, PageRow[]>();
  c.pages.forEach((p, i) => {
    const page = c.snap(p);
    const where = placeOf(page);
    const order = c.orderOf(p, i);
    const add = (code: FindingDraft['code'], message: string, detail: Record<string, unknown> = {}) =>
      out.push({ code, message, materialId: p.material_id, page, related: [], detail, order });
    const material = p.material_id ? c.byId.get(p.material_id) : undefined;
    const linked = material !== undefined && c.live.has(material.id);
    if (p.material_id === null) add('PAGE_UNLINKED', `${where}未挂接到任何材料`);
    else if (!linked) {
      add('PAGE_ORPHAN', material ? `${where}挂接的材料 ${material.seq}「${material.name}」已删除` : `${where}挂接的材料不在本档案中`, {
        materialDeletedAt: material?.deleted_at ?? null,
      });
    }

    if (linked) {
      const verdict = checkPageName(parseScanName(c.templates, p.file_name), {
        dossierNo: c.dossierNo, classCode: material.class_code as LeafClassCode, pieceNo: material.piece_no, pageNo: p.page_no ?? 0, sourcePage: p.source_page,
      });
      if (verdict.kind === 'free') {
        add('FILE_NAME_FREE', `${where}：文件名“${p.file_name}”不符合命名规则（人工挂接），导出时按现位置命名`);
      } else if (verdict.kind === 'mismatch') {
        add('FILE_NAME_MISMATCH', `${where}：${verdict.reason}（文件名“${p.file_name}”）`, { fileName: p.file_name });
      } else if (verdict.kind === 'moved') {
        add('FILE_NAME_MOVED', `${where}：文件名“${p.file_name}”指向 ${material.class_code}-${verdict.named.pieceNo} 第 ${verdict.named.pageNo} 页`, {
          named: verdict.named,
        });
      }
    }

    if (p.status === 'failed') {
      add('PAGE_PROCESS_FAILED', `${where}：图像处理失败${p.error_message ? `（${p.error_message}）` : ''}，须重扫或人工处理`);
      return;
    }
    if (!processedNow(p)) {
      add('PAGE_NOT_PROCESSED', `${where}：图像尚未处理完成，无法检查图像质量，请处理完成后重新校验`, { status: p.status });
      return;
    }
    const analysis = json<{ edgeContent?: { top: boolean; right: boolean; bottom: boolean; left: boolean } }>(p.analysis);
    const problems = pageQualityProblems(
      {
        dpi: p.dpi, blank: p.blank === 1, blurry: p.blurry === 1, blurScore: p.blur_score, edgeCut: p.edge_cut === 1,
        edges: analysis?.edgeContent ?? null, skewDeg: p.skew_deg, manualSkew: parseOps(p.ops).skewDeg !== undefined, linked,
      },
      c.quality,
    );
    for (const q of problems) add(q.code, `${where}：${q.text}`, q.detail);

    const steps = json<Array<{ name: string; result: { paperChroma?: unknown; colorPixels?: unknown } }>>(p.steps);
    const measure = steps?.find((s) => s.name === 'measure')?.result ?? null;
    if (linked && p.blank !== 1 && colourCaptured(measure, p.color_mode) === false) {
      greyByMaterial.set(material.id, [...(greyByMaterial.get(material.id) ?? []), p]);
    }
  });
  for (const [materialId, grey] of greyByMaterial) {
    const m = c.byId.get(materialId)!;
    const sorted = grey.sort((a, b) => (a.page_no ?? 0) - (b.page_no ?? 0));
    out.push({
      code: 'COLOR_NOT_CAPTURED',
      message: `${m.seq}「${m.name}」有 ${grey.length} 页为灰度或黑白扫描（第 ${pageList(sorted.map((p) => p.page_no ?? 0))} 页），红头、印章、照片等彩色内容无法保留；如含彩色内容须彩色重扫`,
      materialId, page: c.snap(sorted[0]!), related: sorted.slice(1).map(c.snap), detail: { pages: grey.length },
      order: [SECTION.material, c.live.get(materialId)!, sorted[0]!.page_no ?? 0],
    });
  }
  return out;
}

/** "1、2、3" — or the first ten and "等" when there are more. */
function pageList(numbers: number[]): string {
  return numbers.length > 10 ? `${numbers.slice(0, 10).join('、')}等` : numbers.join('、');
}

/** Looks of pages by web image, each computed once per run; an unreadable image is not compared. */
function lookCache(port: PageLookPort) {
  const cache = new Map<string, Promise<PageLook | null>>();
  return {
    get(blobId: string): Promise<PageLook | null> {
      let look = cache.get(blobId);
      if (!look) {
        look = port.look(blobId).catch((err: unknown) => {
          if (codedFailure(err)) return null;
          throw err;
        });
        cache.set(blobId, look);
      }
      return look;
    },
    size: () => cache.size,
  };
}

type Looks = ReturnType<typeof lookCache>;
interface Comparable {
  p: PageRow;
  order: FindingDraft['order'];
}

async function similarity(looks: Looks, a: string, b: string): Promise<number | null> {
  const [la, lb] = [await looks.get(a), await looks.get(b)];
  return la && lb ? lookSimilarity(la, lb) : null;
}

/** The same page scanned twice within the dossier: each later copy against the first. */
async function duplicateFindings(comparable: Comparable[], looks: Looks, snap: (p: PageRow) => PageSnapshot): Promise<FindingDraft[]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < comparable.length; i++) {
    for (let j = i + 1; j < comparable.length; j++) {
      const [a, b] = [comparable[i]!.p, comparable[j]!.p];
      if (hammingDistance(a.phash!, b.phash!) > DHASH_CANDIDATE_DISTANCE) continue;
      const s = await similarity(looks, a.web_blob_id!, b.web_blob_id!);
      if (s !== null && s >= DUPLICATE_MIN_SIMILARITY) pairs.push([a.id, b.id]);
    }
  }
  const byId = new Map(comparable.map((c) => [c.p.id, c]));
  const out: FindingDraft[] = [];
  for (const group of duplicateGroups(comparable.map((c) => c.p.id), pairs)) {
    const first = byId.get(group[0]!)!;
    for (const id of group.slice(1)) {
      const copy = byId.get(id)!;
      const s = await similarity(looks, first.p.web_blob_id!, copy.p.web_blob_id!);
      out.push({
        code: 'DUPLICATE_PAGE', message: `${placeOf(snap(copy.p))}与${placeOf(snap(first.p))}是同一页的重复扫描`, materialId: copy.p.material_id,
        page: snap(copy.p), related: [snap(first.p)],
        detail: { similarity: s, hammingDistance: hammingDistance(first.p.phash!, copy.p.phash!), groupSize: group.length },
        order: copy.order,
      });
    }
  }
  return out;
}

/** Pages of this dossier that are also in another dossier of the batch (a page filed twice). */
async function batchDuplicateFindings(
  comparable: Comparable[],
  others: OtherPage[],
  looks: Looks,
  snap: (p: PageRow) => PageSnapshot,
): Promise<FindingDraft[]> {
  const out: FindingDraft[] = [];
  for (const { p, order } of comparable) {
    const matches: PageSnapshot[] = [];
    let best = 0;
    for (const o of others) {
      if (o.phash === null || o.web_blob_id === null || hammingDistance(p.phash!, o.phash) > DHASH_CANDIDATE_DISTANCE) continue;
      const s = await similarity(looks, p.web_blob_id!, o.web_blob_id);
      if (s === null || s < DUPLICATE_MIN_SIMILARITY) continue;
      best = Math.max(best, s);
      matches.push({
        pageId: o.id, dossierId: o.dossier_id, dossierNo: o.dossier_no, materialId: o.material_id, materialSeq: o.material_seq,
        materialName: o.material_name, pageNo: o.material_id ? o.page_no : null, unlinkedOrder: o.unlinked_order, fileName: o.file_name,
        sourcePage: o.source_page,
      });
    }
    if (matches.length === 0) continue;
    out.push({
      code: 'DUPLICATE_IN_BATCH',
      message: batchDuplicateMessage(snap(p), matches),
      materialId: p.material_id,
      page: snap(p), related: matches, detail: { similarity: best }, order,
    });
  }
  return out;
}
