import type { Container } from './container.js';
import { seedDemoFederation } from '../app/registry/demo-federation.js';
import { DEMO_SYSTEMS } from '../app/registry/demo-federation.js';
import { submitAccountRequests } from '../app/requests/use-cases.js';

export const DEMO_REQUESTER = 'demo-admin@hatoba.example';

/**
 * Seeds the demo federation and, on an empty estate, a handful of account requests so the API shows
 * provisioning at work from the first minute. Running it again adds nothing.
 */
export async function seedDemo(container: Container, io: { out: (line: string) => void }): Promise<void> {
  const result = await seedDemoFederation(container.registryDeps, { dryRun: false });
  io.out(`demo federation: ${result.organisations.created.length} tenants and ${result.systems.created.length} systems added`);
  const existing = await container.requestDeps.requests.list({ limit: 1 });
  if (existing.length > 0) return;
  const items = Object.entries(DEMO_SYSTEMS)
    .slice(0, 3)
    .flatMap(([tenantCode, systems]) => systems.slice(0, 1).flatMap((s) => ['prod', 'dev'].map((environment) => ({ tenantCode, systemName: s.slug, environment }))));
  const submitted = await submitAccountRequests(container.requestDeps, { items, requestedBy: DEMO_REQUESTER, dryRun: false, batch: true, locate: (i) => ['demo', i] });
  io.out(`demo: ${submitted.requests.length} account requests queued (batch ${submitted.batchId ?? '-'})`);
}
