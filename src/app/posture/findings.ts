import { DomainError, validationFailed } from '../../domain/errors.js';
import type { Organisation } from '../../domain/registry/organisation.js';
import { Severity, type Text } from '../../guardrails/catalog/schema.js';
import { resolveTenant } from '../registry/deps.js';
import type { Page } from '../paging.js';
import type { Finding, FindingStatus } from '../ports/findings-store.js';
import type { AccountWithOwners, PageRequest } from '../ports/registry-store.js';
import type { PostureDeps } from './deps.js';
import { inScope, isCentralScope, type TenantScope } from '../scope.js';
import { CENTRAL_FINDING_SEVERITIES } from '../../domain/access/policy.js';

/** A finding with its control's title, as people read it. */
export type FindingView = Finding & { controlTitle: Text | null };

export type ListFindingsQuery = PageRequest & {
  /** Tenant id or official code: narrows the list within the caller's scope, never widens it. */
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

/**
 * Not found, in Japanese and English. The same words whether the thing does not exist or is outside
 * the caller's scope, so a tenant cannot tell another tenant's finding, account or tenant from none.
 */
const missing = (ja: string, en: string, ref: string): DomainError => new DomainError('not_found', `${ja} ${ref} が見つかりません / ${en} ${ref} was not found`);
const findingNotFound = (id: string) => missing('検出結果', 'finding', id);
/** Accepting a finding's risk is the tenant's decision, never the centre's (local autonomy). */
const tenantsDecision = () => new DomainError('forbidden', '検出結果の抑制はテナントが決めます / only the tenant decides on suppressing its findings');
const [CENTRAL_SEVERITY] = Severity.options.filter((s) => CENTRAL_FINDING_SEVERITIES.includes(s));
const accountNotFound = (ref: string) => missing('アカウント', 'account', ref);

/** A tenant by id or official code, within the scope. */
export async function resolvePostureTenant(deps: Pick<PostureDeps, 'registry'>, scope: TenantScope, ref: string): Promise<Organisation> {
  let tenant: Organisation | undefined;
  try {
    tenant = await resolveTenant(deps.registry, ref);
  } catch (error) {
    if (!(error instanceof DomainError && error.code === 'not_found')) throw error;
  }
  if (tenant === undefined || !inScope(scope, tenant.id)) throw missing('テナント', 'tenant', ref);
  return tenant;
}

/** An account named by its registry id or by its provider account id (on this provider), within the scope. */
export async function resolvePostureAccount(deps: Pick<PostureDeps, 'cloud' | 'store' | 'registry'>, scope: TenantScope, ref: string): Promise<AccountWithOwners> {
  let id = ref;
  if (/^\d{12}$/.test(ref)) {
    const [owner] = await deps.store.owners(deps.cloud.provider, [ref]);
    if (owner === undefined) throw accountNotFound(ref);
    id = owner.accountId;
  }
  const account = await deps.registry.getAccount(id);
  if (account === undefined || !inScope(scope, account.tenant.id)) throw accountNotFound(ref);
  return account;
}

async function withTitles(deps: PostureDeps, findings: Finding[]): Promise<FindingView[]> {
  const { controls } = await deps.evaluator();
  return findings.map((f) => ({ ...f, controlTitle: controls.get(f.controlId)?.title ?? null }));
}

/** Findings within the scope, most severe first, then newest first; filters combine and narrow the scope. */
export async function listFindings(deps: PostureDeps, scope: TenantScope, query: ListFindingsQuery): Promise<Page<FindingView>> {
  // The centre sees a tenant's findings of the severities the access policy grants it, no others.
  if (isCentralScope(scope) && query.severity !== undefined && !CENTRAL_FINDING_SEVERITIES.includes(query.severity)) return { items: [] };
  const severity = isCentralScope(scope) ? (query.severity ?? CENTRAL_SEVERITY) : query.severity;
  if (isCentralScope(scope) && severity === undefined) return { items: [] }; // fail closed should the policy name no known severity
  const tenantId = query.tenant === undefined ? undefined : (await resolvePostureTenant(deps, scope, query.tenant)).id;
  const account = query.account === undefined ? undefined : await resolvePostureAccount(deps, scope, query.account);
  if (account !== undefined && account.account.providerAccountId === null) return { items: [] };
  const page = await deps.store.listFindings(
    scope,
    {
      tenantId,
      provider: account?.account.provider,
      accountId: account?.account.providerAccountId ?? undefined,
      controlId: query.control,
      severity,
      status: query.status,
      resourceType: query.resourceType,
    },
    { limit: query.limit, cursor: query.cursor },
  );
  return { ...page, items: await withTitles(deps, page.items) };
}

export async function getFinding(deps: PostureDeps, scope: TenantScope, id: string): Promise<FindingView> {
  const found = await deps.store.getFinding(scope, id);
  if (found === undefined || (isCentralScope(scope) && !CENTRAL_FINDING_SEVERITIES.includes(found.severity))) throw findingNotFound(id);
  const [view] = await withTitles(deps, [found]);
  if (view === undefined) throw findingNotFound(id);
  return view;
}

/**
 * Accepts a finding's risk for a while: it stays suppressed through re-evaluation until `until`,
 * and counts as passed in the score meanwhile. A reason and an expiry within a year are required.
 */
export async function suppressFinding(deps: PostureDeps, scope: TenantScope, input: { id: string; reason: string; until: Date; by: string }): Promise<FindingView> {
  if (isCentralScope(scope)) throw tenantsDecision();
  const now = deps.clock.now();
  const issues = [];
  if (input.reason.trim() === '') issues.push({ path: ['reason'], message: 'リスクを受け入れる理由を書いてください / say why the risk is accepted' });
  if (input.until <= now) issues.push({ path: ['until'], message: '期限は未来の日時にしてください / the expiry must be in the future' });
  if (input.until.getTime() - now.getTime() > MAX_SUPPRESSION_DAYS * 86_400_000) {
    issues.push({ path: ['until'], message: `抑制できるのは最長 ${MAX_SUPPRESSION_DAYS} 日です / a suppression lasts at most ${MAX_SUPPRESSION_DAYS} days` });
  }
  if (issues.length > 0) throw validationFailed('抑制の内容が正しくありません / the suppression is not valid', issues);
  const updated = await deps.store.suppress(scope, input.id, { reason: input.reason.trim(), by: input.by, at: now, until: input.until });
  if (updated === undefined) {
    const existing = await deps.store.getFinding(scope, input.id);
    if (existing === undefined) throw findingNotFound(input.id);
    throw new DomainError('invalid_state', `検出結果 ${input.id} は解決済みのため抑制できません / finding ${input.id} is resolved: there is nothing to suppress`);
  }
  return getFinding(deps, scope, updated.id);
}

export async function unsuppressFinding(deps: PostureDeps, scope: TenantScope, id: string): Promise<FindingView> {
  if (isCentralScope(scope)) throw tenantsDecision();
  const updated = await deps.store.unsuppress(scope, id, deps.clock.now());
  if (updated === undefined) {
    const existing = await deps.store.getFinding(scope, id);
    if (existing === undefined) throw findingNotFound(id);
    throw new DomainError('invalid_state', `検出結果 ${id} は抑制されていません / finding ${id} is not suppressed`);
  }
  return getFinding(deps, scope, updated.id);
}
