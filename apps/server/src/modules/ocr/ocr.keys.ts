/** The OCR step's job kind, apart from the job itself so the image step can enqueue it without a cycle. */
export const PAGE_OCR_JOB = 'page.ocr';

/** The dedupe key of a page version's OCR job: one job per version, however often it is asked for. */
export function ocrDedupeKey(pageId: string, version: number): string {
  return `${PAGE_OCR_JOB}:${pageId}:${version}`;
}
