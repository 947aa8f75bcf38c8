import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from './config.js';
import type { Database } from '../store/database.js';
import { systemClock, type Clock } from '../app/ports/clock.js';
import type { CloudDriver } from '../app/ports/cloud.js';
import { createSimulatedCloud, type SimulatedCloud } from '../cloud/simulated/driver.js';
import { SimulatedCloudConfig } from '../cloud/simulated/config.js';
import { resolveCaller } from '../cloud/simulated/activity.js';
import { createWorkflowStore } from '../store/workflow-store.js';
import { createRequestStore } from '../store/request-store.js';
import { createNotificationStore } from '../store/notification-store.js';
import { createRegistryStore } from '../store/registry-store.js';
import { ensureOuPath } from '../app/registry/ou-path.js';
import { timeOrderedId } from '../app/registry/ids.js';
import type { RegistryDeps } from '../app/registry/deps.js';
import { provisioningWorkflow } from '../workflows/provisioning/workflow.js';
import { createProvisioner } from '../workflows/provisioning/provisioner.js';
import { creationSlot, defaultProvisioningSettings, type ProvisioningSettings } from '../workflows/provisioning/deps.js';
import { WorkflowRunner, type RetryPolicy, type RunnerOptions } from '../workflows/engine/runner.js';
import type { RequestDeps } from '../app/requests/use-cases.js';
import { provisioningRegistry, requestDirectory } from './adapters.js';
import { createRolloutStore } from '../store/rollout-store.js';
import { loadIamVocabulary } from '../cloud/iam-data/vocabulary.js';
import type { GuardrailDeps } from '../app/guardrails/deps.js';
import { readCatalog } from './catalog.js';
import type { Catalog } from '../guardrails/catalog/catalog.js';
import { createDetectiveEvaluator } from '../guardrails/detective/evaluator.js';
import { createFindingsStore } from '../store/findings-store.js';
import { createAuditStore } from '../store/audit-store.js';
import type { PostureDeps } from '../app/posture/deps.js';
import { DetectiveWorker, type DetectiveWorkerOptions } from '../app/posture/worker.js';
import { createPeopleStore } from '../store/people-store.js';
import { createPersonAccessStore } from '../store/person-access-store.js';
import type { PeopleDeps } from '../app/people/deps.js';
import { PeopleReconciler, type PeopleReconcilerOptions } from '../app/people/reconciler.js';
import { defaultPeopleWorkflowSettings } from '../workflows/people/deps.js';
import { createPeopleProvisioning, deprovisionPersonWorkflow, provisionPersonWorkflow } from '../workflows/people/workflow.js';
import { createBreakGlassStore } from '../store/break-glass-store.js';
import { DEFAULT_SCAN_SETTINGS, type BreakGlassDeps } from '../app/break-glass/deps.js';
import { BreakGlassWorker, type BreakGlassWorkerOptions } from '../app/break-glass/worker.js';

export const WORK_CHANNEL = 'hatoba_work';

export type ContainerOptions = {
  clock?: Clock;
  twin?: SimulatedCloudConfig;
  settings?: Partial<ProvisioningSettings>;
  retry?: RetryPolicy;
  /** The controls catalog, when the caller has read it already (startServer does, before the database). */
  catalog?: Catalog;
};

