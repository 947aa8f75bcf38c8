import type { WorkflowRun } from './workflow-store.js';
import type { Environment } from '../../domain/registry/account.js';

/** A system as a request refers to it, with where its accounts are placed. */
export type ResolvedSystem = {
  systemId: string;
  systemName: string;
  organisationId: string;
  organisationCode: string;
  provider: string;
  /** The OU path the placement rules give an account of this system in this environment. */
  ouPathFor: (environment: string) => string;
};

export type SystemRef = { systemId?: string; organisationCode?: string; systemName?: string };

/** Looks systems up for request validation (adapted from the registry in main). */
export interface RequestDirectory {
  /** One answer per reference, in order; undefined where nothing matches. */
  resolveSystems(refs: SystemRef[]): Promise<(ResolvedSystem | undefined)[]>;
}

export type ProvisioningRequest = {
  requestId: string;
  accountId: string;
  organisationId: string;
  organisationCode: string;
  systemId: string;
  provider: string;
  environment: Environment;
  accountName: string;
  email: string;
  ouPath: string;
  requestedBy: string;
};

/** The provisioning workflow as the request use cases see it (implemented in workflows/). */
export interface Provisioner {
  runFor(request: ProvisioningRequest): { workflow: string; input: Record<string, unknown>; firstStep: string; needsSlot: string | null };
  retry(requestId: string): Promise<WorkflowRun>;
  abandon(requestId: string): Promise<WorkflowRun>;
  /** Tells idle workers that new runs are waiting. */
  wake(): Promise<void>;
}
