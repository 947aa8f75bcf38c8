import type { Issue } from '../../domain/errors.js';
import { inScope, scopedTenant, type TenantScope } from '../scope.js';
import { notFound, validationFailed } from '../../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { Provisioner, RequestDirectory } from '../ports/provisioner.js';
import type { AccountRequestView, RequestStore } from '../ports/request-store.js';
import type { RunStatus, StepRecord } from '../ports/workflow-store.js';
import { toPage, decodeCursor, type Page } from '../paging.js';
import { AccountRequestInput } from './schema.js';
import { AccountEmail } from '../../domain/registry/account.js';
import type { AccountRequestInput as Input } from './schema.js';

export type RequestDeps = {
  requests: RequestStore;
  directory: RequestDirectory;
  provisioner: Provisioner;
  clock: Clock;
  newId: (kind: 'req' | 'acc' | 'bat') => string;
  /** Domain for generated account e-mails: <account name>@<domain>. */
  accountEmailDomain: string;
};

export type PlannedRequest = {
  id: string;
  accountId: string;
  accountName: string;
  email: string;
  systemId: string;
  organisationId: string;
  environment: string;
  ouPath: string;
};

type Planned = PlannedRequest & { organisationCode: string; provider: string; environment: Input['environment']; index: number };

export type SubmitResult = { dryRun: boolean; batchId: string | null; requests: PlannedRequest[] };

/**
 * Validates every request first and reports every problem with its location; only a batch with no
 * problem at all is accepted, in one transaction, so a rejected batch changes nothing.
 * `locate(i)` gives the location prefix of item i (["body","requests",3] or ["row",5]).
 */
export async function submitAccountRequests(
  deps: RequestDeps,
  command: { items: unknown[]; requestedBy: string; dryRun: boolean; batch: boolean; locate: (index: number) => (string | number)[]; scope: TenantScope },
): Promise<SubmitResult> {
  const issues: Issue[] = [];
  const parsed = command.items.map((item, index) => {
    const result = AccountRequestInput.safeParse(item);
    if (!result.success) {
      for (const issue of result.error.issues) {
        issues.push({ path: [...command.locate(index), ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))], message: issue.message });
      }
      return undefined;
    }
    return result.data;
  });
  if (command.items.length === 0) issues.push({ path: command.locate(0).slice(0, -1), message: 'no account requests given' });

  const systems = await deps.directory.resolveSystems(parsed.map((p) => (p === undefined ? {} : { systemId: p.systemId, organisationCode: p.tenantCode, systemName: p.systemName })));
  const planned: Planned[] = [];
  parsed.forEach((row, index) => {
    if (row === undefined) return;
    const found = systems[index];
    // Another tenant's system is reported exactly like a system that does not exist.
    const system = found !== undefined && inScope(command.scope, found.organisationId) ? found : undefined;
    if (system === undefined) {
      const where = row.systemId !== undefined ? 'systemId' : 'systemName';
      issues.push({ path: [...command.locate(index), where], message: row.systemId !== undefined ? `no system ${row.systemId}` : `tenant ${row.tenantCode ?? ''} has no system "${row.systemName ?? ''}"` });
      return;
    }
    const accountName = row.accountName ?? `${system.organisationCode}-${system.systemName}-${row.environment}`;
    const email = row.email ?? AccountEmail.safeParse(`${accountName.toLowerCase().replace(/[^a-z0-9._-]/g, '-')}@${deps.accountEmailDomain}`).data;
    if (email === undefined) {
      issues.push({ path: [...command.locate(index), 'accountName'], message: `too long to make an e-mail address under ${deps.accountEmailDomain} (at most 64 characters): shorten it or give an e-mail` });
      return;
    }
    planned.push({
      id: deps.newId('req'),
      accountId: deps.newId('acc'),
      accountName,
      email,
      systemId: system.systemId,
      organisationId: system.organisationId,
      organisationCode: system.organisationCode,
      provider: system.provider,
      ouPath: system.ouPathFor(row.environment),
      environment: row.environment,
      index,
    });
  });

  reportDuplicates(planned, command.locate, issues);
  const taken = await deps.requests.taken(planned.map((p) => p.accountName), planned.map((p) => p.email));
  for (const p of planned) {
    const where = command.locate(p.index);
    if (taken.names.includes(p.accountName)) issues.push({ path: [...where, 'accountName'], message: `the account name ${p.accountName} is already used` });
    if (taken.emails.includes(p.email)) issues.push({ path: [...where, 'email'], message: `the e-mail ${p.email} is already used` });
  }
  if (issues.length > 0) throw validationFailed(`${issues.length} problem(s) found; nothing was queued`, sortIssues(issues));

  const batchId = command.batch ? deps.newId('bat') : null;
  const result: SubmitResult = {
    dryRun: command.dryRun,
    batchId,
    requests: planned.map(({ id, accountId, accountName, email, systemId, organisationId, environment, ouPath }) => ({ id, accountId, accountName, email, systemId, organisationId, environment, ouPath })),
  };
  if (command.dryRun) return result;
  await deps.requests.submit(
    planned.map((p) => ({
      request: { id: p.id, batchId, organisationId: p.organisationId, systemId: p.systemId, environment: p.environment, accountName: p.accountName, email: p.email, requestedBy: command.requestedBy },
      run: deps.provisioner.runFor({
        requestId: p.id,
        accountId: p.accountId,
        organisationId: p.organisationId,
        organisationCode: p.organisationCode,
        systemId: p.systemId,
        provider: p.provider,
        environment: p.environment,
        accountName: p.accountName,
        email: p.email,
        ouPath: p.ouPath,
        requestedBy: command.requestedBy,
      }),
    })),
    deps.clock.now(),
  );
  await deps.provisioner.wake();
  return result;
}

