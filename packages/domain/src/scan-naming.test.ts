import { describe, expect, it } from 'vitest';
import { checkScanPath, formatScanName, parseScanName } from './scan-naming.js';

const TEMPLATES = ['<档案号>/<类号>/<份号>/<页号>.<ext>', '<档案号>_<类号>-<份号>_<页号>.<ext>', '<档案号>_<类号>-<份号>.<ext>'];

describe('scan file names', () => {
  it('reads the nested layout, with outer folders and zero padding', () => {
    expect(parseScanName(TEMPLATES, '扫描/GB-0001/04-1/004/002.jpg')).toEqual({
      dossierNo: 'GB-0001', classCode: '4-1', pieceNo: 4, pageNo: 2, ext: 'jpg',
    });
  });

  it('reads the flat layout and the multi-page layout without a page number', () => {
    expect(parseScanName(TEMPLATES, 'GB-0001_09-2-003_011.TIF')).toEqual({
      dossierNo: 'GB-0001', classCode: '9-2', pieceNo: 3, pageNo: 11, ext: 'TIF',
    });
    expect(parseScanName(TEMPLATES, 'GB-0001_1-002.pdf')).toEqual({
      dossierNo: 'GB-0001', classCode: '1', pieceNo: 2, pageNo: null, ext: 'pdf',
    });
  });

  it('does not link names that do not fit, or name a class that has subclasses or does not exist', () => {
    expect(parseScanName(TEMPLATES, 'IMG_0001.jpg')).toBeNull();
    expect(parseScanName(TEMPLATES, 'GB-0001_04-001_001.jpg')).toBeNull(); // class 4 has subclasses
    expect(parseScanName(TEMPLATES, 'GB-0001_11-001_001.jpg')).toBeNull();
    expect(parseScanName(TEMPLATES, 'GB-0001_1-000_001.jpg')).toBeNull();
  });

  it('formats a canonical name that parses back to the same place', () => {
    const name = formatScanName(TEMPLATES[0]!, { dossierNo: 'A12', classCode: '9-4', pieceNo: 7, pageNo: 3, ext: 'jpg' });
    expect(name).toBe('A12/09-4/007/003.jpg');
    expect(parseScanName(TEMPLATES, name)).toMatchObject({ dossierNo: 'A12', classCode: '9-4', pieceNo: 7, pageNo: 3 });
  });

  it('refuses path tricks with a reason', () => {
    for (const bad of ['../etc/passwd', 'a/../../b.jpg', '/etc/passwd', 'C:\\Windows\\x.jpg', 'a\u0000.jpg', 'a//b.jpg', '..\\x.jpg', '']) {
      const r = checkScanPath(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(checkScanPath('GB-1\\04-1\\001\\001.jpg')).toEqual({ ok: true, path: 'GB-1/04-1/001/001.jpg' });
  });
});
