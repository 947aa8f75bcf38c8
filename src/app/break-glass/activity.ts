import type { Principal } from '../../domain/access/principal.js';
import type { ActivityEvent } from '../ports/cloud.js';
import { isSessionOf } from './central-activity.js';
import type { BreakGlassDeps } from './deps.js';
import { identityUserNameOf, windowEnd, type Grant } from './model.js';
import { grantNotFound, requireTenantPerson } from './who.js';

/** At most this many events are listed for one grant; a longer history says it was cut. */
export const MAX_GRANT_EVENTS = 1_000;

export type GrantActivity = {
  grant: Grant;
  /** The window the events were looked for in; null when the grant never started. */
  window: { from: Date; to: Date } | null;
  /** Newest first. */
  events: ActivityEvent[];
  truncated: boolean;
};

/**
 * What was done under a grant, for its tenant: the activity-log events in the account, within the
 * grant's window, made by the requester's Identity Center session. Central people never read it: it
 * is the tenant's record of what was done in its account.
 */
export async function grantActivity(deps: Pick<BreakGlassDeps, 'store' | 'cloud' | 'clock'>, caller: Principal, id: string): Promise<GrantActivity> {
  const person = requireTenantPerson(caller);
  const grant = await deps.store.getGrant(id);
  if (grant === undefined || grant.tenantId !== person.tenantId) throw grantNotFound(id);
  const end = windowEnd(grant);
  if (grant.startsAt === null || end === null) return { grant, window: null, events: [], truncated: false };
  const now = deps.clock.now();
  const to = end < now ? end : now;
  const userName = grant.access.userName ?? identityUserNameOf(grant.requestedBy.email);
  const events: ActivityEvent[] = [];
  let token: string | undefined;
  do {
    const page = await deps.cloud.lookupEvents({ accountId: grant.providerAccountId, since: grant.startsAt }, token);
    for (const event of page.items) {
      if (event.eventTime < end && isSessionOf(event, userName, grant.providerAccountId)) events.push(event);
      if (events.length > MAX_GRANT_EVENTS) return { grant, window: { from: grant.startsAt, to }, events: events.slice(0, MAX_GRANT_EVENTS), truncated: true };
    }
    token = page.nextToken;
  } while (token !== undefined);
  return { grant, window: { from: grant.startsAt, to }, events, truncated: false };
}
