import { z } from 'zod';
import type { CloudDriver, SupportPlan } from '../../app/ports/cloud.js';
import type { NotificationStore } from '../../app/ports/notifications.js';
import { Environment } from '../../domain/registry/account.js';

/** What a provisioning run is asked to do; fixed when the request is accepted. */
export const ProvisioningInput = z.object({
  requestId: z.string(),
  accountId: z.string(),
  organisationId: z.string(),
  organisationCode: z.string(),
  systemId: z.string(),
  provider: z.string(),
  environment: Environment,
  accountName: z.string(),
  email: z.string(),
  ouPath: z.string(),
  requestedBy: z.string(),
});
export type ProvisioningInput = z.infer<typeof ProvisioningInput>;

/** Checkpoints: each step's durable result. null clears a value (JSON has no undefined). */
export const ProvisioningState = z.object({
  createRequestId: z.string().nullable().optional(),
  /** The creation was found in progress rather than made by this run: its account's tag is checked. */
  adoptedCreation: z.boolean().optional(),
  creationAttempts: z.number().optional(),
  providerAccountId: z.string().optional(),
  ouId: z.string().optional(),
  adminGroupId: z.string().optional(),
  nonAdminGroupId: z.string().optional(),
  adminPermissionSetArn: z.string().optional(),
  nonAdminPermissionSetArn: z.string().optional(),
  assignmentRequests: z.record(z.string(), z.string()).optional(),
  supportPlan: z.string().optional(),
  readyAt: z.string().optional(),
});
export type ProvisioningState = z.infer<typeof ProvisioningState>;

export type AccountRecordPatch = {
  status: 'provisioning' | 'ready' | 'failed';
  providerAccountId?: string;
  ouPath?: string;
  readyAt?: Date;
};

/** The registry as provisioning sees it: a narrow view, adapted from the registry store in main. */
export interface ProvisioningRegistry {
  /** The system with its owner and provider, or undefined when it no longer exists. */
  findSystem(systemId: string): Promise<{ id: string; organisationId: string; provider: string } | undefined>;
  /**
   * Reserves the account's name and e-mail for this request. Reserving again for the same request
   * is a no-op; a name or e-mail held by another request is reported as taken.
   */
  reserveAccount(input: {
    id: string;
    requestId: string;
    systemId: string;
    organisationId: string;
    environment: string;
    name: string;
    email: string;
    provider: string;
  }): Promise<{ reserved: true } | { reserved: false; field: 'name' | 'email' }>;
  updateAccount(accountId: string, patch: AccountRecordPatch): Promise<void>;
  /**
   * After an operator abandons: gives the reservation back, or, when the provider may hold an account
   * for it, keeps it and marks it failed. Does nothing when nothing was reserved.
   */
  releaseOrFail(accountId: string, providerMayHoldIt: boolean): Promise<void>;
}

export type ProvisioningSettings = {
  /** How long a creation usually takes: the first poll waits this long after the request. */
  expectedCreationMs: number;
  /** How often a pending creation is polled after the expected time has passed. */
  pollIntervalMs: number;
  /** A creation still IN_PROGRESS after this long stops for an operator. */
  creationTimeoutMs: number;
  /** Retryable creation failures (CONCURRENT_ACCOUNT_MODIFICATION, INTERNAL_FAILURE) before giving up. */
  maxCreationAttempts: number;
  supportPlan: SupportPlan;
  /** Names of the only two permission sets that exist (never one per person). */
  permissionSets: { admin: string; nonAdmin: string };
};

export const defaultProvisioningSettings: ProvisioningSettings = {
  expectedCreationMs: 60_000,
  pollIntervalMs: 15_000,
  creationTimeoutMs: 60 * 60_000,
  maxCreationAttempts: 5,
  supportPlan: 'BUSINESS',
  permissionSets: { admin: 'Admin', nonAdmin: 'NonAdmin' },
};

export type ProvisioningDeps = {
  cloudFor: (provider: string) => CloudDriver;
  registry: ProvisioningRegistry;
  ensureOuPath: (cloud: CloudDriver, path: string) => Promise<string>;
  notifications: NotificationStore;
  settings: ProvisioningSettings;
};

export const creationSlot = (provider: string): string => `account-creation:${provider}`;
