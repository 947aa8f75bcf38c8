import type { ProblemIssue } from './contracts';

/** What can go wrong with a call, as the portal shows it. */
export type ApiFailure =
  | { kind: 'problem'; status: number; code: string; message: string; issues: ProblemIssue[] }
  | { kind: 'network' }
  | { kind: 'unexpected'; status: number };

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; failure: ApiFailure };

/**
 * The issues of a problem by form field: an issue at `['body', 'environment', …]` belongs to the
 * field `environment` when the form has it; every other issue goes to `other`, shown above the form.
 */
export function issuesByField(failure: ApiFailure | undefined, fields: readonly string[], part = 'body'): { byField: Record<string, string[]>; other: ProblemIssue[] } {
  const byField: Record<string, string[]> = {};
  const other: ProblemIssue[] = [];
  if (failure?.kind !== 'problem') return { byField, other };
  for (const issue of failure.issues) {
    const [head, field] = issue.path;
    if (head === part && typeof field === 'string' && fields.includes(field)) byField[field] = [...(byField[field] ?? []), issue.message];
    else other.push(issue);
  }
  return { byField, other };
}

/** An issue's location as people read it: `query › to`. */
export const describePath = (path: ProblemIssue['path']): string => path.map(String).join(' › ');
