/**
 * Test support (only tests import this file): small in-memory stand-ins for the people and session
 * stores (tests move time with the contract suite's ManualClock). The stores' SQL is tested on its own (src/store/*.int.test.ts).
 */
import type { NewPerson, PeopleStore, Person } from '../app/ports/people-store.js';
import type { SessionStore, StoredApiToken, StoredAuthTransaction, StoredSession } from '../app/ports/session-store.js';
import { DomainError } from '../domain/errors.js';


export type MemoryPeople = PeopleStore & { all: Map<string, Person>; tenants: Map<string, string> };

/** People in a Map; `tenants` maps tenant ids to codes. */
export function memoryPeople(tenants: Record<string, string> = {}): MemoryPeople {
  const all = new Map<string, Person>();
  const tenantCodes = new Map(Object.entries(tenants));
  const active = (p: Person) => p.status === 'active';
  const store: MemoryPeople = {
    all,
    tenants: tenantCodes,
    get: async (id) => all.get(id),
    findActiveByEmail: async (email) => [...all.values()].find((p) => active(p) && p.email === email.toLowerCase()),
    findActiveBySubject: async (issuer, subject) => [...all.values()].find((p) => active(p) && p.issuer === issuer && p.subject === subject),
    async findRemoved(issuer, subject, email) {
      const removed = [...all.values()].filter((p) => !active(p)).reverse();
      return removed.find((p) => p.issuer === issuer && p.subject === subject) ?? (email === undefined ? undefined : removed.find((p) => p.email === email.toLowerCase()));
    },
    async create(n: NewPerson) {
      if ([...all.values()].some((p) => active(p) && p.email === n.email)) throw new DomainError('conflict', `a person with ${n.email} exists`);
      const person: Person = {
        id: n.id, email: n.email, name: n.name, kind: n.kind,
        centralRoles: n.kind === 'central' ? n.centralRoles : [],
        tenant: n.kind === 'tenant' ? { id: n.tenantId, code: tenantCodes.get(n.tenantId) ?? '?' } : null,
        tenantRole: n.kind === 'tenant' ? n.tenantRole : null,
        issuer: null, subject: null, status: 'active', createdAt: n.createdAt, createdBy: n.createdBy, removedAt: null, removedBy: null,
      };
      all.set(person.id, person);
      return person;
    },
    async bindSubject(id, issuer, subject) {
      const p = all.get(id);
      if (p === undefined || p.subject !== null || [...all.values()].some((q) => active(q) && q.issuer === issuer && q.subject === subject)) return false;
      all.set(id, { ...p, issuer, subject });
      return true;
    },
    list: async () => ({ items: [...all.values()] }),
    async setTenantRole(id, role) {
      const p = all.get(id);
      if (p === undefined || p.kind !== 'tenant') return undefined;
      const changed = { ...p, tenantRole: role };
      all.set(id, changed);
      return changed;
    },
    async remove(id, by, at) {
      const p = all.get(id);
      if (p === undefined || !active(p)) return undefined;
      const removed: Person = { ...p, status: 'removed', removedAt: at, removedBy: by };
      all.set(id, removed);
      return removed;
    },
  };
  return store;
}

export type MemorySessionStore = SessionStore & {
  sessions: Map<string, StoredSession>;
  transactions: Map<string, StoredAuthTransaction>;
  tokens: Map<string, StoredApiToken & { hash: string }>;
};

export function memorySessionStore(): MemorySessionStore {
  const sessions = new Map<string, StoredSession>();
  const transactions = new Map<string, StoredAuthTransaction>();
  const tokens = new Map<string, StoredApiToken & { hash: string }>();
  const strip = ({ hash: _hash, ...t }: StoredApiToken & { hash: string }): StoredApiToken => t;
  return {
    sessions,
    transactions,
    tokens,
    createSession: async (s) => void sessions.set(s.idHash, s),
    findSession: async (h) => sessions.get(h),
    async touchSession(h, lastSeenAt, idleExpiresAt) {
      const s = sessions.get(h);
      if (s !== undefined) sessions.set(h, { ...s, lastSeenAt, idleExpiresAt });
    },
    async deleteSession(h) {
      const s = sessions.get(h);
      sessions.delete(h);
      return s;
    },
    async deleteExpired(now) {
      let n = 0;
      for (const [h, s] of sessions) if (s.expiresAt <= now || s.idleExpiresAt <= now) n += Number(sessions.delete(h));
      for (const [h, t] of transactions) if (t.expiresAt <= now) n += Number(transactions.delete(h));
      return n;
    },
    async deleteExpiredSignIns(now, limit) {
      const expired = [...transactions.values()].filter((t) => t.expiresAt <= now).sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime()).slice(0, limit);
      for (const t of expired) transactions.delete(t.idHash);
      return expired.length;
    },
    createAuthTransaction: async (t) => void transactions.set(t.idHash, t),
    async takeAuthTransaction(h) {
      const t = transactions.get(h);
      transactions.delete(h);
      return t;
    },
    createApiToken: async (t) => void tokens.set(t.id, t),
    async findApiTokenByHash(hash) {
      const t = [...tokens.values()].find((x) => x.hash === hash);
      return t === undefined ? undefined : strip(t);
    },
    async touchApiToken(id, at) {
      const t = tokens.get(id);
      if (t !== undefined) tokens.set(id, { ...t, lastUsedAt: at });
    },
    listApiTokens: async (personId) => [...tokens.values()].filter((t) => t.personId === personId && t.revokedAt === null).map(strip).reverse(),
    async revokeApiToken(personId, id, at) {
      const t = tokens.get(id);
      if (t === undefined || t.personId !== personId || t.revokedAt !== null) return false;
      tokens.set(id, { ...t, revokedAt: at });
      return true;
    },
  };
}

/** Creates a central operator and a Chiyoda member in `people`. */
export async function seedPeople(people: PeopleStore, at: Date): Promise<{ operator: Person; member: Person }> {
  const operator = await people.create({ id: 'per_op', email: 'op@hatoba.test', name: 'Op', kind: 'central', centralRoles: ['operator'], createdAt: at, createdBy: 'test' });
  const member = await people.create({ id: 'per_member', email: 'member@chiyoda.test', name: 'Member', kind: 'tenant', tenantId: 'org_chiyoda', tenantRole: 'tenant_member', createdAt: at, createdBy: 'test' });
  return { operator, member };
}
