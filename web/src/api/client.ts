/** The one door to the JSON API: cookie session, CSRF header on writes, errors as values. */

export type ApiError = {
  status: number;
  code: string;
  message: string;
  field?: string;
  /** Invalid input: each field's own message, in plain words. */
  fields?: Record<string, string>;
};
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

const BASE = '/api/v1';
const SAFE_METHODS = new Set(['GET', 'HEAD']);

// Held in memory only: it comes from sign-in and is re-read from GET /me on every load.
let csrfToken: string | null = null;

export function rememberCsrfToken(token: string | null): void {
  csrfToken = token;
}

const stringsOf = (v: unknown): Record<string, string> | undefined => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, m] of Object.entries(v)) if (typeof m === 'string') out[k] = m;
  return out;
};

function toApiError(status: number, body: unknown): ApiError {
  const e = (
    body as {
      error?: { code?: unknown; message?: unknown; field?: unknown; fields?: unknown };
    } | null
  )?.error;
  const code = typeof e?.code === 'string' ? e.code : `http_${status}`;
  const message = typeof e?.message === 'string' ? e.message : `The server answered ${status}.`;
  const fields = stringsOf(e?.fields);
  return {
    status,
    code,
    message,
    ...(typeof e?.field === 'string' ? { field: e.field } : {}),
    ...(fields ? { fields } : {}),
  };
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (!SAFE_METHODS.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(BASE + path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch {
    return {
      ok: false,
      error: {
        status: 0,
        code: 'network_error',
        message: 'Could not reach the server. Check the connection and try again.',
      },
    };
  }
  // A body cut off (the page moved on and aborted, a live update reloaded it) is no answer.
  const text = res.status === 204 ? '' : await res.text().catch(() => null);
  if (text === null)
    return {
      ok: false,
      error: {
        status: 0,
        code: 'network_error',
        message: 'Could not reach the server. Check the connection and try again.',
      },
    };
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return res.ok
    ? { ok: true, value: json as T }
    : { ok: false, error: toApiError(res.status, json) };
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, undefined, signal),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  del: <T = void>(path: string) => request<T>('DELETE', path),
};

/** A query string from the non-empty values, e.g. `?q=garden&tag=food`. */
export function query(params: Record<string, string | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const s = search.toString();
  return s ? `?${s}` : '';
}

export const seg = (value: string) => encodeURIComponent(value);
