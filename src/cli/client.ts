import type { z } from 'zod';
import { Problem } from '../contracts/common.js';

/** The CLI speaks to the server over HTTP, parsing every answer with the shared contracts. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.message);
    this.name = 'ApiError';
  }
}

export type ApiClient = {
  readonly baseUrl: string;
  request<T extends z.ZodType>(method: string, path: string, schema: T, body?: unknown): Promise<z.infer<T>>;
  requestText<T extends z.ZodType>(method: string, path: string, contentType: string, body: string, schema: T): Promise<z.infer<T>>;
  /** A GET whose answer is text, not JSON (exports); a refusal is an ApiError as with `request`. */
  download(path: string): Promise<string>;
};

export type ApiClientOptions = {
  /** An API token, sent as `Authorization: Bearer`; never printed. The server records its person as the actor. */
  token?: string | undefined;
  fetch?: typeof fetch | undefined;
};

export function createApiClient(baseUrl: string, options: ApiClientOptions = {}): ApiClient {
  const root = baseUrl.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? fetch;
  const authHeader: Record<string, string> = options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };
  async function fetchFrom(method: string, path: string, init: { headers: Record<string, string>; body?: string }): Promise<Response> {
    try {
      return await fetchImpl(`${root}${path}`, { method, ...init, headers: { ...authHeader, ...init.headers } });
    } catch (cause) {
      throw new Error(`cannot reach the Hatoba server at ${root} (is "hatoba serve" running? set HATOBA_URL)`, { cause });
    }
  }
  const refusal = (response: Response, json: unknown): ApiError => {
    const problem = Problem.safeParse(json);
    return new ApiError(response.status, problem.success ? problem.data : { code: `http_${response.status}`, message: response.statusText, issues: [] });
  };
  async function send<T extends z.ZodType>(method: string, path: string, schema: T, init: { headers: Record<string, string>; body?: string }): Promise<z.infer<T>> {
    const response = await fetchFrom(method, path, init);
    const json: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw refusal(response, json);
    return schema.parse(json);
  }
  return {
    baseUrl: root,
    request: (method, path, schema, body) =>
      send(method, path, schema, body === undefined ? { headers: {} } : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    requestText: (method, path, contentType, body, schema) => send(method, path, schema, { headers: { 'content-type': contentType }, body }),
    async download(path) {
      const response = await fetchFrom('GET', path, { headers: {} });
      if (response.ok) return response.text();
      throw refusal(response, await response.json().catch(() => undefined));
    },
  };
}

/** Where an issue is: CSV cells as a spreadsheet user says it ("row 12, email"), anything else as a dotted path. */
function locationOf(path: readonly (string | number)[]): string {
  const [first, row, ...rest] = path;
  if (first === 'row' && row !== undefined) return [`row ${String(row)}`, ...rest.map(String)].join(', ');
  return path.join('.');
}

/** A problem as text: its message, then every issue on its own line, location first. */
export function formatProblem(problem: Problem): string {
  return [problem.message, ...problem.issues.map((issue) => `  ${locationOf(issue.path)}: ${issue.message}`)].join('\n');
}
