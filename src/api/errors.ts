import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, type DomainErrorCode, type Issue } from '../domain/errors.js';
import type { Problem } from '../contracts/common.js';

/** The one place where domain error codes become HTTP statuses. */
const STATUS: Record<DomainErrorCode, ContentfulStatusCode> = {
  validation_failed: 422,
  not_found: 404,
  conflict: 409,
  unauthenticated: 401,
  forbidden: 403,
  invalid_state: 409,
  locked: 423,
};

export function problemOf(error: unknown): { status: ContentfulStatusCode; body: Problem } {
  if (error instanceof DomainError) {
    return { status: STATUS[error.code], body: { code: error.code, message: error.message, issues: error.issues } };
  }
  return { status: 500, body: { code: 'internal_error', message: 'internal error', issues: [] } };
}

export function respondWithProblem(c: Context, error: unknown): Response {
  const { status, body } = problemOf(error);
  return c.json(body, status);
}

type ZodIssueLike = { path: readonly PropertyKey[]; message: string; code?: string; keys?: readonly string[] };

const UNKNOWN_KEY = '不明な項目です（綴りを確認してください） / unknown field (check the spelling)';

/**
 * zod issues -> our issues, with the request part ("body", "query", "path") as the first path element.
 * An object's unknown keys (strict schemas) become one issue each, at the key itself.
 */
export function issuesFromZod(part: string, issues: readonly ZodIssueLike[]): Issue[] {
  return issues.flatMap((issue) => {
    const path = [part, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
    if (issue.code === 'unrecognized_keys' && issue.keys !== undefined) return issue.keys.map((key) => ({ path: [...path, key], message: UNKNOWN_KEY }));
    return [{ path, message: issue.message }];
  });
}
