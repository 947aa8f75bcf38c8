import type { StepDefinition } from '../engine/definition.js';
import { creationSlot, type ProvisioningDeps, type ProvisioningInput, type ProvisioningState } from './deps.js';
import { findAccountByEmail, findCreationInProgress } from './lookups.js';

type Step = StepDefinition<ProvisioningInput, ProvisioningState>;

/** Re-checks what the request refers to: the system may have been removed since the request was accepted. */
export const validate = (deps: ProvisioningDeps): Step => ({
  name: 'validate',
  run: async ({ input }) => {
    const system = await deps.registry.findSystem(input.systemId);
    if (system === undefined) {
      return { type: 'fail', code: 'system_not_found', message: `system ${input.systemId} no longer exists`, action: 'abandon' };
    }
    if (system.organisationId !== input.organisationId || system.provider !== input.provider) {
      return { type: 'fail', code: 'system_changed', message: 'the system changed owner or provider after the request', action: 'abandon' };
    }
    return { type: 'done' };
  },
});

export const reserveNameAndEmail = (deps: ProvisioningDeps): Step => ({
  name: 'reserve-name-and-email',
  run: async ({ input }) => {
    const result = await deps.registry.reserveAccount({
      id: input.accountId,
      requestId: input.requestId,
      systemId: input.systemId,
      organisationId: input.organisationId,
      environment: input.environment,
      name: input.accountName,
      email: input.email,
      provider: input.provider,
    });
    if (!result.reserved) {
      return { type: 'fail', code: `${result.field}_taken`, message: `the account ${result.field} is already used by another account`, action: 'abandon' };
    }
    return { type: 'done' };
  },
});

/**
 * CreateAccount has no idempotency token, so the e-mail is the key: the request id is
 * checkpointed before the run moves on, and any re-execution (after a crash between the call and
 * the checkpoint) first looks for the account or the in-flight request it may already have made.
 */
export const createAccount = (deps: ProvisioningDeps): Step => ({
  name: 'create-account',
  slot: (input) => creationSlot(input.provider),
  run: async ({ input, state, attempt }) => {
    if (state.createRequestId != null || state.providerAccountId !== undefined) return { type: 'done' };
    const cloud = deps.cloudFor(input.provider);
    const creationAttempts = (state.creationAttempts ?? 0) + 1;
    if (attempt > 1 || creationAttempts > 1) {
      const existing = await findAccountByEmail(cloud, input.email);
      if (existing !== undefined) return { type: 'done', patch: { providerAccountId: existing.id } };
      const inFlight = await findCreationInProgress(cloud, input.accountName);
      if (inFlight !== undefined) return { type: 'done', patch: { createRequestId: inFlight.id } };
    }
    const status = await cloud.createAccount({
      email: input.email,
      accountName: input.accountName,
      tags: { 'hatoba:request': input.requestId, 'hatoba:organisation': input.organisationCode, 'hatoba:environment': input.environment },
    });
    return { type: 'done', patch: { createRequestId: status.id, creationAttempts } };
  },
});

export const waitForCreation = (deps: ProvisioningDeps): Step => ({
  name: 'wait-for-creation',
  slot: (input) => creationSlot(input.provider),
  releasesSlot: true,
  run: async ({ input, state, now, stepStartedAt }) => {
    if (state.providerAccountId !== undefined) return { type: 'done' };
    const requestId = state.createRequestId;
    if (requestId == null) return { type: 'goto', step: 'create-account', afterMs: 0, note: 'no creation request is recorded' };
    const cloud = deps.cloudFor(input.provider);
    const status = await cloud.describeCreateAccountStatus(requestId);
    if (status.state === 'SUCCEEDED' && status.accountId !== undefined) {
      return { type: 'done', patch: { providerAccountId: status.accountId } };
    }
    if (status.state === 'IN_PROGRESS') {
      if (now.getTime() - stepStartedAt.getTime() > deps.settings.creationTimeoutMs) {
        return {
          type: 'fail',
          code: 'creation_timed_out',
          message: `the provider has not finished creating the account after ${Math.round(deps.settings.creationTimeoutMs / 60_000)} minutes (request ${requestId})`,
          action: 'retry-or-abandon',
        };
      }
      // Polling before the usual creation time only costs calls against the provider's rate limit.
      const expectedAt = status.requestedAt.getTime() + deps.settings.expectedCreationMs;
      return { type: 'wait', afterMs: Math.max(deps.settings.pollIntervalMs, expectedAt - now.getTime()), note: 'creation in progress' };
    }
    switch (status.failureReason) {
      case 'EMAIL_ALREADY_EXISTS': {
        // Our own earlier attempt may have created it: then it is ours, not a conflict.
        const existing = await findAccountByEmail(cloud, input.email);
        if (existing !== undefined) return { type: 'done', patch: { providerAccountId: existing.id } };
        return {
          type: 'fail',
          code: 'email_already_exists',
          message: `the e-mail ${input.email} already belongs to an account outside this organisation`,
          action: 'abandon',
          patch: { createRequestId: null },
        };
      }
      case 'CONCURRENT_ACCOUNT_MODIFICATION':
      case 'INTERNAL_FAILURE':
      case undefined: {
        const attempts = state.creationAttempts ?? 1;
        if (attempts >= deps.settings.maxCreationAttempts) {
          return {
            type: 'fail',
            code: 'creation_failed',
            message: `the provider failed the creation ${attempts} times (last: ${status.failureReason ?? 'no reason'})`,
            action: 'retry-or-abandon',
            patch: { createRequestId: null, creationAttempts: 0 },
          };
        }
        return { type: 'goto', step: 'create-account', afterMs: deps.settings.pollIntervalMs, patch: { createRequestId: null }, note: `creation failed: ${status.failureReason ?? 'no reason'}` };
      }
      default:
        return {
          type: 'fail',
          code: status.failureReason.toLowerCase(),
          message: `the provider refused the account: ${status.failureReason}`,
          action: 'retry-or-abandon',
          patch: { createRequestId: null },
        };
    }
  },
});
