import { DomainError, invalidState, notFound, validationFailed } from '../../domain/errors.js';
import type { Severity, Text } from '../../guardrails/catalog/schema.js';
import { resolveTenant } from '../registry/deps.js';
import type { Page } from '../paging.js';
import type { Finding, FindingStatus } from '../ports/findings-store.js';
import type { AccountWithOwners, PageRequest } from '../ports/registry-store.js';
import type { PostureDeps } from './deps.js';

/** A finding with its control's title, as people read it. */
export type FindingView = Finding & { controlTitle: Text | null };

export type ListFindingsQuery = PageRequest & {
  /** Tenant id or official code. Kept explicit: sign-in (issue 4) will require it for tenant members. */
  tenant?: string | undefined;
  /** Registry account id (acc_…) or the provider's account id. */
  account?: string | undefined;
  control?: string | undefined;
  severity?: Severity | undefined;
  status?: FindingStatus | undefined;
  resourceType?: string | undefined;
};

/** The longest a suppression may last: it is an accepted risk, reviewed at least once a year. */
export const MAX_SUPPRESSION_DAYS = 366;

/** An account named by its registry id or by its provider account id (on this provider). */
export async function resolvePostureAccount(deps: Pick<PostureDeps, 'cloud' | 'store' | 'registry'>, ref: string): Promise<AccountWithOwners> {
  let id = ref;
  if (/^\d{12}$/.test(ref)) {
    const [owner] = await deps.store.owners(deps.cloud.provider, [ref]);
    if (owner === undefined) throw notFound('account', ref);
    id = owner.accountId;
  }
  const account = await deps.registry.getAccount(id);
  if (account === undefined) throw notFound('account', ref);
  return account;
}

async function withTitles(deps: PostureDeps, findings: Finding[]): Promise<FindingView[]> {
  const { controls } = await deps.evaluator();
  return findings.map((f) => ({ ...f, controlTitle: controls.get(f.controlId)?.title ?? null }));
}

/** Findings, most severe first, then newest first; filters combine. */
export async function listFindings(deps: PostureDeps, query: ListFindingsQuery): Promise<Page<FindingView>> {
  const tenantId = query.tenant === undefined ? undefined : (await resolveTenant(deps.registry, query.tenant)).id;
  const account = query.account === undefined ? undefined : await resolvePostureAccount(deps, query.account);
  if (account !== undefined && account.account.providerAccountId === null) return { items: [] };
  const page = await deps.store.listFindings(
    {
      tenantId,
      provider: account?.account.provider,
      accountId: account?.account.providerAccountId ?? undefined,
      controlId: query.control,
      severity: query.severity,
      status: query.status,
      resourceType: query.resourceType,
    },
    { limit: query.limit, cursor: query.cursor },
  );
  return { ...page, items: await withTitles(deps, page.items) };
}

export async function getFinding(deps: PostureDeps, id: string): Promise<FindingView> {
  const found = await deps.store.getFinding(id);
  if (found === undefined) throw notFound('finding', id);
  const [view] = await withTitles(deps, [found]);
  if (view === undefined) throw notFound('finding', id);
  return view;
}

/**
 * Accepts a finding's risk for a while: it stays suppressed through re-evaluation until `until`,
 * and counts as passed in the score meanwhile. A reason and an expiry within a year are required.
 */
export async function suppressFinding(deps: PostureDeps, input: { id: string; reason: string; until: Date; by: string }): Promise<FindingView> {
  const now = deps.clock.now();
  const issues = [];
  if (input.reason.trim() === '') issues.push({ path: ['reason'], message: 'say why the risk is accepted' });
  if (input.until <= now) issues.push({ path: ['until'], message: 'the expiry must be in the future' });
  if (input.until.getTime() - now.getTime() > MAX_SUPPRESSION_DAYS * 86_400_000) issues.push({ path: ['until'], message: `a suppression lasts at most ${MAX_SUPPRESSION_DAYS} days` });
  if (issues.length > 0) throw validationFailed('the suppression is not valid', issues);
  const updated = await deps.store.suppress(input.id, { reason: input.reason.trim(), by: input.by, at: now, until: input.until });
  if (updated === undefined) {
    const existing = await deps.store.getFinding(input.id);
    if (existing === undefined) throw notFound('finding', input.id);
    throw invalidState(`finding ${input.id} is resolved: there is nothing to suppress`);
  }
  return getFinding(deps, updated.id);
}

export async function unsuppressFinding(deps: PostureDeps, id: string): Promise<FindingView> {
  const updated = await deps.store.unsuppress(id, deps.clock.now());
  if (updated === undefined) {
    const existing = await deps.store.getFinding(id);
    if (existing === undefined) throw notFound('finding', id);
    throw new DomainError('invalid_state', `finding ${id} is not suppressed`);
  }
  return getFinding(deps, updated.id);
}
