import { ManualClock } from '../cloud/contract-tests/manual-clock.js';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createApiTokens } from './tokens.js';
import { sha256Hex } from './secrets.js';
import { memoryPeople, memorySessionStore, seedPeople } from './testing.js';
import { DomainError } from '../domain/errors.js';

const MORNING = '2030-04-01T09:00:00.000Z';

const DAY = 86_400_000;

async function setup() {
  const clock = new ManualClock(MORNING);
  const people = memoryPeople({ org_chiyoda: '131016' });
  const store = memorySessionStore();
  const { operator, member } = await seedPeople(people, clock.now());
  let n = 0;
  const tokens = createApiTokens({ store, people, clock, newId: (prefix) => `${prefix}_${++n}` });
  return { clock, people, store, tokens, operator, member };
}

describe('API tokens', () => {
  it('shows the token once and stores only its hash', async () => {
    const { store, tokens, operator } = await setup();
    const { token, record } = await tokens.issue(operator.id, { name: 'laptop', days: 30 });
    assert.match(token, /^hatoba_[A-Za-z0-9_-]{43}$/);
    const stored = store.tokens.get(record.id);
    assert.equal(stored?.hash, sha256Hex(token));
    assert.ok(!JSON.stringify([...store.tokens.values()]).includes(token));
  });

  it('resolves a token to its person’s principal as they are now', async () => {
    const { tokens, operator } = await setup();
    const { token } = await tokens.issue(operator.id, { name: 'cli', days: 1 });
    assert.deepEqual((await tokens.resolve(token))?.principal, { kind: 'central', personId: operator.id, email: operator.email, name: operator.name, roles: ['operator'], via: 'token' });
  });

  it('does not resolve an expired token', async () => {
    const { clock, tokens, operator } = await setup();
    const { token } = await tokens.issue(operator.id, { name: 'cli', days: 2 });
    clock.advance(2 * DAY - 1);
    assert.ok(await tokens.resolve(token));
    clock.advance(1);
    assert.equal(await tokens.resolve(token), undefined);
  });

  it('does not resolve a revoked token, and revokes only the owner’s', async () => {
    const { tokens, operator, member } = await setup();
    const { token, record } = await tokens.issue(operator.id, { name: 'cli', days: 2 });
    assert.equal(await tokens.revoke(member.id, record.id), false);
    assert.ok(await tokens.resolve(token));
    assert.equal(await tokens.revoke(operator.id, record.id), true);
    assert.equal(await tokens.resolve(token), undefined);
    assert.deepEqual(await tokens.list(operator.id), []);
  });

  it('does not resolve the token of a removed person', async () => {
    const { clock, people, tokens, member } = await setup();
    const { token } = await tokens.issue(member.id, { name: 'cli', days: 2 });
    await people.remove(member.id, 'admin@chiyoda.test', clock.now());
    assert.equal(await tokens.resolve(token), undefined);
  });

  it('does not resolve a malformed or unknown token', async () => {
    const { tokens } = await setup();
    assert.equal(await tokens.resolve('hatoba_short'), undefined);
    assert.equal(await tokens.resolve(`hatoba_${'A'.repeat(43)}`), undefined);
  });

  it('refuses a lifetime outside 1 to 365 days and a person who is not active', async () => {
    const { clock, people, tokens, operator } = await setup();
    await assert.rejects(
      tokens.issue(operator.id, { name: 'x', days: 0 }),
      (e: unknown) => e instanceof DomainError && e.code === 'validation_failed' && e.issues[0]?.path[0] === 'days' && e.issues[0].message.startsWith('1〜365 で指定してください / must be'),
    );
    await assert.rejects(tokens.issue(operator.id, { name: 'x', days: 366 }), (e: unknown) => e instanceof DomainError && e.code === 'validation_failed');
    await people.remove(operator.id, 'x@hatoba.test', clock.now());
    await assert.rejects(tokens.issue(operator.id, { name: 'x', days: 1 }), (e: unknown) => e instanceof DomainError && e.code === 'not_found');
  });
});
