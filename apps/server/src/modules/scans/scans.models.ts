import type { PageAnalysis, PageOps, ScanFile, ScanPage } from '@dangan/contracts';
import type { ScanFileTable } from '../../platform/db/schema.js';
import type { PageRow } from './scans.repository.js';

export function toScanFile(row: ScanFileTable, duplicateOf: ScanFile['duplicateOf'] = null): ScanFile {
  return {
    id: row.id,
    batchId: row.batch_id,
    name: row.name,
    size: Number(row.size),
    format: (row.format as ScanFile['format']) ?? null,
    pageCount: row.page_count,
    status: row.status,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    duplicateOf,
    createdAt: row.created_at,
  };
}

export function parseOps(text: string): PageOps {
  try {
    return JSON.parse(text) as PageOps;
  } catch {
    return {};
  }
}

export function toScanPage(row: PageRow & { file_name: string }): ScanPage {
  const stored = row.analysis ? (JSON.parse(row.analysis) as PageAnalysis & Record<string, unknown>) : null;
  const analysis: PageAnalysis | null = stored
    ? {
        skewDeg: stored.skewDeg, rotation: stored.rotation, cropBox: stored.cropBox, blank: stored.blank, blurScore: stored.blurScore,
        blurry: stored.blurry, dpi: stored.dpi, dpiLow: stored.dpiLow, colorMode: stored.colorMode, hasColorContent: stored.hasColorContent,
        edgeContent: stored.edgeContent, specklesRemoved: stored.specklesRemoved, width: stored.width, height: stored.height,
      }
    : null;
  return {
    id: row.id,
    dossierId: row.dossier_id,
    materialId: row.material_id,
    pageNo: row.page_no,
    unlinkedOrder: row.unlinked_order,
    fileId: row.file_id,
    fileName: row.file_name,
    sourcePage: row.source_page,
    status: row.status,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    analysis,
    ops: parseOps(row.ops),
    version: row.version,
    processedAt: row.processed_at,
    updatedAt: row.updated_at,
  };
}

export const MIME_OF_FORMAT: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  tiff: 'image/tiff',
  pdf: 'application/pdf',
};
