/**
 * People in the cloud: each person's user in a provider's identity store, their assignment to each of
 * their tenant's accounts, and the durable runs that make the provider match (src/store/person-access-store.ts;
 * migration 010). A change to a person and the run that carries it out are written in one transaction,
 * so a crash between them cannot leave a person without provisioning.
 */
import type { TenantRole } from '../../domain/access/roles.js';
import type { AccessStatus, PermissionSetKey } from '../../domain/people/person.js';
import type { Environment } from '../../domain/registry/account.js';
import type { NewPerson, Person } from './people-store.js';
import type { NewRun } from './workflow-store.js';

export type PersonAccess = {
  personId: string;
  /** The registry's account id. */
  accountId: string;
  permissionSet: PermissionSetKey;
  /** The permission set a role change swaps out, until its assignment is gone. */
  replacing: PermissionSetKey | null;
  status: AccessStatus;
  /** When the access became due: the person added, the account ready, or the role changed. */
  requestedAt: Date;
  readyAt: Date | null;
  removedAt: Date | null;
  /** The provider's creation request (while pending) or deletion request (while removing or replacing). */
  requestId: string | null;
  failure: string | null;
  updatedAt: Date;
};

/** An access row with the account it opens, as lists show it. */
export type PersonAccessView = PersonAccess & {
  account: { name: string; environment: Environment; provider: string; providerAccountId: string | null };
};

export type CloudUserRecord = { personId: string; provider: string; userId: string; userName: string; createdAt: Date; deletedAt: Date | null };

export interface PersonAccessStore {
  /** Creates the person and starts `runs` in one transaction; DomainError `conflict` at ['email'] when the address is taken. */
  addPerson(person: NewPerson, runs: NewRun[], now: Date): Promise<Person>;
  /** Changes an active tenant person's role and starts `runs` in one transaction; undefined when not an active tenant person. */
  changeTenantRole(id: string, role: TenantRole, runs: NewRun[], now: Date): Promise<Person | undefined>;
  /** Removes the person (sessions and API tokens end) and starts `runs` in one transaction; undefined when not active. */
  removePerson(id: string, by: string, at: Date, runs: NewRun[]): Promise<Person | undefined>;
  /** Starts runs whose subjects are new; returns how many were. */
  startRuns(runs: NewRun[], now: Date): Promise<number>;

  /** Every access row of these people, by person and account name. */
  listAccess(personIds: readonly string[]): Promise<PersonAccessView[]>;
  getAccess(personId: string, accountId: string): Promise<PersonAccess | undefined>;
  /**
   * Writes the row of (personId, accountId) if it is still as the caller read it (`readAs`: its status,
   * permission sets and request; null: it did not exist). False when another run changed it meanwhile:
   * runs for one person write concurrently, and none may undo what another did after its read.
   */
  saveAccess(row: PersonAccess, readAs: PersonAccess | null): Promise<boolean>;

  cloudUsers(personId: string): Promise<CloudUserRecord[]>;
  /** The living person whose user this is, if any. */
  holderOfCloudUser(provider: string, userId: string): Promise<string | undefined>;
  /** Records the person's user in a provider; false when another living person holds that user. */
  recordCloudUser(record: Omit<CloudUserRecord, 'deletedAt'>): Promise<boolean>;
  markCloudUserDeleted(personId: string, provider: string, at: Date): Promise<void>;

  /** How many active tenant admins the tenant has (a central operator may add only the first). */
  activeAdminCount(tenantId: string): Promise<number>;
  /**
   * Active tenant people without an access row for a ready account of their tenant, at most `limit`
   * pairs; people with a run of `busyWorkflow` pending or running are left to it.
   */
  missingAccess(limit: number, busyWorkflow: string): Promise<{ personId: string; accountId: string }[]>;
  /**
   * Removed people who still have an identity store user or an access row that is not removed (a
   * provisioning run raced their removal), at most `limit`, with how many deprovisioning runs they had.
   * People with a provisioning run in flight, or a deprovisioning run that has not succeeded (in flight,
   * or failed and waiting for an operator), are left to those runs.
   */
  strandedRemovals(limit: number, workflows: { provision: string; deprovision: string }): Promise<{ personId: string; deprovisionRuns: number }[]>;
}

/** Builds the runs of the people workflows (src/workflows/people) for the use cases to start. */
export interface PeopleProvisioning {
  /** Brings the person's assignments to what their tenant and role call for; `reason` makes the run's subject (one run per reason). */
  provisionRun(personId: string, reason: string): NewRun;
  /**
   * Removes every assignment of a removed person, then their identity store users. `attempt` (from 2)
   * is a later sweep of what a racing provisioning run left: one run per attempt.
   */
  deprovisionRun(personId: string, attempt?: number): NewRun;
  /** The workflow that provisions people (a person with one of its runs in flight is being seen to). */
  readonly provisionWorkflow: string;
  /** The workflow that deprovisions removed people. */
  readonly deprovisionWorkflow: string;
  /** Tells the workers there is new work. */
  wake(): Promise<void>;
}
