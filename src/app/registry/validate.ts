import type { z } from 'zod';
import { validationFailed, type Issue } from '../../domain/errors.js';

/** zod issues as domain issues, under `prefix` (e.g. ['rules'] or ['row', 12]). */
export function issuesOf(error: z.ZodError, prefix: (string | number)[] = []): Issue[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))],
    message: issue.message,
  }));
}

/** Parses at the use case boundary: every problem at once, as a validation_failed DomainError. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, what: string, prefix: (string | number)[] = []): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationFailed(`${what} is not valid`, issuesOf(result.error, prefix));
  return result.data;
}
