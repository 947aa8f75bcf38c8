import type { Clock } from '../../app/ports/clock.js';
import type { Provisioner, ProvisioningRequest } from '../../app/ports/provisioner.js';
import type { WorkflowStore } from '../../app/ports/workflow-store.js';
import { invalidState, notFound } from '../../domain/errors.js';
import type { RunnableWorkflow } from '../engine/definition.js';
import { PROVISIONING_WORKFLOW } from './workflow.js';

/** Starts, retries and abandons provisioning runs on behalf of the request use cases. */
export function createProvisioner(store: WorkflowStore, workflow: RunnableWorkflow, clock: Clock, announce: () => Promise<void>): Provisioner {
  const firstStep = workflow.stepNames[0];
  if (firstStep === undefined) throw new Error('the provisioning workflow has no steps');
  return {
    runFor(request: ProvisioningRequest) {
      const input = { ...request };
      return { workflow: PROVISIONING_WORKFLOW, input, firstStep, needsSlot: workflow.slotFor(firstStep, input, {}) ?? null };
    },
    async retry(requestId) {
      const run = await store.getRun(requestId);
      if (run === undefined) throw notFound('account request', requestId);
      if (run.currentStep === null) throw invalidState('the run has no step to retry');
      const updated = await store.retry(requestId, clock.now(), workflow.slotFor(run.currentStep, run.input, run.state) ?? null);
      await announce();
      return updated;
    },
    wake: announce,
    async abandon(requestId) {
      const updated = await store.abandon(requestId, clock.now());
      await workflow.abandon(requestId, updated.input, updated.state);
      await announce();
      return updated;
    },
  };
}
