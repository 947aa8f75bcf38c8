import type { PeopleProvisioning } from '../../app/ports/person-access.js';
import { defineWorkflow, type RunnableWorkflow } from '../engine/definition.js';
import { classifyProvisioningError } from '../provisioning/workflow.js';
import { PersonRunInput, PersonRunState, type PeopleWorkflowDeps } from './deps.js';
import { deleteUserStep, removeAssignmentsStep } from './steps-deprovision.js';
import { assignAccountsStep, ensurePermissionSetsStep, ensureUserStep, waitForAssignmentsStep } from './steps-provision.js';

export const PROVISION_PERSON_WORKFLOW = 'provision-person';
export const DEPROVISION_PERSON_WORKFLOW = 'deprovision-person';

/** The order of a person's provisioning, as data ([ADR 0012](../../../docs/adr/0012-people-provisioning.md)). */
export function provisionPersonWorkflow(deps: PeopleWorkflowDeps): RunnableWorkflow {
  return defineWorkflow({
    name: PROVISION_PERSON_WORKFLOW,
    input: PersonRunInput,
    state: PersonRunState,
    steps: [ensureUserStep(deps), ensurePermissionSetsStep(deps), assignAccountsStep(deps), waitForAssignmentsStep(deps)],
    classify: classifyProvisioningError,
  });
}

export function deprovisionPersonWorkflow(deps: PeopleWorkflowDeps): RunnableWorkflow {
  return defineWorkflow({
    name: DEPROVISION_PERSON_WORKFLOW,
    input: PersonRunInput,
    state: PersonRunState,
    steps: [removeAssignmentsStep(deps), deleteUserStep(deps)],
    classify: classifyProvisioningError,
  });
}

/**
 * Runs for the use cases to start. A run's subject is the person and the reason, and its id follows
 * from it: starting the same reason twice (a retried request, two reconciliation passes) starts one run.
 */
export function createPeopleProvisioning(workflows: { provision: RunnableWorkflow; deprovision: RunnableWorkflow }, announce: () => Promise<void>): PeopleProvisioning {
  const firstOf = (workflow: RunnableWorkflow): string => {
    const first = workflow.stepNames[0];
    if (first === undefined) throw new Error(`the ${workflow.name} workflow has no steps`);
    return first;
  };
  const run = (workflow: RunnableWorkflow, personId: string, reason: string) => {
    const subject = `${personId}:${reason}`;
    return { id: `${workflow.name}:${subject}`, workflow: workflow.name, subject, input: { personId, reason }, firstStep: firstOf(workflow), needsSlot: null };
  };
  return {
    provisionRun: (personId, reason) => run(workflows.provision, personId, reason),
    deprovisionRun: (personId, attempt = 1) => run(workflows.deprovision, personId, attempt <= 1 ? 'removed' : `removed:${attempt}`),
    provisionWorkflow: workflows.provision.name,
    deprovisionWorkflow: workflows.deprovision.name,
    wake: announce,
  };
}