function reportDuplicates(planned: Planned[], locate: (index: number) => (string | number)[], issues: Issue[]): void {
  const seen = { accountName: new Map<string, number>(), email: new Map<string, number>() };
  for (const p of planned) {
    for (const field of ['accountName', 'email'] as const) {
      const first = seen[field].get(p[field]);
      if (first === undefined) seen[field].set(p[field], p.index);
      else issues.push({ path: [...locate(p.index), field], message: `${p[field]} is also requested at ${locate(first).join('.')}` });
    }
  }
}

const sortIssues = (issues: Issue[]): Issue[] =>
  [...issues].sort((a, b) => {
    for (let i = 0; i < Math.min(a.path.length, b.path.length); i++) {
      const x = a.path[i];
      const y = b.path[i];
      if (x === y) continue;
      if (typeof x === 'number' && typeof y === 'number') return x - y;
      return String(x).localeCompare(String(y));
    }
    return a.path.length - b.path.length;
  });

export type RequestDetail = AccountRequestView & { steps: StepRecord[] };

export async function getAccountRequest(deps: RequestDeps, scope: TenantScope, id: string): Promise<RequestDetail> {
  const request = await deps.requests.get(id);
  if (request === undefined || !inScope(scope, request.organisationId)) throw notFound('account request', id);
  return { ...request, steps: await deps.requests.steps(id) };
}

export async function listAccountRequests(
  deps: RequestDeps,
  scope: TenantScope,
  query: { organisationId?: string; batchId?: string; status?: RunStatus; limit: number; cursor?: string },
): Promise<Page<AccountRequestView>> {
  // A filter narrows the scope, never widens it: another tenant's filter finds nothing.
  const organisationId = scopedTenant(scope) ?? query.organisationId;
  if (query.organisationId !== undefined && organisationId !== query.organisationId) return { items: [] };
  const rows = await deps.requests.list({
    limit: query.limit + 1,
    ...(organisationId === undefined ? {} : { organisationId }),
    ...(query.batchId === undefined ? {} : { batchId: query.batchId }),
    ...(query.status === undefined ? {} : { status: query.status }),
    ...(query.cursor === undefined ? {} : { after: decodeCursor(query.cursor) }),
  });
  return toPage(rows, query.limit, (r) => r.id);
}

/** A batch's progress; for a tenant, only its own requests of the batch count (none: not found). */
export async function batchProgress(deps: RequestDeps, scope: TenantScope, batchId: string): Promise<{ batchId: string; total: number; counts: Record<RunStatus, number> }> {
  const tenantId = scopedTenant(scope);
  const counts = await deps.requests.countByStatus(tenantId === undefined ? { batchId } : { batchId, organisationId: tenantId });
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (total === 0) throw notFound('batch', batchId);
  return { batchId, total, counts };
}

export async function retryAccountRequest(deps: RequestDeps, scope: TenantScope, id: string): Promise<RequestDetail> {
  await getAccountRequest(deps, scope, id);
  await deps.provisioner.retry(id);
  return getAccountRequest(deps, scope, id);
}

/**
 * Abandons a failed or waiting request. When nothing was created at the provider, its account name
 * and e-mail become free again, so the tenant can correct the request and send it anew.
 */
export async function abandonAccountRequest(deps: RequestDeps, scope: TenantScope, id: string): Promise<RequestDetail & { released: boolean }> {
  await getAccountRequest(deps, scope, id);
  await deps.provisioner.abandon(id);
  const released = await deps.requests.releaseAbandoned(id, deps.clock.now());
  return { ...(await getAccountRequest(deps, scope, id)), released };
}
