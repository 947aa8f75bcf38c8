import { z } from 'zod';

/**
 * Configuration of one simulated-cloud driver instance. It is passed in by the composition root,
 * not stored: the twin's *state* is shared through the database, while timings and fault rules
 * belong to the process that injects them (see faults.ts for what that means across processes).
 */

const times = z.number().int().positive().optional();
const rate = z.number().min(0).max(1).optional();
const onlyOneTrigger = (rule: { times?: number | undefined; rate?: number | undefined }): boolean =>
  rule.times === undefined || rule.rate === undefined;
const triggerMessage = 'give `times` (the next N matching calls) or `rate` (a seeded probability), not both';

/** A synchronous error thrown instead of running a call. */
export const CallFaultRule = z
  .object({
    /** CloudTrail eventName of the operation (CreateAccount, MoveAccount, CreateAccountAssignment, …) or '*'. */
    operation: z.string().min(1),
    error: z.enum(['ServiceException', 'TooManyRequestsException', 'ConcurrentModificationException']),
    /** Fire on the next N matching calls, then retire. */
    times,
    /** Fire with this probability on each matching call (seeded, so repeatable). Neither: always. */
    rate,
  })
  .refine(onlyOneTrigger, triggerMessage);
export type CallFaultRule = z.input<typeof CallFaultRule>;

/** Decides how an accepted CreateAccount request ends (observed asynchronously, as on AWS). */
export const CreationFaultRule = z
  .object({
    outcome: z.enum([
      'EMAIL_ALREADY_EXISTS',
      'CONCURRENT_ACCOUNT_MODIFICATION',
      'ACCOUNT_LIMIT_EXCEEDED',
      'INTERNAL_FAILURE',
      /** The request stays IN_PROGRESS forever and keeps its concurrency slot. */
      'NEVER_COMPLETES',
    ]),
    /** Only requests for these e-mail addresses (case-insensitive); every request when absent. */
    emails: z.array(z.string()).optional(),
    times,
    rate,
  })
  .refine(onlyOneTrigger, triggerMessage);
export type CreationFaultRule = z.input<typeof CreationFaultRule>;

export const FaultConfig = z.object({
  /** Seed of the generator behind `rate` rules: the same seed and call order give the same faults. */
  seed: z.number().int().default(1),
  calls: z.array(CallFaultRule).default([]),
  creations: z.array(CreationFaultRule).default([]),
});
export type FaultConfig = z.input<typeof FaultConfig>;

export const SimulatedCloudConfig = z.object({
  /** Name of the twin in the database; several twins can share one database. */
  twin: z.string().min(1).default('default'),
  /** How long a CreateAccount request stays IN_PROGRESS before it succeeds. */
  accountCreationDurationMs: z.number().int().nonnegative().default(60_000),
  /** How long a doomed request stays IN_PROGRESS before it fails; defaults to the creation duration. */
  failedCreationDurationMs: z.number().int().nonnegative().optional(),
  /** How long a CreateAccountAssignment request stays IN_PROGRESS. */
  assignmentDurationMs: z.number().int().nonnegative().default(2_000),
  /** Account creations IN_PROGRESS at once (Organizations and Control Tower: 5). */
  accountCreationConcurrency: z.number().int().positive().default(5),
  /** Permission sets per IAM Identity Center instance (AWS default quota: 2,000). */
  permissionSetQuota: z.number().int().positive().default(2_000),
  /** Items per page of every list (ListAccounts returns at most 20 on AWS). */
  pageSize: z.number().int().positive().max(1_000).default(20),
  /** Region of IAM Identity Center and CloudTrail (Organizations is always us-east-1). */
  homeRegion: z.string().min(1).default('ap-northeast-1'),
  managementAccountEmail: z.email().default('management@twin.hatoba.invalid'),
  /** Who calls the twin (CloudTrail's userIdentity); a role in the management account when absent. */
  caller: z
    .object({
      type: z.enum(['AssumedRole', 'IAMUser', 'Root', 'FederatedUser']).default('AssumedRole'),
      arn: z.string().startsWith('arn:'),
      principalId: z.string().min(1).optional(),
    })
    .optional(),
  faults: FaultConfig.prefault({}),
});
export type SimulatedCloudConfig = z.input<typeof SimulatedCloudConfig>;
export type ResolvedTwinConfig = z.output<typeof SimulatedCloudConfig>;
