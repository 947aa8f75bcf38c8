import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from './config.js';
import { DomainError } from '../domain/errors.js';

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof DomainError) return error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw error;
  }
  return [];
};

describe('configuration from the environment', () => {
  it('runs embedded, on the twin, with no settings at all', () => {
    const config = loadConfig({});
    assert.equal(config.database.kind, 'pglite');
    assert.equal(config.cloud, 'simulated');
    assert.equal(config.worker.expectedCreationMs, config.twin.creationMs, 'the twin’s creation time is known');
    assert.equal(config.twin.faults, undefined);
  });

  it('switches to PostgreSQL with DATABASE_URL', () => {
    assert.deepEqual(loadConfig({ DATABASE_URL: 'postgres://h/db' }).database, { kind: 'postgres', url: 'postgres://h/db' });
  });

  it('reads fault rules for the twin from HATOBA_TWIN_FAULTS', () => {
    const config = loadConfig({ HATOBA_TWIN_FAULTS: '{"seed": 7, "calls": [{"operation": "MoveAccount", "error": "ServiceException", "rate": 0.1}]}' });
    assert.equal(config.twin.faults?.seed, 7);
    assert.equal(config.twin.faults?.calls?.[0]?.operation, 'MoveAccount');
  });

  it('reports every bad setting at once, each named by its variable', () => {
    const found = problems({ PORT: 'eighty', HATOBA_WORKER_CONCURRENCY: '0', HATOBA_TWIN_FAULTS: '{not json', DATABASE_URL: 'mysql://x' });
    assert.equal(found.length, 4, found.join('\n'));
    for (const name of ['PORT', 'HATOBA_WORKER_CONCURRENCY', 'HATOBA_TWIN_FAULTS', 'DATABASE_URL']) {
      assert.ok(found.some((p) => p.startsWith(`env.${name}`)), `${name} is named`);
    }
  });

  it('refuses fault rules that are JSON but not rules the twin knows', () => {
    const found = problems({ HATOBA_TWIN_FAULTS: '{"calls": [{"operation": "CreateAccount", "error": "Teapot"}]}' });
    assert.equal(found.length, 1);
    assert.match(found[0] ?? '', /^env\.HATOBA_TWIN_FAULTS/);
  });
});
