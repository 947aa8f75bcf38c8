import type { ProblemIssue } from '../../api/contracts';
import { issuesByField, type ApiFailure } from '../../api/problem';

export const FIRST_ADMIN_FIELDS = ['tenant', 'email', 'name'] as const;
export type FirstAdminValues = Record<(typeof FIRST_ADMIN_FIELDS)[number], string>;

/** The body an operator sends: only ever a tenant admin, the one role they may add. */
export const firstAdminBody = (values: FirstAdminValues) => ({ email: values.email.trim(), name: values.name.trim(), role: 'tenant_admin' });

export const firstAdminPath = (tenantCode: string): string => `/api/tenants/${encodeURIComponent(tenantCode.trim())}/people`;

/**
 * The API's problems by field of the first-admin form. E-mail and name are located in the body, the
 * tenant in the path; a refusal without a location (the tenant is unknown, or it already has an
 * admin) is about the tenant the operator chose, so its message goes there too.
 */
export function firstAdminProblems(failure: ApiFailure | undefined): { byField: Record<string, string[]>; other: ProblemIssue[] } {
  const body = issuesByField(failure, ['email', 'name']);
  const rest: ApiFailure | undefined = failure?.kind === 'problem' ? { ...failure, issues: body.other } : failure;
  const path = issuesByField(rest, ['tenant'], 'path');
  const byField = { ...body.byField, ...path.byField };
  if (failure?.kind === 'problem' && failure.issues.length === 0 && (failure.status === 403 || failure.status === 404)) {
    byField['tenant'] = [...(byField['tenant'] ?? []), failure.message];
  }
  return { byField, other: path.other };
}
