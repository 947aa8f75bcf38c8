import type { z } from 'zod';
import { CSRF_HEADER, Problem } from './contracts';
import type { ApiResult } from './problem';

/**
 * The portal's HTTP client: same-origin fetch with the session cookie, the CSRF token on every
 * state-changing call, and every answer parsed with its contract. A 401 tells the session to look again.
 */
let csrfToken: string | undefined;
export const setCsrfToken = (token: string | undefined): void => {
  csrfToken = token;
};

export const SESSION_ENDED = 'hatoba:session-ended';

async function call<T extends z.ZodType>(method: string, path: string, schema: T, body?: unknown): Promise<ApiResult<z.infer<T>>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== undefined) headers[CSRF_HEADER] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, credentials: 'same-origin', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch {
    return { ok: false, failure: { kind: 'network' } };
  }
  // Only API calls: `/auth/me` answering 401 is how the session learns it ended, not a reason to ask again.
  if (response.status === 401 && path.startsWith('/api/')) window.dispatchEvent(new Event(SESSION_ENDED));
  const payload: unknown = await response.json().catch(() => undefined);
  if (response.ok) {
    const parsed = schema.safeParse(payload);
    return parsed.success ? { ok: true, status: response.status, data: parsed.data } : { ok: false, failure: { kind: 'unexpected', status: response.status } };
  }
  const problem = Problem.safeParse(payload);
  return problem.success
    ? { ok: false, failure: { kind: 'problem', status: response.status, ...problem.data } }
    : { ok: false, failure: { kind: 'unexpected', status: response.status } };
}

export const apiGet = <T extends z.ZodType>(path: string, schema: T) => call('GET', path, schema);
export const apiPost = <T extends z.ZodType>(path: string, schema: T, body?: unknown) => call('POST', path, schema, body ?? {});
export const apiPatch = <T extends z.ZodType>(path: string, schema: T, body: unknown) => call('PATCH', path, schema, body);
export const apiDelete = <T extends z.ZodType>(path: string, schema: T) => call('DELETE', path, schema);

/** A query string from the defined values only. */
export function query(values: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
