/**
 * Test harness for the whole provisioning path: a container on a test database with a fast twin,
 * the demo federation seeded, and helpers to submit requests and wait for their runs.
 */
import { ALL_TENANTS } from '../../app/scope.js';
import { loadConfig } from '../config.js';
import { createContainer, type Container, type ContainerOptions } from '../container.js';
import type { Database } from '../../store/database.js';
import { seedDemoFederation, DEMO_SYSTEMS } from '../../app/registry/demo-federation.js';
import { submitAccountRequests, type SubmitResult } from '../../app/requests/use-cases.js';
import type { RunStatus, WorkflowRun } from '../../app/ports/workflow-store.js';

export const fastRetry = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 40, random: () => 0.5 };

export async function provisioningHarness(db: Database, options: ContainerOptions = {}): Promise<Container> {
  const config = loadConfig({ HATOBA_TWIN_CREATION_MS: '40', HATOBA_POLL_INTERVAL_MS: '10', HATOBA_CREATION_TIMEOUT_MS: '400' });
  const container = await createContainer(config, db, {
    retry: fastRetry,
    twin: { accountCreationDurationMs: 40, assignmentDurationMs: 5, ...options.twin },
    settings: { expectedCreationMs: 40, pollIntervalMs: 10, creationTimeoutMs: 400, ...options.settings },
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  await seedDemoFederation(container.registryDeps, { dryRun: false });
  return container;
}

/** Demo (tenant code, system slug) pairs, cycled: request i goes to pair i mod n. */
export function demoTargets(): { tenantCode: string; systemName: string }[] {
  return Object.entries(DEMO_SYSTEMS).flatMap(([tenantCode, systems]) => systems.map((s) => ({ tenantCode, systemName: s.slug })));
}

export async function requestAccounts(container: Container, count: number, prefix = 'acct', extra: Record<string, string> = {}): Promise<SubmitResult> {
  const targets = demoTargets();
  const items = Array.from({ length: count }, (_, i) => {
    const target = targets[i % targets.length];
    return { ...target, environment: 'dev', accountName: `${prefix}-${i}`, ...extra };
  });
  return submitAccountRequests(container.requestDeps, { items, requestedBy: 'tester@hatoba.example', scope: ALL_TENANTS, dryRun: false, batch: true, locate: (i) => ['test', i] });
}

export async function waitForRuns(container: Container, ids: string[], done: (s: RunStatus) => boolean = (s) => s === 'succeeded' || s === 'failed', timeoutMs = 30_000): Promise<WorkflowRun[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const runs = await Promise.all(ids.map((id) => container.workflowStore.getRun(id)));
    if (runs.every((r) => r !== undefined && done(r.status))) return runs.flatMap((r) => (r === undefined ? [] : [r]));
    if (Date.now() > end) throw new Error(`runs not done: ${runs.map((r) => `${r?.status}@${r?.currentStep}`).join(', ')}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}