/** Everything one process needs, built from the config; the only place that constructs drivers. */
export async function createContainer(config: Config, db: Database, options: ContainerOptions = {}) {
  const clock = options.clock ?? systemClock;
  const catalog = options.catalog ?? (await readCatalog(config.catalogDir));
  const twinConfig: SimulatedCloudConfig = options.twin ?? {
    accountCreationDurationMs: config.twin.creationMs,
    accountCreationConcurrency: config.twin.concurrency,
    assignmentDurationMs: 500,
    ...(config.twin.faults === undefined ? {} : { faults: config.twin.faults }),
  };
  const cloud: SimulatedCloud = await createSimulatedCloud({ db, clock, config: twinConfig });
  const clouds: Record<string, CloudDriver> = { simulated: cloud };
  const cloudFor = (provider: string): CloudDriver => {
    const driver = clouds[provider];
    if (driver === undefined) throw new Error(`no driver is configured for provider ${provider}`);
    return driver;
  };
  const registry = createRegistryStore(db);
  const workflowStore = createWorkflowStore(db);
  const settings: ProvisioningSettings = {
    ...defaultProvisioningSettings,
    pollIntervalMs: config.worker.pollIntervalMs,
    expectedCreationMs: config.worker.expectedCreationMs,
    creationTimeoutMs: config.worker.creationTimeoutMs,
    supportPlan: config.worker.supportPlan,
    ...options.settings,
  };
  const notifications = createNotificationStore(db);
  const workflow = provisioningWorkflow({
    cloudFor,
    registry: provisioningRegistry(registry),
    ensureOuPath,
    notifications,
    settings,
  });
  const announce = (sender = 'api') => db.notify(WORK_CHANNEL, sender);

  /** People and their access: the provision-person and deprovision-person workflows (ADR 0012). */
  const people = createPeopleStore(db);
  const personAccess = createPersonAccessStore(db);
  const peopleWorkflowDeps = {
    cloudFor,
    people,
    access: personAccess,
    registry,
    // The same two permission sets account provisioning assigns to the tenants' groups: never more.
    settings: { ...defaultPeopleWorkflowSettings, permissionSets: settings.permissionSets, pollIntervalMs: Math.min(defaultPeopleWorkflowSettings.pollIntervalMs, settings.pollIntervalMs) },
  };
  const peopleWorkflows = { provision: provisionPersonWorkflow(peopleWorkflowDeps), deprovision: deprovisionPersonWorkflow(peopleWorkflowDeps) };
  const peopleProvisioning = createPeopleProvisioning(peopleWorkflows, () => announce());
  const peopleDeps: PeopleDeps = { people, access: personAccess, registry, provisioning: peopleProvisioning, clock, newId: timeOrderedId };
  /** Gives people access to accounts that became ready after them (src/app/people/reconciler.ts). */
  const createPeopleReconciler = (overrides: Partial<PeopleReconcilerOptions> = {}): PeopleReconciler =>
    new PeopleReconciler(
      { access: personAccess, provisioning: peopleProvisioning, clock },
      { intervalMs: 5_000, batchSize: 500, onError: (error) => console.error('people:', error instanceof Error ? error.message : error), ...overrides },
    );
  const requestDeps: RequestDeps = {
    requests: createRequestStore(db),
    directory: requestDirectory(registry),
    provisioner: createProvisioner(workflowStore, workflow, clock, announce),
    clock,
    newId: timeOrderedId,
    accountEmailDomain: config.accountEmailDomain,
  };
  const registryDeps: RegistryDeps = { store: registry, clock, ids: timeOrderedId, cloudFor };
  const slots = Object.fromEntries(Object.values(clouds).map((c) => [creationSlot(c.provider), c.accountCreationConcurrency]));

  function createRunner(
    overrides: { owner?: string; concurrency?: number; leaseMs?: number; onError?: (e: unknown) => void; onBoundary?: RunnerOptions['onBoundary'] } = {},
  ): WorkflowRunner {
    return new WorkflowRunner({
      store: workflowStore,
      clock,
      workflows: [workflow, peopleWorkflows.provision, peopleWorkflows.deprovision],
      owner: overrides.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      concurrency: overrides.concurrency ?? config.worker.concurrency,
      slots,
      ...(options.retry === undefined ? {} : { retry: options.retry }),
      subscribe: (wake) => db.listen(WORK_CHANNEL, wake),
      announce,
      leaseMs: overrides.leaseMs ?? config.worker.leaseMs,
      ...(overrides.onBoundary === undefined ? {} : { onBoundary: overrides.onBoundary }),
      onError: overrides.onError ?? ((error) => console.error('worker:', error instanceof Error ? error.message : error)),
    });
  }

  const detective = createDetectiveEvaluator(catalog.controls);
  const postureDeps: PostureDeps = { cloud, store: createFindingsStore(db), registry, clock, evaluator: async () => detective };
  /** The detective guardrails' incremental evaluation, following the twin's resource change feed. */
  const createDetectiveWorker = (overrides: Partial<DetectiveWorkerOptions> = {}): DetectiveWorker =>
    new DetectiveWorker(postureDeps, {
      intervalMs: 1_000,
      batchSize: 500,
      onError: (error) => console.error('detective:', error instanceof Error ? error.message : error),
      ...overrides,
    });

  /** The preventive rollout per OU (off -> audit -> enforce); the IAM vocabulary for lint loads on first use. */
  const guardrailDeps: GuardrailDeps = {
    store: createRolloutStore(db),
    cloud,
    clock,
    catalog: async () => catalog.controls,
    vocabulary: loadIamVocabulary,
    managementAccountId: cloud.organization.managementAccountId,
    newReportId: () => timeOrderedId('rpt'),
    impactLookbackDays: config.guardrails.impactLookbackDays,
  };

  /** The tamper-evident audit trail every state-changing API request is appended to. */
  const auditLog = createAuditStore(db);

  /** Break-glass grants and the uncovered-activity scan; the twin's own caller is the platform's automation (ADR 0013). */
  const breakGlassDeps: BreakGlassDeps = {
    store: createBreakGlassStore(db),
    registry,
    cloud,
    notifications,
    clock,
    newGrantId: () => timeOrderedId('grt'),
    platform: { managementAccountId: cloud.organization.managementAccountId, callerArn: resolveCaller(SimulatedCloudConfig.parse(twinConfig), cloud.organization).arn },
    scan: DEFAULT_SCAN_SETTINGS,
    adminPermissionSet: settings.permissionSets.admin,
    access: personAccess,
  };
  const createBreakGlassWorker = (overrides: Partial<BreakGlassWorkerOptions> = {}): BreakGlassWorker =>
    new BreakGlassWorker(breakGlassDeps, {
      intervalMs: 5_000,
      onError: (error) => console.error('break-glass:', error instanceof Error ? error.message : error),
      ...overrides,
    });

  return { db, clock, catalog, cloud, cloudFor, registry, registryDeps, notifications, workflowStore, workflow, requestDeps, createRunner, postureDeps, createDetectiveWorker, guardrailDeps, auditLog, breakGlassDeps, createBreakGlassWorker, people, peopleDeps, peopleWorkflows, createPeopleReconciler };
}

export type Container = Awaited<ReturnType<typeof createContainer>>;
