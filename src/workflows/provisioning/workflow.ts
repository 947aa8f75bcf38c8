import { CloudError } from '../../app/ports/cloud.js';
import { DomainError } from '../../domain/errors.js';
import { defineWorkflow, type ErrorClass, type RunnableWorkflow, type StepDefinition } from '../engine/definition.js';
import { ProvisioningInput, ProvisioningState, type ProvisioningDeps } from './deps.js';
import { findCreationInProgress } from './lookups.js';
import { createAccount, ownAccountByEmail, reserveNameAndEmail, validate, waitForCreation } from './steps-account.js';
import { assignAccess, enrolSupport, ensureIdentity, notifyRequester, placeInOu, recordReady } from './steps-setup.js';

export const PROVISIONING_WORKFLOW = 'provision-account';

/** The order of provisioning, as data. Later features insert their steps (baseline, guardrails) with insertStepsAfter. */
export function provisioningSteps(deps: ProvisioningDeps): StepDefinition<ProvisioningInput, ProvisioningState>[] {
  return [
    validate(deps),
    reserveNameAndEmail(deps),
    createAccount(deps),
    waitForCreation(deps),
    placeInOu(deps),
    ensureIdentity(deps),
    assignAccess(deps),
    enrolSupport(deps),
    recordReady(deps),
    notifyRequester(deps),
  ];
}

/** Throttling waits without limit; transient errors retry up to the limit; everything else is for an operator. */
export function classifyProvisioningError(error: unknown): ErrorClass {
  if (error instanceof CloudError) {
    if (error.code === 'TooManyRequestsException') return { kind: 'throttled', code: error.code, message: error.message };
    if (error.retryable) return { kind: 'transient', code: error.code, message: error.message };
    return { kind: 'permanent', code: error.reason ?? error.code, message: error.message, action: 'retry-or-abandon' };
  }
  if (error instanceof DomainError) return { kind: 'permanent', code: error.code, message: error.message, action: 'retry-or-abandon' };
  // Anything unexpected (a dropped connection, a bug) is retried a few times before a person looks.
  return { kind: 'transient', code: 'unexpected_error', message: error instanceof Error ? error.message : String(error) };
}

/**
 * Whether the provider may hold an account for this request. The run's state says so when it recorded
 * a creation; otherwise the provider is asked, because a CreateAccount call can take effect although
 * the step saw an error and recorded nothing: an account carrying this request's tag, or a creation
 * in progress under its name.
 */
async function providerMayHoldAccount(deps: ProvisioningDeps, input: ProvisioningInput, state: ProvisioningState): Promise<boolean> {
  if (state.providerAccountId !== undefined || state.createRequestId != null) return true;
  const cloud = deps.cloudFor(input.provider);
  if ((await ownAccountByEmail(cloud, input)).mine !== undefined) return true;
  return (await findCreationInProgress(cloud, input.accountName)) !== undefined;
}

export function provisioningWorkflow(deps: ProvisioningDeps, steps = provisioningSteps(deps)): RunnableWorkflow {
  return defineWorkflow({
    name: PROVISIONING_WORKFLOW,
    input: ProvisioningInput,
    state: ProvisioningState,
    steps,
    classify: classifyProvisioningError,
    onAbandon: async ({ input, state }) => deps.registry.releaseOrFail(input.accountId, await providerMayHoldAccount(deps, input, state)),
  });
}
