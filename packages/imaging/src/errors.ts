/**
 * What can go wrong with a scanned file, with a stable code for the API and a Chinese message for the
 * user. The ingest pipeline records the code on the file or page and goes on with the rest of the batch.
 */
export type ImagingErrorCode =
  | 'IMAGE_UNSUPPORTED_TYPE'
  | 'IMAGE_CORRUPT'
  | 'IMAGE_TOO_MANY_PIXELS'
  | 'IMAGE_TOO_LARGE'
  | 'IMAGE_EMPTY'
  | 'PDF_PAGE_NO_IMAGE';

export class ImagingError extends Error {
  constructor(
    readonly code: ImagingErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ImagingError';
  }
}
