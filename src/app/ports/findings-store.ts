/**
 * The detective guardrails' store: the latest result of every check (control × resource), the
 * findings with their lifecycle, and the change-feed cursor of the incremental evaluation. One SQL
 * implementation (src/store/findings-store.ts) serves PGlite and PostgreSQL.
 *
 * Finding lifecycle, applied by `write`:
 * - a failing check opens the finding (active), or refreshes it (last seen), or reopens a resolved one;
 * - a passing check resolves an active finding;
 * - a resource that is gone (deleted, or absent from a full re-evaluation of its account) loses its
 *   checks, and its findings are resolved, suppressed or not;
 * - a suppressed finding stays suppressed through re-evaluation until its expiry; then it becomes
 *   active or resolved by its check's latest result (`expireSuppressions`, or the next `write`).
 */
import type { Severity } from '../../guardrails/catalog/schema.js';
import type { CheckResult } from '../../guardrails/detective/evaluator.js';
import type { ResourceIdentity } from '../../guardrails/detective/identity.js';
import type { CheckCount } from '../../guardrails/detective/score.js';
import type { Page } from '../paging.js';
import type { TenantScope } from '../scope.js';
import type { PageRequest } from './registry-store.js';

export type FindingStatus = 'active' | 'resolved' | 'suppressed';

export type Suppression = { reason: string; by: string; at: Date; until: Date };

export type Finding = {
  id: string;
  controlId: string;
  severity: Severity;
  provider: string;
  /** The provider's account id. */
  accountId: string;
  /** The owning tenant (organisation id); null while the registry does not know the account. */
  tenantId: string | null;
  region: string;
  resourceType: string;
  resourceId: string;
  resourceArn: string | null;
  status: FindingStatus;
  message: string | null;
  suppression: Suppression | null;
  firstSeen: Date;
  lastSeen: Date;
  resolvedAt: Date | null;
};

/** A check result as stored, with the tenant that owns its account. */
export type StoredCheck = CheckResult & { tenantId: string | null };

/**
 * One evaluation's results, written in one transaction. `at` is when the inventory was read: a row
 * written by a later evaluation is never overwritten by an earlier one.
 */
export type PostureWrite = {
  provider: string;
  at: Date;
  checks: readonly StoredCheck[];
  /** Resources that no longer exist: their checks go, their findings are resolved. */
  gone: readonly ResourceIdentity[];
  /** Accounts evaluated in full: their checks not in `checks` go, and those findings are resolved. */
  replaced: readonly string[];
  /** Advances the change-feed cursor `name` from `from` to `to`; if it is no longer at `from`, nothing is written. */
  cursor?: { name: string; from: string | undefined; to: string };
};

export type PostureWriteResult = {
  /** False when the cursor had moved (another worker processed these changes): nothing was written. */
  written: boolean;
  checks: number;
  opened: number;
  reopened: number;
  resolved: number;
};

/** Filters a list within its scope: a filter never widens what the scope lets the caller see. */
export type FindingFilter = {
  tenantId?: string | undefined;
  provider?: string | undefined;
  accountId?: string | undefined;
  controlId?: string | undefined;
  severity?: Severity | undefined;
  status?: FindingStatus | undefined;
  resourceType?: string | undefined;
};

/** A registry account that has a provider account: what the detective evaluates, and whose tenant owns its findings. */
export type AccountOwner = { providerAccountId: string; accountId: string; tenantId: string };

export type CountScope = { tenantId: string } | { provider: string; accountId: string } | { all: true };

/** Check counts of one account (`key` = provider account id) or one tenant (`key` = tenant id, null: no tenant). */
export type KeyedCheckCount = CheckCount & { key: string | null };

export interface FindingsStore {
  /** Registered accounts on this provider, with their tenant; only those given when `providerAccountIds` is. */
  owners(provider: string, providerAccountIds?: readonly string[]): Promise<AccountOwner[]>;
  /** Provider account ids that have stored checks (a sweep re-evaluates them, or clears them when they are gone). */
  checkedAccounts(provider: string): Promise<string[]>;
  getCursor(name: string): Promise<string | undefined>;
  write(batch: PostureWrite): Promise<PostureWriteResult>;
  /** Ends suppressions whose expiry has passed; returns how many. */
  expireSuppressions(at: Date): Promise<number>;
  /**
   * The finding calls take a scope first (src/app/scope.ts): a finding outside it is treated
   * exactly like one that does not exist (not listed, undefined, left unchanged).
   */
  listFindings(scope: TenantScope, filter: FindingFilter, page: PageRequest): Promise<Page<Finding>>;
  getFinding(scope: TenantScope, id: string): Promise<Finding | undefined>;
  /** Suppresses an active or suppressed finding; undefined when there is no such finding (in the scope) or it is resolved. */
  suppress(scope: TenantScope, id: string, suppression: Suppression): Promise<Finding | undefined>;
  /** Ends a suppression; the finding becomes active or resolved by its check's latest result. */
  unsuppress(scope: TenantScope, id: string, at: Date): Promise<Finding | undefined>;
  /** Check counts for the score, grouped by account or by tenant; suppressions count as such only before their expiry. */
  checkCounts(scope: CountScope, groupBy: 'account' | 'tenant', at: Date): Promise<KeyedCheckCount[]>;
}
