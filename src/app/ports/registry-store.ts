/**
 * The registry's store port: organisations, systems, placement rules and accounts. One SQL
 * implementation (src/store/registry-store.ts) serves PGlite and PostgreSQL. Unique constraints are
 * the reservations: the store reports a taken code, slug, account name or e-mail as a DomainError
 * `conflict` whose issue names the field, never as a driver error.
 */
import type { Account, AccountStatus, Environment } from '../../domain/registry/account.js';
import type { Organisation, OrganisationKind } from '../../domain/registry/organisation.js';
import type { PlacementRule, PlacementSubject } from '../../domain/registry/placement.js';
import type { System } from '../../domain/registry/system.js';
import type { Page } from '../paging.js';

/** `cursor` is the opaque nextCursor of the previous page. */
export type PageRequest = { limit: number; cursor?: string | undefined };

export type OrganisationFilter = {
  kind?: OrganisationKind | undefined;
  /** Two digits, e.g. '13'. */
  prefecture?: string | undefined;
  parentCode?: string | undefined;
  /** Substring of either name or of the code. */
  q?: string | undefined;
};

export type AccountFilter = {
  organisationId?: string | undefined;
  systemId?: string | undefined;
  status?: AccountStatus | undefined;
  environment?: Environment | undefined;
};

export type OrganisationRef = Pick<Organisation, 'id' | 'code' | 'kind' | 'nameJa' | 'nameEn' | 'prefecture'>;
export type SystemRef = Pick<System, 'id' | 'slug' | 'nameJa' | 'nameEn' | 'provider' | 'attributes'>;
export type AccountWithOwners = { account: Account; tenant: OrganisationRef; system: SystemRef };
export type SystemWithOrganisation = { system: System; organisation: Organisation };

export type ReserveAccountInput = {
  id: string;
  systemId: string;
  environment: Environment;
  name: string;
  /** Lower-cased; the idempotency key of the provider's CreateAccount. */
  email: string;
  /** Always 'provisioning': a reservation is the first step of provisioning. */
  status: 'provisioning';
  requestId?: string | null | undefined;
  /** Defaults to the database's clock. */
  createdAt?: Date | undefined;
};

export type AccountPatch = {
  providerAccountId?: string | null;
  ouPath?: string | null;
  status?: AccountStatus;
  readyAt?: Date | null;
  requestId?: string | null;
  /** Defaults to the database's clock. */
  updatedAt?: Date;
};

export interface RegistryStore {
  getOrganisation(id: string): Promise<Organisation | undefined>;
  getOrganisationByCode(code: string): Promise<Organisation | undefined>;
  findOrganisationsByCodes(codes: readonly string[]): Promise<Organisation[]>;
  /** Ordered by code. */
  listOrganisations(filter: OrganisationFilter, page: PageRequest): Promise<Page<Organisation>>;
  /**
   * Writes many organisations in one transaction, in batches: `insert` in the given order (parents
   * first), then `update` by code (id and createdAt stay). A code inserted meanwhile by someone else
   * fails the whole call with a conflict listing the codes.
   */
  saveOrganisations(changes: { insert: readonly Organisation[]; update: readonly Organisation[] }): Promise<{ inserted: number; updated: number }>;

  getSystem(id: string): Promise<SystemWithOrganisation | undefined>;
  getSystemBySlug(organisationId: string, slug: string): Promise<System | undefined>;
  /** A tenant's systems, ordered by slug. */
  listSystems(organisationId: string, page: PageRequest): Promise<Page<System>>;
  /** Conflict (issue path ['slug']) when the tenant already has a system with that slug. */
  insertSystem(system: System): Promise<System>;

  /** Ordered by priority. */
  listPlacementRules(): Promise<PlacementRule[]>;
  /** Replaces the whole rule set atomically. */
  replacePlacementRules(rules: readonly PlacementRule[]): Promise<void>;

  /**
   * Reserves an account's name and e-mail address. Conflict (issue path ['name'] or ['email']) when
   * either is taken; not found when the system does not exist. Organisation and provider come from
   * the system.
   */
  reserveAccount(input: ReserveAccountInput): Promise<Account>;
  getAccount(id: string): Promise<AccountWithOwners | undefined>;
  getAccountByEmail(email: string): Promise<Account | undefined>;
  /** Not found when the account does not exist. */
  updateAccount(id: string, patch: AccountPatch): Promise<Account>;
  /**
   * Gives a reservation's name and e-mail back (deletes the row), but only while no provider account
   * exists for it and it is provisioning or failed. Returns whether it released something.
   */
  releaseAccount(id: string): Promise<boolean>;
  /** Newest first. */
  listAccounts(filter: AccountFilter, page: PageRequest): Promise<Page<AccountWithOwners>>;
  /** Every account placement rules govern (ready or suspended), with what the rules look at. */
  listPlacementSubjects(): Promise<PlacementSubject[]>;
}
