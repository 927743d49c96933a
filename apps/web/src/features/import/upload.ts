import { IMPORT_TYPES, api, type ImportReport } from '@dangan/contracts';
import { useCallback } from 'react';
import { upload } from '../../api/client';

export type ImportKind = 'cadres' | 'materials';

/** The limit the server sets for an import file (20 MB). */
export const MAX_IMPORT_BYTES = api.catalogueIo.import.consumes?.maxBytes ?? 20 * 1024 * 1024;

/** A file chosen for import, read once: the bytes checked are the bytes imported. */
export interface ChosenFile {
  name: string;
  size: number;
  format: 'xlsx' | 'csv';
  bytes: ArrayBuffer;
}

/** The import file's type by its name; the server looks at the content, this only labels the request. */
export function formatOf(name: string): ChosenFile['format'] | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.xlsx')) return 'xlsx';
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'csv';
  return null;
}

/** Sends an import file as the raw request body, as `POST /api/catalogue/import` wants it. */
export async function uploadImport(file: ChosenFile, options: { dryRun: boolean; kind: ImportKind }): Promise<ImportReport> {
  return upload(
    api.catalogueIo.import,
    { type: file.format === 'xlsx' ? IMPORT_TYPES.xlsx : IMPORT_TYPES.csv, data: file.bytes },
    { query: { dryRun: options.dryRun ? 'true' : 'false', ...(file.format === 'csv' ? { kind: options.kind } : {}) } },
  );
}

/** The upload for components; the client's own hooks handle a lost or unfinished session. */
export function useImportUpload() {
  return useCallback((file: ChosenFile, options: { dryRun: boolean; kind: ImportKind }) => uploadImport(file, options), []);
}
