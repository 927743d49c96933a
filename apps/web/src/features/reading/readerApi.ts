import { api } from '@dangan/contracts';
import { ApiError, urlOf } from '../../api/client';

/** Query keys of the reading pages. */
export const readingKeys = {
  grants: ['reading', 'grants'] as const,
  catalogue: (sessionId: string) => ['reading', 'catalogue', sessionId] as const,
  ownLog: (query: unknown) => ['reading', 'own-log', query] as const,
  log: (query: unknown) => ['use', 'reading-log', query] as const,
  prints: (query: unknown) => ['use', 'prints', query] as const,
};

async function errorOf(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { code?: string; message?: string };
    return new ApiError(response.status, body.code ?? 'UNKNOWN', body.message ?? `请求失败（状态码 ${response.status}）`);
  } catch {
    return new ApiError(response.status, 'UNKNOWN', `请求失败（状态码 ${response.status}）`);
  }
}

/** Prints the chosen materials: the server answers with a PDF (watermarked, with its serial number). */
export async function printMaterials(sessionId: string, materialIds: string[], csrfToken: string): Promise<{ pdf: Blob; serialNo: string }> {
  const response = await fetch(urlOf(api.reading.print, { params: { id: sessionId } }), {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken, accept: 'application/pdf, application/json' },
    body: JSON.stringify({ materialIds }),
  });
  if (!response.ok) throw await errorOf(response);
  return { pdf: await response.blob(), serialNo: response.headers.get('x-print-serial') ?? '' };
}

/** Closes a reading window as the page goes away; `keepalive` lets the request outlive the page. */
export function closeWindow(sessionId: string, csrfToken: string): void {
  void fetch(urlOf(api.reading.close, { params: { id: sessionId } }), {
    method: 'POST', credentials: 'same-origin', keepalive: true, headers: { 'x-csrf-token': csrfToken, accept: 'application/json' },
  }).catch(() => undefined);
}

/** The watermarked image of a page at a width the screen needs (in steps, so the server's tiles are reused). */
export function pageImageUrl(sessionId: string, pageId: string, cssWidth: number): string {
  const px = Math.min(1600, Math.max(800, Math.ceil((cssWidth * (window.devicePixelRatio || 1)) / 400) * 400));
  return urlOf(api.reading.image, { params: { id: sessionId, pageId }, query: { w: px } });
}

/** Opens a PDF in a hidden frame and asks the browser to print it. */
export function printPdf(pdf: Blob): void {
  const url = URL.createObjectURL(pdf);
  const frame = document.createElement('iframe');
  frame.style.position = 'fixed';
  frame.style.width = '0';
  frame.style.height = '0';
  frame.style.border = '0';
  frame.src = url;
  frame.onload = () => {
    try {
      frame.contentWindow?.focus();
      frame.contentWindow?.print();
    } catch {
      // A browser that shows PDFs outside the page (no built-in viewer) opens it in a tab to print there.
      window.open(url, '_blank', 'noopener');
    }
    // The frame and its object URL go once the print dialog has had time to take the document.
    setTimeout(() => {
      frame.remove();
      URL.revokeObjectURL(url);
    }, 60_000);
  };
  document.body.appendChild(frame);
}
