import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../domain/errors.js';
import type { NewPerson } from '../app/ports/people-store.js';
import { backends, type TestDatabase } from './testing.js';
import { createPeopleStore } from './people-store.js';

const t0 = new Date('2030-05-01T00:00:00.000Z');
const t1 = new Date('2030-05-02T00:00:00.000Z');
let n = 0;
const nextId = (): string => `per_test${String(++n).padStart(6, '0')}`;

const member = (email: string, tenantId: string, patch: Partial<NewPerson> = {}): NewPerson => ({
  id: nextId(),
  email,
  name: `Member ${email}`,
  createdAt: t0,
  createdBy: 'admin@example.jp',
  kind: 'tenant',
  tenantId,
  tenantRole: 'tenant_member',
  ...patch,
} as NewPerson);

async function insertTenant(handle: TestDatabase, id: string, code: string): Promise<void> {
  await handle.db.query(
    `INSERT INTO organisations (id, kind, code, name_ja, name_en, contacts, billing_email, created_at, updated_at)
     VALUES ($1, 'municipality', $2, '市', 'City', '[]'::jsonb, 'billing@example.jp', now(), now())`,
    [id, code],
  );
}

async function insertSessionAndToken(handle: TestDatabase, personId: string): Promise<void> {
  await handle.db.query(
    `INSERT INTO sessions (id_hash, person_id, csrf_token, created_at, last_seen_at, idle_expires_at, expires_at)
     VALUES ($1, $2, 'csrf', now(), now(), now() + interval '1 hour', now() + interval '8 hours')`,
    [`h_${personId}`, personId],
  );
  await handle.db.query(`INSERT INTO api_tokens (id, hash, person_id, name, created_at, expires_at) VALUES ($1, $2, $3, 'ci', now(), now() + interval '1 day')`, [
    `tok_${personId}`,
    `th_${personId}`,
    personId,
  ]);
}

const count = async (handle: TestDatabase, table: 'sessions' | 'api_tokens', personId: string): Promise<number> =>
  Number((await handle.db.query(`SELECT count(*)::int AS n FROM ${table} WHERE person_id = $1`, [personId]))[0]?.n);

