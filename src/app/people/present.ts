import type { Person } from '../ports/people-store.js';
import type { PersonAccessView } from '../ports/person-access.js';

/**
 * A person with their access and how long it took. `timeToAccessMs` of a row runs from when the
 * access became due (the person added, the account ready, or the role changed) to when the provider
 * confirmed it; the person's runs from being added to the first account they could sign in to.
 */
export type AccessSummaryStatus = 'no_accounts' | 'pending' | 'ready' | 'failed' | 'removing' | 'removed';

export type AccessRow = PersonAccessView & { timeToAccessMs: number | null };

export type PersonDetail = {
  person: Person;
  access: AccessRow[];
  summary: { status: AccessSummaryStatus; accounts: number; ready: number; firstReadyAt: Date | null; timeToAccessMs: number | null };
};

const since = (from: Date, to: Date | null): number | null => (to === null ? null : Math.max(0, to.getTime() - from.getTime()));

function statusOf(person: Person, rows: readonly PersonAccessView[]): AccessSummaryStatus {
  if (person.status === 'removed') return rows.every((r) => r.status === 'removed') ? 'removed' : 'removing';
  const live = rows.filter((r) => r.status !== 'removed');
  if (live.length === 0) return 'no_accounts';
  if (live.some((r) => r.status === 'failed')) return 'failed';
  if (live.some((r) => r.status === 'pending' || r.status === 'removing')) return 'pending';
  return 'ready';
}

export function presentPerson(person: Person, rows: readonly PersonAccessView[]): PersonDetail {
  const ready = rows.filter((r) => r.status === 'ready');
  const firstReadyAt = ready.reduce<Date | null>((first, r) => (r.readyAt !== null && (first === null || r.readyAt < first) ? r.readyAt : first), null);
  return {
    person,
    access: rows.map((r) => ({ ...r, timeToAccessMs: r.status === 'ready' ? since(r.requestedAt, r.readyAt) : null })),
    summary: {
      status: statusOf(person, rows),
      accounts: rows.filter((r) => r.status !== 'removed').length,
      ready: ready.length,
      firstReadyAt,
      timeToAccessMs: since(person.createdAt, firstReadyAt),
    },
  };
}

/** Many people at once, with one read of their access. */
export async function presentPeople(access: { listAccess(ids: readonly string[]): Promise<PersonAccessView[]> }, people: readonly Person[]): Promise<PersonDetail[]> {
  const rows = await access.listAccess(people.map((p) => p.id));
  const byPerson = new Map<string, PersonAccessView[]>();
  for (const row of rows) byPerson.set(row.personId, [...(byPerson.get(row.personId) ?? []), row]);
  return people.map((p) => presentPerson(p, byPerson.get(p.id) ?? []));
}
