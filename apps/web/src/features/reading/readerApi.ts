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

/** Asks for a PDF of the chosen materials: the server answers it watermarked, with its serial number. */
async function materialsPdf(
  endpoint: typeof api.reading.print | typeof api.reading.export, sessionId: string, materialIds: string[], csrfToken: string,
): Promise<{ pdf: Blob; serialNo: string; disposition: string }> {
  const response = await fetch(urlOf(endpoint, { params: { id: sessionId } }), {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken, accept: 'application/pdf, application/json' },
    body: JSON.stringify({ materialIds }),
  });
  if (!response.ok) throw await errorOf(response);
  return {
    pdf: await response.blob(), serialNo: response.headers.get('x-print-serial') ?? '', disposition: response.headers.get('content-disposition') ?? '',
  };
}

/** Prints the chosen materials (the PDF goes to the print dialog). */
export async function printMaterials(sessionId: string, materialIds: string[], csrfToken: string): Promise<{ pdf: Blob; serialNo: string }> {
  const { pdf, serialNo } = await materialsPdf(api.reading.print, sessionId, materialIds, csrfToken);
  return { pdf, serialNo };
}

/** An excerpt grant's searchable PDF of the chosen materials, with the file name the server gives it. */
export async function exportMaterials(sessionId: string, materialIds: string[], csrfToken: string): Promise<{ pdf: Blob; serialNo: string; fileName: string }> {
  const { pdf, serialNo, disposition } = await materialsPdf(api.reading.export, sessionId, materialIds, csrfToken);
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  return { pdf, serialNo, fileName: encoded ? decodeURIComponent(encoded) : `${serialNo || '查阅导出'}.pdf` };
}

/** Saves a file the page already holds, through a link with a download name. */
export function saveFile(file: Blob, fileName: string): void {
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Some browsers read the object URL only after the click has returned: it goes a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
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