for (const backend of backends()) {
  describe(`people store on ${backend.name}`, () => {
    let handle: TestDatabase;
    before(async () => {
      handle = await backend.open();
      await insertTenant(handle, 'org_people_a', '131016');
      await insertTenant(handle, 'org_people_b', '131024');
    });
    after(async () => handle.dispose());

    it('creates a tenant person with the tenant code and finds them by id and by e-mail in any case', async () => {
      const store = createPeopleStore(handle.db);
      const created = await store.create(member('Hanako@Example.JP', 'org_people_a'));
      assert.equal(created.email, 'hanako@example.jp');
      assert.deepEqual(created.tenant, { id: 'org_people_a', code: '131016' });
      assert.equal(created.tenantRole, 'tenant_member');
      assert.deepEqual(created.centralRoles, []);
      assert.equal(created.status, 'active');
      assert.deepEqual(await store.get(created.id), created);
      assert.equal((await store.findActiveByEmail('HANAKO@example.jp'))?.id, created.id);
    });

    it('creates a central person with their roles and no tenant', async () => {
      const store = createPeopleStore(handle.db);
      const created = await store.create({ id: nextId(), email: 'ops@example.jp', name: 'Ops', createdAt: t0, createdBy: 'seed', kind: 'central', centralRoles: ['operator', 'auditor'] });
      assert.deepEqual(created.centralRoles, ['operator', 'auditor']);
      assert.equal(created.tenant, null);
      assert.equal(created.tenantRole, null);
    });

    it('refuses a second active person with the same e-mail as a conflict at email, and writes nothing', async () => {
      const store = createPeopleStore(handle.db);
      await store.create(member('taro@example.jp', 'org_people_a'));
      const clash = member('TARO@example.jp', 'org_people_b');
      await assert.rejects(store.create(clash), (e: unknown) => e instanceof DomainError && e.code === 'conflict' && e.issues.length === 1 && e.issues[0]?.path[0] === 'email');
      assert.equal(await store.get(clash.id), undefined);
    });

    it('lets a removed person’s e-mail be used again by a new person', async () => {
      const store = createPeopleStore(handle.db);
      const first = await store.create(member('again@example.jp', 'org_people_a'));
      await store.remove(first.id, 'admin@example.jp', t1);
      const second = await store.create(member('again@example.jp', 'org_people_a'));
      assert.notEqual(second.id, first.id);
      assert.equal((await store.findActiveByEmail('again@example.jp'))?.id, second.id);
    });

    it('finds a removed person by their subject first, else by e-mail, and never an active one', async () => {
      const store = createPeopleStore(handle.db);
      const gone = await store.create(member('removed-a@example.jp', 'org_people_a'));
      await store.bindSubject(gone.id, 'https://idp.example.jp', 'sub-removed');
      await store.remove(gone.id, 'admin@example.jp', t1);
      const other = await store.create(member('removed-b@example.jp', 'org_people_a'));
      await store.remove(other.id, 'admin@example.jp', t1);
      await store.create(member('removed-b@example.jp', 'org_people_a'));
      assert.equal((await store.findRemoved('https://idp.example.jp', 'sub-removed', undefined))?.id, gone.id);
      assert.equal((await store.findRemoved('https://idp.example.jp', 'sub-removed', 'REMOVED-B@example.jp'))?.id, gone.id);
      assert.equal((await store.findRemoved('https://idp.example.jp', 'sub-unknown', 'removed-b@example.jp'))?.id, other.id);
      assert.equal(await store.findRemoved('https://other.example.jp', 'sub-removed', undefined), undefined);
      assert.equal(await store.findRemoved('https://idp.example.jp', 'sub-unknown', 'nobody@example.jp'), undefined);
    });

    it('binds a subject once, refuses a second binding and a subject another active person holds', async () => {
      const store = createPeopleStore(handle.db);
      const a = await store.create(member('bind-a@example.jp', 'org_people_a'));
      const b = await store.create(member('bind-b@example.jp', 'org_people_a'));
      assert.equal(await store.bindSubject(a.id, 'https://idp.example.jp', 'sub-a'), true);
      assert.equal(await store.bindSubject(a.id, 'https://idp.example.jp', 'sub-other'), false);
      assert.equal(await store.bindSubject(b.id, 'https://idp.example.jp', 'sub-a'), false);
      assert.equal((await store.findActiveBySubject('https://idp.example.jp', 'sub-a'))?.id, a.id);
      assert.equal((await store.get(b.id))?.subject, null);
    });

    it('lists a tenant’s active people by e-mail, page by page, and removed ones only when asked', async () => {
      const store = createPeopleStore(handle.db);
      for (const email of ['list-c@example.jp', 'list-a@example.jp', 'list-b@example.jp']) await store.create(member(email, 'org_people_b'));
      const gone = await store.create(member('list-d@example.jp', 'org_people_b'));
      await store.remove(gone.id, 'admin@example.jp', t1);
      const first = await store.list({ tenantId: 'org_people_b' }, { limit: 2 });
      assert.deepEqual(first.items.map((p) => p.email), ['list-a@example.jp', 'list-b@example.jp']);
      assert.ok(first.nextCursor !== undefined);
      const second = await store.list({ tenantId: 'org_people_b' }, { limit: 2, cursor: first.nextCursor });
      assert.deepEqual(second.items.map((p) => p.email), ['list-c@example.jp']);
      assert.equal(second.nextCursor, undefined);
      const all = await store.list({ tenantId: 'org_people_b', includeRemoved: true }, { limit: 10 });
      assert.deepEqual(all.items.map((p) => p.email), ['list-a@example.jp', 'list-b@example.jp', 'list-c@example.jp', 'list-d@example.jp']);
      const central = await store.list({ kind: 'central' }, { limit: 10 });
      assert.ok(central.items.every((p) => p.kind === 'central'));
      assert.ok(central.items.length >= 1);
    });

    it('refuses a cursor it did not make as a validation error at cursor', async () => {
      const store = createPeopleStore(handle.db);
      await assert.rejects(store.list({}, { limit: 2, cursor: 'bm90LWpzb24' }), (e: unknown) => e instanceof DomainError && e.code === 'validation_failed' && e.issues[0]?.path[0] === 'cursor');
    });

    it('changes an active tenant person’s role and refuses a central person', async () => {
      const store = createPeopleStore(handle.db);
      const person = await store.create(member('promote@example.jp', 'org_people_a'));
      assert.equal((await store.setTenantRole(person.id, 'tenant_admin'))?.tenantRole, 'tenant_admin');
      const central = await store.create({ id: nextId(), email: 'sec@example.jp', name: 'Sec', createdAt: t0, createdBy: 'seed', kind: 'central', centralRoles: ['security_officer'] });
      assert.equal(await store.setTenantRole(central.id, 'tenant_admin'), undefined);
      assert.equal((await store.get(central.id))?.tenantRole, null);
    });

    it('removes a person with their sessions and API tokens in one go, and only once', async () => {
      const store = createPeopleStore(handle.db);
      const person = await store.create(member('leaver@example.jp', 'org_people_a'));
      const other = await store.create(member('stayer@example.jp', 'org_people_a'));
      await insertSessionAndToken(handle, person.id);
      await insertSessionAndToken(handle, other.id);
      const removed = await store.remove(person.id, 'admin@example.jp', t1);
      assert.equal(removed?.status, 'removed');
      assert.deepEqual(removed?.removedAt, t1);
      assert.equal(removed?.removedBy, 'admin@example.jp');
      assert.equal(await count(handle, 'sessions', person.id), 0);
      assert.equal(await count(handle, 'api_tokens', person.id), 0);
      assert.equal(await count(handle, 'sessions', other.id), 1);
      assert.equal(await count(handle, 'api_tokens', other.id), 1);
      assert.equal(await store.remove(person.id, 'admin@example.jp', t1), undefined);
      assert.equal(await store.findActiveByEmail('leaver@example.jp'), undefined);
    });
  });
}
