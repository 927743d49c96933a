import { describe, expect, it } from 'vitest';
import {
  CHECK_CODES, LOOK_SIZE, checkPageName, colourCaptured, describeSequence, duplicateGroups, hammingDistance, hasSequenceProblems,
  lookSimilarity, pageQualityProblems, sequenceProblems, type PageLook, type PageQualityFacts,
} from './digitization-checks.js';

describe('numbering', () => {
  it('accepts exactly 1..n in any order', () => {
    const p = sequenceProblems([3, 1, 2]);
    expect(p).toEqual({ missing: [], repeated: [], outOfRange: [], unnumbered: 0 });
    expect(hasSequenceProblems(p)).toBe(false);
    expect(hasSequenceProblems(sequenceProblems([]))).toBe(false);
  });

  it('names gaps, repeats, numbers past the end and unnumbered items', () => {
    const gap = sequenceProblems([1, 2, 4]);
    expect(gap).toEqual({ missing: [3], repeated: [], outOfRange: [4], unnumbered: 0 });
    expect(describeSequence(gap, '页')).toBe('缺第 3 页；第 4 页超出范围');
    const twice = sequenceProblems([1, 2, 2, null]);
    expect(twice).toEqual({ missing: [3, 4], repeated: [2], outOfRange: [], unnumbered: 1 });
    expect(describeSequence(twice, '份')).toBe('缺第 3、4 份；第 2 份重复；1 项无编号');
    expect(sequenceProblems([0, 1]).outOfRange).toEqual([0]);
  });
});

describe('file names against the place a page is linked to', () => {
  const place = { dossierNo: 'A001', classCode: '4-1' as const, pieceNo: 2, pageNo: 3, sourcePage: 1 };
  const named = (over: Partial<{ dossierNo: string | null; classCode: '4-1' | '1'; pieceNo: number; pageNo: number | null }>) => ({
    dossierNo: 'A001', classCode: '4-1' as const, pieceNo: 2, pageNo: 3, ext: 'jpg', ...over,
  });

  it('is satisfied when the name says where the page is', () => {
    expect(checkPageName(named({}), place)).toEqual({ kind: 'ok' });
    expect(checkPageName(named({ dossierNo: null }), place)).toEqual({ kind: 'ok' });
  });

  it('reads a multi-page file as the material\'s pages in order', () => {
    expect(checkPageName(named({ pageNo: null }), { ...place, sourcePage: 3 })).toEqual({ kind: 'ok' });
    expect(checkPageName(named({ pageNo: 2 }), { ...place, sourcePage: 2 })).toEqual({ kind: 'ok' });
    expect(checkPageName(named({ pageNo: null }), { ...place, sourcePage: 2 })).toEqual({ kind: 'moved', named: { pieceNo: 2, pageNo: 2 } });
  });

  it('fails another dossier or class, and reports a moved page or a free name', () => {
    expect(checkPageName(named({ dossierNo: 'A002' }), place)).toMatchObject({ kind: 'mismatch', reason: expect.stringContaining('A002') });
    expect(checkPageName(named({ classCode: '1' }), place)).toMatchObject({ kind: 'mismatch', reason: expect.stringContaining('第 1 类') });
    expect(checkPageName(named({ pieceNo: 1 }), place)).toEqual({ kind: 'moved', named: { pieceNo: 1, pageNo: 3 } });
    expect(checkPageName(null, place)).toEqual({ kind: 'free' });
  });
});

