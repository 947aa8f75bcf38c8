import { z } from 'zod';
import type { CloudDriver } from '../../app/ports/cloud.js';
import type { PeopleStore } from '../../app/ports/people-store.js';
import type { PersonAccessStore } from '../../app/ports/person-access.js';
import type { RegistryStore } from '../../app/ports/registry-store.js';
import type { PermissionSetNames } from '../../app/people/permission-sets.js';

/** The people workflows' input, checkpoints and dependencies. */

export const PersonRunInput = z.object({
  personId: z.string(),
  /** Why the run was started (added, role, account:<id>, removed); also its subject. */
  reason: z.string(),
});
export type PersonRunInput = z.infer<typeof PersonRunInput>;

const Arns = z.object({ admin: z.string(), non_admin: z.string() });

export const PersonRunState = z.object({
  /** The person is gone, central, or removed meanwhile: the remaining steps do nothing. */
  skipped: z.boolean().optional(),
  /** The person's identity store user per provider. */
  users: z.record(z.string(), z.string()).optional(),
  /** The instance's two permission sets per provider. */
  permissionSets: z.record(z.string(), Arns).optional(),
  /** Rounds of assign-then-wait that ended with a failed assignment. */
  failedRounds: z.number().int().optional(),
});
export type PersonRunState = z.infer<typeof PersonRunState>;

export type PeopleWorkflowSettings = {
  permissionSets: PermissionSetNames;
  /** How often an assignment in progress is looked at. */
  pollIntervalMs: number;
  /** Rounds that end with a failed assignment before the run stops for an operator. */
  maxFailedRounds: number;
};

export const defaultPeopleWorkflowSettings: Omit<PeopleWorkflowSettings, 'permissionSets'> = { pollIntervalMs: 1_000, maxFailedRounds: 3 };

export type PeopleWorkflowDeps = {
  cloudFor: (provider: string) => CloudDriver;
  people: Pick<PeopleStore, 'get'>;
  access: PersonAccessStore;
  registry: Pick<RegistryStore, 'listAccounts'>;
  settings: PeopleWorkflowSettings;
};

export { readyAccounts, type ReadyAccount } from '../../app/people/accounts.js';
