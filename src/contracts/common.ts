import { z } from 'zod';

/** Shapes shared by every list and every error; browser-safe (no node: imports). */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).max(200).optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    /** Opaque; pass back as `cursor` for the next page. Absent on the last page. */
    nextCursor: z.string().optional(),
  });

export const ProblemIssue = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
});

export const Problem = z
  .object({
    code: z.string(),
    message: z.string(),
    issues: z.array(ProblemIssue),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof Problem>;