describe('image quality', () => {
  const clean: PageQualityFacts = {
    dpi: 300, blank: false, blurry: false, blurScore: 60, edgeCut: false, edges: null, skewDeg: 3.2, manualSkew: false, linked: true,
  };
  const settings = { minDpi: 300, maxSkewDeg: 1 };
  const codes = (p: Partial<PageQualityFacts>) => pageQualityProblems({ ...clean, ...p }, settings).map((x) => x.code);

  it('passes a clean page, however much it was deskewed within the search range', () => {
    expect(codes({})).toEqual([]);
  });

  it('flags low resolution, blur and cut edges with what was measured', () => {
    expect(codes({ dpi: 200, blurry: true, blurScore: 31, edgeCut: true })).toEqual(['DPI_LOW', 'BLURRY', 'EDGE_CUT']);
    const [edge] = pageQualityProblems({ ...clean, edgeCut: true, edges: { top: false, right: true, bottom: true, left: false } }, settings);
    expect(edge!.text).toContain('右、下边');
    expect(pageQualityProblems({ ...clean, dpi: 150 }, settings)[0]!.text).toBe('分辨率 150 dpi，低于要求的 300 dpi');
  });

  it('flags a correction at the edge of the deskew search, unless a person set the angle', () => {
    expect(codes({ skewDeg: -12.5 })).toEqual(['SKEW_RESIDUAL']);
    expect(codes({ skewDeg: 11.9 })).toEqual([]);
    expect(codes({ skewDeg: 14, manualSkew: true })).toEqual([]);
  });

  it('warns of a blank page inside a material only, and judges nothing else on it', () => {
    expect(codes({ blank: true, blurry: true, edgeCut: true })).toEqual(['BLANK_PAGE']);
    expect(CHECK_CODES.BLANK_PAGE.severity).toBe('warning');
    expect(codes({ blank: true, linked: false })).toEqual([]);
  });

  it('tells a greyscale or bitonal scan from a colour one by the paper chroma measured', () => {
    expect(colourCaptured({ paperChroma: null, colorPixels: 0 }, 'gray')).toBe(false);
    expect(colourCaptured({ paperChroma: 0, colorPixels: 0 }, 'gray')).toBe(false);
    expect(colourCaptured({ paperChroma: 4, colorPixels: 0 }, 'gray')).toBe(true);
    expect(colourCaptured({ paperChroma: 0, colorPixels: 0 }, 'color')).toBe(true);
    expect(colourCaptured(null, 'gray')).toBeNull();
  });
});

describe('duplicates', () => {
  it('counts differing bits of 64-bit hashes', () => {
    expect(hammingDistance('80e0b0f0e0000000', '80e0b0f0e0000000')).toBe(0);
    expect(hammingDistance('80e0b0f0e0000000', '80e0b0f000000000')).toBe(3);
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('8000000000000001', '0000000000000000')).toBe(2);
    expect(() => hammingDistance('00', '000')).toThrow();
    expect(() => hammingDistance('zz', '00')).toThrow();
  });

  const look = (paint: (x: number, y: number) => number, aspect = 0.7): PageLook => {
    const grid = new Uint8Array(LOOK_SIZE * LOOK_SIZE);
    for (let y = 0; y < LOOK_SIZE; y++) for (let x = 0; x < LOOK_SIZE; x++) grid[y * LOOK_SIZE + x] = paint(x, y);
    return { grid, aspect };
  };
  // Lines of "text": ink in rows 4 of every 8, with a pattern of strokes per line from `seed`.
  const page = (seed: number, lines = 12) =>
    look((x, y) => (Math.floor(y / 8) < lines && y % 8 < 4 && ((x * 7 + Math.floor(y / 8) * seed) % 11) < 6 ? 230 : 10));

  it('finds the same page alike everywhere, and another page of the same layout not', () => {
    const a = page(3);
    expect(lookSimilarity(a, a)).toBe(1);
    const faint = { grid: a.grid.map((v) => Math.round(v * 0.8 + 20)), aspect: 0.71 };
    expect(lookSimilarity(a, faint)).toBeGreaterThanOrEqual(0.99);
    expect(lookSimilarity(a, page(5))).toBeLessThan(0.9);
  });

  it('tells pages apart by one part alone: ink where the other has none, or another shape of ink box', () => {
    expect(lookSimilarity(page(3), page(3, 9))).toBe(0);
    expect(lookSimilarity(page(3), { ...page(3), aspect: 0.9 })).toBe(0);
  });

  it('groups pairs into pages scanned more than once, reported against the first', () => {
    expect(duplicateGroups(['a', 'b', 'c', 'd', 'e'], [['c', 'e'], ['e', 'a'], ['b', 'x']])).toEqual([['a', 'c', 'e']]);
    expect(duplicateGroups(['a', 'b'], [])).toEqual([]);
  });
});
