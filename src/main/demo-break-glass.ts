import { CloudError } from '../app/ports/cloud.js';
import { findInPages } from '../app/cloud-pages.js';
import { listGrants, requestGrant } from '../app/break-glass/grants.js';
import { identityUserNameOf } from '../app/break-glass/model.js';
import type { AccountWithOwners } from '../app/ports/registry-store.js';
import { principalForPerson } from '../identity/principal.js';
import type { Container } from './container.js';
import type { Stoppable } from './server.js';
import { identityCenterSession } from './demo-guardrails.js';
import { DEMO_OPERATOR_EMAIL, DEMO_TENANT } from './demo-people.js';

/**
 * The demo's break-glass story, so the portal's break-glass pages have something to show: once the
 * demo's account requests are done, the demo operator asks for access to one of 千代田区's accounts
 * (left pending for its tenant admin to approve or deny in the portal), and makes one call into another
 * of its accounts with no grant, which the break-glass worker's scan turns into an alert to 千代田区.
 * Both through the product's own paths (the use case, the twin's activity log); each done once.
 */

export const DEMO_BREAK_GLASS_REASON = 'デモ: 住民記録システムの障害調査 / demo: investigating an incident in the resident register';
const DURATION_MINUTES = 120;
/** A read-only look around that no grant covers; found again by its event name on a restart. */
const UNCOVERED_ACTION = 'ec2:DescribeSecurityGroups';
const UNCOVERED_EVENT = 'DescribeSecurityGroups';

/** Production first, then by name: the same accounts on every start. */
const byEnvironmentThenName = (a: AccountWithOwners, b: AccountWithOwners): number =>
  Number(b.account.environment === 'prod') - Number(a.account.environment === 'prod') || a.account.name.localeCompare(b.account.name);

/** One attempt: true when done (now or before), false while the demo's accounts or its operator are not there yet. */
export async function seedDemoBreakGlass(container: Container, io: { out: (line: string) => void }): Promise<boolean> {
  const inFlight = await container.requestDeps.requests.countByStatus({});
  if (inFlight.pending + inFlight.running > 0) return false;
  const person = await container.people.findActiveByEmail(DEMO_OPERATOR_EMAIL);
  const operator = person === undefined ? undefined : principalForPerson(person, 'token');
  const tenant = await container.registry.getOrganisationByCode(DEMO_TENANT);
  if (operator === undefined || tenant === undefined) return false;
  const ready = (await container.registry.listAccounts({ organisationId: tenant.id, status: 'ready' }, { limit: 500 })).items
    .filter((a) => a.account.providerAccountId !== null && a.account.provider === container.cloud.provider)
    .sort(byEnvironmentThenName);
  const [asked, other = asked] = ready;
  if (asked === undefined || other === undefined || other.account.providerAccountId === null) return false;

  const deps = container.breakGlassDeps;
  // Any grant of the tenant's, in any state: the tenant admin may have decided it already.
  if ((await listGrants(deps, operator, { tenant: DEMO_TENANT }, { limit: 1 })).items.length === 0) {
    const grant = await requestGrant(deps, operator, { accountId: asked.account.id, reason: DEMO_BREAK_GLASS_REASON, durationMinutes: DURATION_MINUTES });
    io.out(`demo: break-glass access to ${asked.account.name} requested by ${operator.email} (${grant.id}), waiting for ${DEMO_TENANT}'s tenant admin`);
  }

  const accountId = other.account.providerAccountId;
  const principal = identityCenterSession(accountId, 'Admin', identityUserNameOf(operator.email));
  const logged = await findInPages(
    (token) => container.cloud.lookupEvents({ accountId, eventName: UNCOVERED_EVENT }, token),
    (e) => e.userIdentity.arn === principal.arn,
  );
  if (logged === undefined) {
    await container.cloud.simulateCall({ accountId, principal, action: UNCOVERED_ACTION, region: 'ap-northeast-1' }).catch((error: unknown) => {
      // A denied call is logged all the same, and is just as uncovered.
      if (!(error instanceof CloudError && error.code === 'AccessDeniedException')) throw error;
    });
    io.out(`demo: a central-side call in ${other.account.name} (${accountId}) with no grant; the break-glass worker alerts ${DEMO_TENANT}`);
  }
  return true;
}

/** Tries every few seconds until the demo's accounts are ready, then seeds once. */
export function startDemoBreakGlass(container: Container, io: { out: (line: string) => void }, intervalMs = 2_000): Stoppable {
  const abort = new AbortController();
  const loop = (async () => {
    while (!abort.signal.aborted) {
      try {
        if (await seedDemoBreakGlass(container, io)) return;
      } catch (error) {
        io.out(`demo: break-glass not seeded yet (${error instanceof Error ? error.message : String(error)})`);
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
