import type { ActivityEvent } from '../ports/cloud.js';
import { centralSideOf, type CentralSide } from './central-activity.js';
import type { BreakGlassDeps } from './deps.js';
import { tenantRecipients, uncoveredNotice, type UncoveredGroup } from './messages.js';
import { coversTime } from './model.js';
import type { AccountOwner, NewAlert } from './store.js';

/**
 * The uncovered-activity scan: reads the activity log from its cursor (less an overlap, for events
 * delivered late), finds central-side activity in tenant accounts (central-activity.ts) that no grant
 * covered at the event's time, and raises one alert per event to the owning tenant: a row the tenant
 * lists, and a message in the outbox. Re-reading is harmless (an event has at most one alert, a message
 * one dedupe key), so several processes may scan at once and a crash repeats at most a scan.
 */

export type ScanResult = { events: number; central: number; alerts: number };

export const scanCursorName = (provider: string): string => `break-glass:${provider}`;

type Candidate = { event: ActivityEvent; side: CentralSide; owner: AccountOwner; personId: string | null };

async function candidatesOf(deps: BreakGlassDeps, events: readonly ActivityEvent[]): Promise<Candidate[]> {
  const sides = events.flatMap((event) => {
    const side = centralSideOf(event, deps.platform);
    return side === undefined ? [] : [{ event, side }];
  });
  if (sides.length === 0) return [];
  const owners = new Map((await deps.store.owners(deps.cloud.provider, [...new Set(sides.map((s) => s.event.recipientAccountId))])).map((o) => [o.providerAccountId, o]));
  const userNames = sides.flatMap((s) => (s.side.userName === null ? [] : [s.side.userName]));
  const central = await deps.store.centralPeopleByUserName(userNames);
  return sides.flatMap(({ event, side }): Candidate[] => {
    const owner = owners.get(event.recipientAccountId);
    if (owner === undefined) return []; // not a tenant account the registry knows
    if (side.userName === null) return [{ event, side, owner, personId: null }];
    const personId = central.get(side.userName);
    return personId === undefined ? [] : [{ event, side, owner, personId }]; // a tenant's own session
  });
}

/** The candidates no grant covers: only the requester's own Identity Center session, in its account, within the window. */
async function uncovered(deps: BreakGlassDeps, candidates: readonly Candidate[]): Promise<Candidate[]> {
  const covered = candidates.filter((c) => c.side.kind === 'identity_center');
  if (covered.length === 0) return [...candidates];
  const times = covered.map((c) => c.event.eventTime.getTime());
  const grants = await deps.store.windowsOverlapping(deps.cloud.provider, [...new Set(covered.map((c) => c.owner.providerAccountId))], new Date(Math.min(...times)), new Date(Math.max(...times)));
  return candidates.filter(
    (c) =>
      c.side.kind !== 'identity_center' ||
      !grants.some((g) => g.providerAccountId === c.owner.providerAccountId && g.requestedBy.personId === c.personId && coversTime(g, c.event.eventTime)),
  );
}

async function notify(deps: BreakGlassDeps, found: readonly Candidate[]): Promise<void> {
  const groups = new Map<string, UncoveredGroup>();
  for (const { event, side, owner } of found) {
    const hour = event.eventTime.toISOString().slice(0, 13);
    const key = `${owner.providerAccountId}\n${side.arn}\n${hour}`;
    const group = groups.get(key) ?? {
      tenantId: owner.tenantId,
      tenantCode: owner.tenantCode,
      accountName: owner.accountName,
      providerAccountId: owner.providerAccountId,
      principalArn: side.arn,
      hour,
      eventIds: [],
      firstEvent: { name: event.eventName, time: event.eventTime },
    };
    group.eventIds.push(event.eventId);
    if (event.eventTime < group.firstEvent.time) group.firstEvent = { name: event.eventName, time: event.eventTime };
    groups.set(key, group);
  }
  const recipients = new Map<string, string[]>();
  for (const group of groups.values()) {
    let to = recipients.get(group.tenantId);
    if (to === undefined) {
      const tenant = await deps.registry.getOrganisation(group.tenantId);
      to = tenant === undefined ? [`tenant:${group.tenantCode}`] : tenantRecipients(tenant);
      recipients.set(group.tenantId, to);
    }
    for (const recipient of to) await deps.notifications.record(uncoveredNotice(group, recipient));
  }
}

async function judge(deps: BreakGlassDeps, events: readonly ActivityEvent[], now: Date): Promise<{ central: number; alerts: number }> {
  const candidates = await candidatesOf(deps, events);
  const found = await uncovered(deps, candidates);
  const alerts: NewAlert[] = found.map(({ event, side, owner, personId }) => ({
    eventId: event.eventId,
    provider: deps.cloud.provider,
    providerAccountId: owner.providerAccountId,
    accountId: owner.accountId,
    tenantId: owner.tenantId,
    principalArn: side.arn,
    principalKind: side.kind,
    personId,
    eventSource: event.eventSource,
    eventName: event.eventName,
    eventTime: event.eventTime,
    raisedAt: now,
  }));
  const inserted = await deps.store.insertAlerts(alerts);
  // Every uncovered event is (re)announced: the outbox de-duplicates, so a crash between the two writes loses nothing.
  await notify(deps, found);
  return { central: candidates.length, alerts: inserted.length };
}

/** One scan from the stored cursor to the newest event; returns what it read and raised. */
export async function scanActivity(deps: BreakGlassDeps): Promise<ScanResult> {
  const name = scanCursorName(deps.cloud.provider);
  const now = deps.clock.now();
  const cursor = await deps.store.getScanCursor(name);
  const since = new Date(cursor === undefined ? now.getTime() - deps.scan.initialLookbackMs : cursor.getTime() - deps.scan.overlapMs);
  let newest = new Date(Math.max(since.getTime(), now.getTime() - deps.scan.overlapMs));
  const result: ScanResult = { events: 0, central: 0, alerts: 0 };
  let token: string | undefined;
  do {
    const page = await deps.cloud.lookupEvents({ since }, token);
    result.events += page.items.length;
    for (const event of page.items) if (event.eventTime > newest) newest = event.eventTime;
    const judged = await judge(deps, page.items, now);
    result.central += judged.central;
    result.alerts += judged.alerts;
    token = page.nextToken;
  } while (token !== undefined);
  await deps.store.advanceScanCursor(name, newest, now);
  return result;
}
