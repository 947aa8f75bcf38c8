import type { z } from '@hono/zod-openapi';
import { Problem } from '../contracts/common.js';

/** Pieces every route module declares its responses and presents its values with. */
export const problem = (description: string) => ({ description, content: { 'application/json': { schema: Problem } } });
export const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
export const jsonBody = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });

export const isoOrNull = (date: Date | null): string | null => (date === null ? null : date.toISOString());

/** One page of a list as the contracts' `pageOf` shape; `nextCursor` only when there is a next page. */
export const pageJson = <T, U>(page: { items: T[]; nextCursor?: string }, present: (item: T) => U) => ({
  items: page.items.map(present),
  ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
});
