import type { StepDefinition, StepOutcome } from '../engine/definition.js';
import { creationSlot, type ProvisioningDeps, type ProvisioningInput, type ProvisioningState } from './deps.js';
import { findAccountByEmail, findCreationInProgress } from './lookups.js';
import type { CloudDriver } from '../../app/ports/cloud.js';

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
/** The tag that proves an account was created for a request: only such an account may be adopted. */
export const REQUEST_TAG = 'hatoba:request';

/** An account with this e-mail that this very request created (by its tag), if there is one. */
export async function ownAccountByEmail(cloud: CloudDriver, input: ProvisioningInput): Promise<{ mine: string | undefined; foreign: boolean }> {
  const existing = await findAccountByEmail(cloud, input.email);
  if (existing === undefined) return { mine: undefined, foreign: false };
  const tags = await cloud.listTagsForResource(existing.id);
  return tags[REQUEST_TAG] === input.requestId ? { mine: existing.id, foreign: false } : { mine: undefined, foreign: true };
}

const foreignEmail = (input: ProvisioningInput): StepOutcome<ProvisioningState> => ({
  type: 'fail',
  code: 'email_already_exists',
  message: `the e-mail ${input.email} belongs to an account this request did not create; it is never taken over`,
  action: 'abandon',
  // Nothing of this request's exists at the provider: an abandon may free its name and e-mail.
  patch: { createRequestId: null, creationAttempts: 0 },
});

/**
 * CreateAccount has no idempotency token, so the e-mail is the key: the request id is
 * checkpointed before the run moves on, and any re-execution (after a crash between the call and
 * the checkpoint, an operator retry, a second creation) first looks for what an earlier one did:
 * an account with the e-mail that carries this request's tag, or a creation still in progress under
 * the account name (CreateAccountStatus carries neither e-mail nor tags; the name is unique in the
 * registry, and the tag is checked when that creation completes).
 */
export const createAccount = (deps: ProvisioningDeps): Step => ({
  name: 'create-account',
  slot: (input) => creationSlot(input.provider),
  run: async ({ input, state, resumed }) => {
    if (state.createRequestId != null || state.providerAccountId !== undefined) return { type: 'done' };
    const cloud = deps.cloudFor(input.provider);
    const creationAttempts = (state.creationAttempts ?? 0) + 1;
    if (resumed || creationAttempts > 1) {
      const existing = await ownAccountByEmail(cloud, input);
      if (existing.mine !== undefined) return { type: 'done', patch: { providerAccountId: existing.mine, creationAttempts } };
      if (existing.foreign) return foreignEmail(input);
      const inFlight = await findCreationInProgress(cloud, input.accountName);
      if (inFlight !== undefined) return { type: 'done', patch: { createRequestId: inFlight.id, creationAttempts, adoptedCreation: true } };
    }
    const status = await cloud.createAccount({
      email: input.email,
      accountName: input.accountName,
      tags: { [REQUEST_TAG]: input.requestId, 'hatoba:organisation': input.organisationCode, 'hatoba:environment': input.environment },
    });
    return { type: 'done', patch: { createRequestId: status.id, creationAttempts, adoptedCreation: false } };
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
      // A creation found in progress (not made by this run) is only ours if its account carries this
      // request's tag. A creation this run made needs no check, which keeps it off the slot hand-over.
      if (state.adoptedCreation === true && (await cloud.listTagsForResource(status.accountId))[REQUEST_TAG] !== input.requestId) {
        return { type: 'fail', code: 'foreign_account', message: `the creation ${requestId} made an account for another request; it is never taken over`, action: 'abandon', patch: { createRequestId: null } };
      }
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
        // Our own earlier attempt may have created it, or may still be creating it: then it is ours.
        const existing = await ownAccountByEmail(cloud, input);
        if (existing.mine !== undefined) return { type: 'done', patch: { providerAccountId: existing.mine } };
        const inFlight = existing.foreign ? undefined : await findCreationInProgress(cloud, input.accountName);
        if (inFlight !== undefined) {
          return { type: 'wait', afterMs: deps.settings.pollIntervalMs, patch: { createRequestId: inFlight.id, adoptedCreation: true }, note: 'an earlier creation of this request is still in progress' };
        }
        return foreignEmail(input);
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
          // The provider says FAILED: it created nothing, so an abandon may free the name and e-mail.
          patch: { createRequestId: null, creationAttempts: 0 },
        };
    }
  },
});
