import { Me, type BodyOf, type Endpoint, type ParamsOf, type QueryOf, type ResponseOf } from '@dangan/contracts';
import { api } from '@dangan/contracts';

/** An error answer of the API: `{code, message, fields?}` with a Chinese message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Defined<T> = [T] extends [never] ? false : true;

/** What a call needs: path params and body when the endpoint has them, an optional query. */
export type CallInput<E extends Endpoint> = (Defined<ParamsOf<E>> extends true ? { params: ParamsOf<E> } : unknown) &
  (Defined<QueryOf<E>> extends true ? { query?: QueryOf<E> } : unknown) &
  (Defined<BodyOf<E>> extends true ? { body: BodyOf<E> } : unknown);

type CallArgs<E extends Endpoint> = Defined<ParamsOf<E>> extends true
  ? [input: CallInput<E>]
  : Defined<BodyOf<E>> extends true
    ? [input: CallInput<E>]
    : [input?: CallInput<E>];

interface ClientHooks {
  /** A signed-in request came back 401: the session is gone. */
  onUnauthorized(error: ApiError): void;
  /** 403 LOGIN_INCOMPLETE: the session must finish its login steps first. */
  onLoginIncomplete(error: ApiError): void;
  /** Every request that reached the server: it refreshed the session's idle clock. */
  onActivity(): void;
}

const noop = () => undefined;
let hooks: ClientHooks = { onUnauthorized: noop, onLoginIncomplete: noop, onActivity: noop };
let csrfToken: string | null = null;

export function setClientHooks(next: Partial<ClientHooks>): void {
  hooks = { ...hooks, ...next };
}

/** The CSRF token lives in memory only; it comes with every `Me` answer. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function buildPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z_]+)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null || value === '') throw new Error(`缺少路径参数 ${name}`);
    return encodeURIComponent(String(value));
  });
}

export function buildQuery(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, String(v));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

export function urlOf(e: Endpoint, input: { params?: unknown; query?: unknown } = {}): string {
  return buildPath(e.path, input.params as Record<string, unknown>) + buildQuery(input.query as Record<string, unknown>);
}

/** Calls one endpoint of the contract: typed input in, typed answer out, `ApiError` on failure. */
export async function call<E extends Endpoint>(e: E, ...args: CallArgs<E>): Promise<ResponseOf<E>> {
  const input = (args[0] ?? {}) as { params?: unknown; query?: unknown; body?: unknown };
  const hasBody = input.body !== undefined;
  return send(e, urlOf(e, input), hasBody ? { type: 'application/json', data: JSON.stringify(input.body) } : undefined);
}

/**
 * Sends a file as the raw request body of an endpoint that takes one (`consumes` in the contract),
 * with everything `call` does: the CSRF header, the session hooks, a Chinese `ApiError`.
 */
export async function upload<E extends Endpoint>(
  e: E,
  file: { type: string; data: ArrayBuffer | Blob },
  input: { params?: unknown; query?: unknown } = {},
): Promise<ResponseOf<E>> {
  return send(e, urlOf(e, input), file);
}

/** Progress of a request body on its way to the server. */
export interface UploadProgress {
  loaded: number;
  total: number;
}

/**
 * Like `upload`, but through XMLHttpRequest so that the caller sees the bytes go out
 * (`onProgress`) and can abort it (`signal`). Same CSRF header, session hooks and Chinese `ApiError`.
 */
export function uploadWithProgress<E extends Endpoint>(
  e: E,
  file: { type: string; data: Blob },
  input: { params?: unknown; query?: unknown } = {},
  options: { onProgress?: (p: UploadProgress) => void; signal?: AbortSignal } = {},
): Promise<ResponseOf<E>> {
  return new Promise<ResponseOf<E>>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(e.method, urlOf(e, input));
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    if (UNSAFE.has(e.method) && csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    const total = file.data.size;
    xhr.upload.onprogress = (ev) => options.onProgress?.({ loaded: ev.loaded, total: ev.lengthComputable ? ev.total : total });
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试'));
    xhr.onabort = () => reject(new ApiError(0, 'ABORTED', '已取消上传'));
    xhr.onload = () => {
      if (e.access !== 'public') hooks.onActivity();
      let data: unknown = null;
      if (xhr.responseText) {
        try {
          data = JSON.parse(xhr.responseText) as unknown;
        } catch {
          data = null;
        }
      }
      if (xhr.status < 200 || xhr.status >= 300) {
        const error =
          xhr.status === 413 && !(data && typeof data === 'object' && 'code' in data)
            ? new ApiError(413, 'PAYLOAD_TOO_LARGE', '文件过大，超过服务器允许的上限')
            : toApiError(xhr.status, data);
        if (error.status === 401 && e.access !== 'public') hooks.onUnauthorized(error);
        if (error.status === 403 && error.code === 'LOGIN_INCOMPLETE') hooks.onLoginIncomplete(error);
        reject(error);
        return;
      }
      options.onProgress?.({ loaded: total, total });
      resolve(data as ResponseOf<E>);
    };
    if (options.signal) {
      if (options.signal.aborted) {
        reject(new ApiError(0, 'ABORTED', '已取消上传'));
        return;
      }
      options.signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(file.data);
  });
}

async function send<E extends Endpoint>(e: E, url: string, body?: { type: string; data: BodyInit }): Promise<ResponseOf<E>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (UNSAFE.has(e.method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (body) headers['content-type'] = body.type;

  let response: Response;
  try {
    response = await fetch(url, { method: e.method, headers, credentials: 'same-origin', body: body?.data });
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
  if (e.access !== 'public') hooks.onActivity();

  const data: unknown = await readJson(response);
  if (!response.ok) {
    const error = toApiError(response.status, data);
    if (error.status === 401 && e.access !== 'public') hooks.onUnauthorized(error);
    if (error.status === 403 && error.code === 'LOGIN_INCOMPLETE') hooks.onLoginIncomplete(error);
    throw error;
  }
  if (e.response === Me) setCsrfToken((data as Me).csrfToken);
  return data as ResponseOf<E>;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function toApiError(status: number, data: unknown): ApiError {
  if (data && typeof data === 'object' && 'code' in data && 'message' in data) {
    const body = data as { code: unknown; message: unknown; fields?: unknown };
    const fields = body.fields && typeof body.fields === 'object' ? (body.fields as Record<string, string>) : {};
    return new ApiError(status, String(body.code), String(body.message), fields);
  }
  if (status === 413) return new ApiError(status, 'PAYLOAD_TOO_LARGE', '请求内容过大（导入文件不能超过 20 MB）');
  if (status >= 500) return new ApiError(status, 'INTERNAL', '服务器暂时无法处理请求，请稍后重试或联系系统管理员');
  return new ApiError(status, 'UNKNOWN', `请求失败（状态码 ${status}）`);
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** The Chinese text to show for any failure. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return '操作失败，请稍后重试';
}

/** A plain link that downloads the audit log; the session cookie goes along with it. */
export function auditExportUrl(query: QueryOf<typeof api.audit.export>): string {
  return urlOf(api.audit.export, { query });
}
