import type { z } from '@hono/zod-openapi';
import { Problem } from '../contracts/common.js';
import { DomainError, type DomainErrorCode } from '../domain/errors.js';

/** Pieces every route module declares its responses and presents its values with. */
export const problem = (description: string) => ({ description, content: { 'application/json': { schema: Problem } } });
export const invalidRequest = problem('Invalid request: every problem with its location');
export const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
export const jsonBody = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });

export const isoOrNull = (date: Date | null): string | null => (date === null ? null : date.toISOString());

/** One page of a list as the contracts' `pageOf` shape; `nextCursor` only when there is a next page. */
export const pageJson = <T, U>(page: { items: T[]; nextCursor?: string }, present: (item: T) => U) => ({
  items: page.items.map(present),
  ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
});

/** The error with its issues located in `part` of the request (`amount` -> `body.amount`), when its code is one of `codes`. */
function locatedIn(part: string, error: unknown, codes: readonly DomainErrorCode[]): unknown {
  if (!(error instanceof DomainError) || !codes.includes(error.code)) return error;
  return new DomainError(error.code, error.message, { issues: error.issues.map((i) => ({ ...i, path: [part, ...i.path] })), cause: error });
}

/** Use cases name fields relative to their input; over HTTP that input is the request body. */
export async function inBody<T>(run: () => Promise<T>, codes: readonly DomainErrorCode[] = ['validation_failed']): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw locatedIn('body', error, codes);
  }
}

/** The same for input read from the query string. */
export function inQuery<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw locatedIn('query', error, ['validation_failed']);
  }
}
