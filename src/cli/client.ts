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
};

export function createApiClient(baseUrl: string, fetchImpl: typeof fetch = fetch): ApiClient {
  const root = baseUrl.replace(/\/+$/, '');
  async function send<T extends z.ZodType>(method: string, path: string, schema: T, init: { headers: Record<string, string>; body?: string }): Promise<z.infer<T>> {
      let response: Response;
      try {
        response = await fetchImpl(`${root}${path}`, { method, ...init });
      } catch (cause) {
        throw new Error(`cannot reach the Hatoba server at ${root} (is "hatoba serve" running? set HATOBA_URL)`, { cause });
      }
      const json: unknown = await response.json().catch(() => undefined);
      if (!response.ok) {
        const problem = Problem.safeParse(json);
        throw new ApiError(
          response.status,
          problem.success ? problem.data : { code: `http_${response.status}`, message: response.statusText, issues: [] },
        );
      }
      return schema.parse(json);
  }
  return {
    baseUrl: root,
    request: (method, path, schema, body) =>
      send(method, path, schema, body === undefined ? { headers: {} } : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    requestText: (method, path, contentType, body, schema) => send(method, path, schema, { headers: { 'content-type': contentType }, body }),
  };
}

/** Prints a problem with every issue on its own line, location first. */
export function formatProblem(problem: Problem): string {
  const lines = [problem.message];
  for (const issue of problem.issues) lines.push(`  ${issue.path.join('.')}: ${issue.message}`);
  return lines.join('\n');
}
