import { z } from 'zod';
import type { Issue } from '../../domain/errors.js';

/**
 * In-template suppressions, in the resource's Metadata, next to what they excuse:
 *
 *   Metadata:
 *     hatoba:
 *       skip:
 *         - id: HTB-S3-001
 *           reason: "public website bucket, approved in review 42"
 *
 * A skip without a reason is refused (an input error): an exception nobody can explain later is not
 * one an auditor accepts. Suppressed results are still evaluated and reported, marked as such.
 */

const Skip = z.object({
  id: z.string({ error: 'a skip names the control id' }).min(1),
  reason: z.string({ error: 'a skip needs a reason' }).trim().min(1, 'a skip needs a reason'),
});
const HatobaMetadata = z.object({ skip: z.array(Skip, { error: 'skip is a list of {id, reason}' }) });

export type Suppressions = Map<string, string>;

export function readSuppressions(
  metadata: Record<string, unknown>,
  at: { file: string; line: number; logicalId: string },
  knownIds: ReadonlySet<string>,
): { suppressions: Suppressions; issues: Issue[]; notes: Issue[] } {
  const suppressions: Suppressions = new Map();
  if (metadata.hatoba === undefined) return { suppressions, issues: [], notes: [] };
  const parsed = HatobaMetadata.safeParse(metadata.hatoba);
  if (!parsed.success) {
    return {
      suppressions,
      issues: parsed.error.issues.map((i) => ({
        path: [at.file, at.line],
        message: `${at.logicalId}: Metadata.hatoba.${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[')}: ${i.message}`,
      })),
      notes: [],
    };
  }
  const notes: Issue[] = [];
  for (const skip of parsed.data.skip) {
    if (!knownIds.has(skip.id)) notes.push({ path: [at.file, at.line], message: `${at.logicalId}: Metadata.hatoba.skip names ${skip.id}, which is not in the catalog` });
    suppressions.set(skip.id, skip.reason);
  }
  return { suppressions, issues: [], notes };
}
