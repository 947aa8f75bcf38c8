import { ManualClock } from '../cloud/contract-tests/manual-clock.js';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { signIn, type ProviderIdentity, type SignInDeps } from './sign-in.js';
import { PeopleRules } from './people-rules.js';
import { memoryPeople, seedPeople } from './testing.js';

const MORNING = '2030-04-01T09:00:00.000Z';

const ISSUER = 'https://idp.example.jp';
const rules = PeopleRules.parse([
  { when: { claim: 'hatoba_roles', equals: 'tenant_member' }, tenantRole: 'tenant_member', tenantCodeClaim: 'tenant_code' },
  { when: { claim: 'hatoba_roles', equals: 'auditor' }, central: ['auditor'] },
]);

async function setup() {
  const clock = new ManualClock(MORNING);
  const people = memoryPeople({ org_chiyoda: '131016' });
  const seeded = await seedPeople(people, clock.now());
  const deps: SignInDeps = {
    people,
    tenants: { getOrganisationByCode: async (code) => (code === '131016' ? { id: 'org_chiyoda', code, kind: 'special_ward', nameJa: '千代田区', nameEn: 'Chiyoda City', prefecture: null, parentId: null, billingEmail: 'b@x.jp', contacts: [], createdAt: clock.now(), updatedAt: clock.now() } as never : undefined) },
    clock,
    newId: (prefix) => `${prefix}_new`,
    assurance: { acr: ['urn:hatoba:loa:high'], amr: ['mfa'] },
    rules,
  };
  return { people, deps, ...seeded };
}

const who = (patch: Partial<ProviderIdentity> = {}): ProviderIdentity => ({
  issuer: ISSUER, subject: 'sub-1', acr: 'urn:hatoba:loa:high', amr: ['hwk'], email: 'member@chiyoda.test', emailVerified: true, name: 'Member', claims: {}, ...patch,
});

describe('the sign-in decision', () => {
  it('refuses a sign-in below the assurance requirement before it looks anyone up', async () => {
    const { deps } = await setup();
    const outcome = await signIn(deps, who({ acr: 'urn:hatoba:loa:low', amr: ['pwd'] }));
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.refusal.kind, 'assurance');
  });

  it('binds the subject to the person with the verified e-mail address, then finds them by it', async () => {
    const { deps, people, member } = await setup();
    const first = await signIn(deps, who({ email: 'Member@Chiyoda.test' }));
    assert.deepEqual(first.ok && [first.person.id, first.how], [member.id, 'email']);
    assert.equal(people.all.get(member.id)?.subject, 'sub-1');
    const second = await signIn(deps, who({ email: 'someone-else@chiyoda.test' }));
    assert.deepEqual(second.ok && [second.person.id, second.how], [member.id, 'subject']);
  });

  it('refuses a second provider account that claims a person already bound to another', async () => {
    const { deps } = await setup();
    await signIn(deps, who());
    const outcome = await signIn(deps, who({ subject: 'sub-2' }));
    assert.deepEqual(!outcome.ok && outcome.refusal, { kind: 'subject_mismatch', email: 'member@chiyoda.test' });
  });

  it('does not match or create anyone by an unverified e-mail address', async () => {
    const { deps, people } = await setup();
    const outcome = await signIn(deps, who({ emailVerified: false, claims: { hatoba_roles: 'auditor' } }));
    assert.equal(!outcome.ok && outcome.refusal.kind, 'email_unverified');
    assert.equal(people.all.get('per_member')?.subject, null);
  });

  it('creates a person the rules describe and binds their subject', async () => {
    const { deps, people } = await setup();
    const outcome = await signIn(deps, who({ email: 'new@chiyoda.test', subject: 'sub-9', claims: { hatoba_roles: ['tenant_member'], tenant_code: '131016' } }));
    assert.deepEqual(outcome.ok && [outcome.how, outcome.person.tenant, outcome.person.tenantRole, outcome.person.subject], ['rules', { id: 'org_chiyoda', code: '131016' }, 'tenant_member', 'sub-9']);
    assert.equal(people.all.get('per_new')?.createdBy, `sign-in:${ISSUER}`);
  });

  it('refuses a person no rule describes, and one whose tenant does not exist', async () => {
    const { deps, people } = await setup();
    const none = await signIn(deps, who({ email: 'stranger@example.jp', claims: { hatoba_roles: 'visitor' } }));
    assert.deepEqual(!none.ok && none.refusal, { kind: 'not_registered', email: 'stranger@example.jp' });
    const unknown = await signIn(deps, who({ email: 'x@example.jp', claims: { hatoba_roles: 'tenant_member', tenant_code: '999999' } }));
    assert.deepEqual(!unknown.ok && unknown.refusal, { kind: 'unknown_tenant', tenantCode: '999999' });
    assert.equal(people.all.size, 2, 'nobody was created');
  });

  it('refuses a removed person even when the rules would describe them, by subject or by verified e-mail', async () => {
    const { deps, people, member } = await setup();
    await signIn(deps, who());
    await people.remove(member.id, 'admin@chiyoda.test', new Date());
    const described = { hatoba_roles: 'tenant_member', tenant_code: '131016' };
    const bySubject = await signIn(deps, who({ email: 'renamed@chiyoda.test', claims: described }));
    assert.deepEqual(!bySubject.ok && bySubject.refusal, { kind: 'removed', email: 'member@chiyoda.test' });
    const byEmail = await signIn(deps, who({ subject: 'sub-new', claims: described }));
    assert.deepEqual(!byEmail.ok && byEmail.refusal, { kind: 'removed', email: 'member@chiyoda.test' });
    assert.equal([...people.all.values()].filter((p) => p.status === 'active' && p.email === 'member@chiyoda.test').length, 0, 'nobody was created again');
  });

  it('signs in a removed person an admin added again, as the new person', async () => {
    const { deps, people, member } = await setup();
    await signIn(deps, who());
    await people.remove(member.id, 'admin@chiyoda.test', new Date());
    const again = await people.create({ id: 'per_again', email: 'member@chiyoda.test', name: 'Member', kind: 'tenant', tenantId: 'org_chiyoda', tenantRole: 'tenant_member', createdAt: new Date(), createdBy: 'admin@chiyoda.test' });
    const outcome = await signIn(deps, who({ claims: { hatoba_roles: 'tenant_member', tenant_code: '131016' } }));
    assert.deepEqual(outcome.ok && [outcome.person.id, outcome.how], [again.id, 'email']);
  });
});
