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
};

export function createApiClient(baseUrl: string, fetchImpl: typeof fetch = fetch): ApiClient {
  const root = baseUrl.replace(/\/+$/, '');
  return {
    baseUrl: root,
    async request(method, path, schema, body) {
      let response: Response;
      try {
        response = await fetchImpl(`${root}${path}`, {
          method,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
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
    },
  };
}

/** Prints a problem with every issue on its own line, location first. */
export function formatProblem(problem: Problem): string {
  const lines = [problem.message];
  for (const issue of problem.issues) lines.push(`  ${issue.path.join('.')}: ${issue.message}`);
  return lines.join('\n');
}
