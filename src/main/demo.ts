import { ALL_TENANTS } from '../app/scope.js';
import type { Container } from './container.js';
import { seedDemoFederation } from '../app/registry/demo-federation.js';
import { DEMO_SYSTEMS } from '../app/registry/demo-federation.js';
import { submitAccountRequests } from '../app/requests/use-cases.js';
import { seedDemoResources } from '../app/posture/demo-resources.js';
import type { Stoppable } from './server.js';
import { startDemoGuardrails, stopAll } from './demo-guardrails.js';
import { seedDemoPeople, writeDemoToken } from './demo-people.js';
import { startDemoBreakGlass } from './demo-break-glass.js';

export const DEMO_REQUESTER = 'demo-admin@hatoba.example';

/**
 * Seeds the demo federation, its people and, on an empty estate, a handful of account requests so the
 * API shows provisioning at work from the first minute; once they are ready, the guardrail audit and
 * the break-glass story follow. Running it again adds nothing.
 */
export async function seedDemo(container: Container, io: { out: (line: string) => void }, options: { tokenFile?: string } = {}): Promise<Stoppable> {
  const activity = stopAll(startDemoActivity(container, io), startDemoGuardrails(container, io, DEMO_REQUESTER), startDemoBreakGlass(container, io));
  const result = await seedDemoFederation(container.registryDeps, { dryRun: false });
  io.out(`demo federation: ${result.organisations.created.length} tenants and ${result.systems.created.length} systems added`);
  io.out(`demo people: ${await seedDemoPeople(container)} added`);
  if (options.tokenFile !== undefined) {
    // The path only: the token is a credential.
    await writeDemoToken(container, options.tokenFile);
    io.out(`demo operator's API token written to ${options.tokenFile} (export HATOBA_TOKEN=$(cat ${options.tokenFile}))`);
  }
  const existing = await container.requestDeps.requests.list({ limit: 1 });
  if (existing.length > 0) return activity;
  const items = Object.entries(DEMO_SYSTEMS)
    .slice(0, 3)
    .flatMap(([tenantCode, systems]) => systems.slice(0, 1).flatMap((s) => ['prod', 'dev'].map((environment) => ({ tenantCode, systemName: s.slug, environment }))));
  const submitted = await submitAccountRequests(container.requestDeps, { items, requestedBy: DEMO_REQUESTER, scope: ALL_TENANTS, dryRun: false, batch: true, locate: (i) => ['demo', i] });
  io.out(`demo: ${submitted.requests.length} account requests queued (batch ${submitted.batchId ?? '-'})`);
  return activity;
}

/** Each registry account's place in creation order: which of the demo's problems it gets does not depend on when it became ready. */
async function accountPositions(container: Container): Promise<Map<string, number>> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await container.registry.listAccounts({}, { limit: 500, cursor });
    ids.push(...page.items.map((a) => a.account.id));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return new Map(ids.sort().map((id, position) => [id, position]));
}

/**
 * The demo's tenant activity: each account, once it is ready, gets the demo's resources (a compliant
 * baseline and one or two deliberate problems, src/app/posture/demo-resources.ts), which the detective
 * worker then evaluates. An account that already has resources (a restart) is left as it is.
 */
export function startDemoActivity(container: Container, io: { out: (line: string) => void }, intervalMs = 1_000): Stoppable {
  const seen = new Set<string>();
  const abort = new AbortController();
  const loop = (async () => {
    while (!abort.signal.aborted) {
      try {
        const owners = (await container.postureDeps.store.owners(container.cloud.provider)).filter((o) => !seen.has(o.providerAccountId));
        const positions = owners.length === 0 ? new Map<string, number>() : await accountPositions(container);
        for (const owner of owners) {
          if (abort.signal.aborted) break;
          seen.add(owner.providerAccountId);
          if ((await container.cloud.listResources(owner.providerAccountId, {})).items.length > 0) continue;
          const count = await seedDemoResources(container.cloud, owner.providerAccountId, positions.get(owner.accountId) ?? 0);
          io.out(`demo: ${count} resources created in account ${owner.providerAccountId}`);
        }
      } catch (error) {
        io.out(`demo: resources not seeded yet (${error instanceof Error ? error.message : String(error)})`);
      }
      await container.clock.sleep(intervalMs, abort.signal);
    }
  })();
  return {
    stop: async () => {
      abort.abort();
      await loop;
    },
  };
}
