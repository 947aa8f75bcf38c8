import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends, type TestDatabase } from '../../store/testing.js';
import { createRegistryStore } from '../../store/registry-store.js';
import { OrganisationInput } from '../../domain/registry/organisation.js';
import { placeAccount } from '../../domain/registry/placement.js';
import { DEMO_ORGANISATIONS, DEMO_PLACEMENT_RULES, seedDemoFederation } from './demo-federation.js';
import { registryDeps } from './fixtures/deps.js';

describe('demo federation data', () => {
  it('passes the same validation as any registration (codes, check digits, parents)', () => {
    for (const input of DEMO_ORGANISATIONS) assert.equal(OrganisationInput.safeParse(input).success, true, input.code);
  });

  it('places a ward production account in LocalGov and a security system in Security', () => {
    const ward = { code: '131016', kind: 'special_ward' as const, prefecture: '13' };
    assert.equal(placeAccount(DEMO_PLACEMENT_RULES, ward, { provider: 'simulated', attributes: {} }, 'prod').ouPath, '/Workloads/Prod/LocalGov');
    assert.equal(placeAccount(DEMO_PLACEMENT_RULES, ward, { provider: 'simulated', attributes: { workload: 'security' } }, 'prod').ouPath, '/Security');
  });
});

for (const backend of backends()) {
  describe(`seeding the demo federation on ${backend.name}`, () => {
    let handle: TestDatabase;
    before(async () => {
      handle = await backend.open();
    });
    after(async () => handle.dispose());

    it('seeds organisations, systems and rules once, creates no accounts, and adds nothing the second time', async () => {
      const deps = registryDeps(createRegistryStore(handle.db));
      const dry = await seedDemoFederation(deps, { dryRun: true });
      assert.equal(dry.organisations.created.length, DEMO_ORGANISATIONS.length);
      assert.equal((await deps.store.listOrganisations({}, { limit: 100 })).items.length, 0);

      const first = await seedDemoFederation(deps, { dryRun: false });
      assert.equal(first.organisations.created.length, DEMO_ORGANISATIONS.length);
      assert.equal(first.placementRules, 'installed');
      assert.ok(first.systems.created.includes('131016/juki'));
      assert.deepEqual(first.systems.created.length, dry.systems.created.length);

      const second = await seedDemoFederation(deps, { dryRun: false });
      assert.deepEqual([second.organisations.created, second.systems.created, second.placementRules], [[], [], 'kept']);
      assert.equal(second.systems.existing.length, first.systems.created.length);
      assert.equal((await deps.store.listAccounts({}, { limit: 10 })).items.length, 0);
      assert.equal((await deps.store.getOrganisationByCode('271004'))?.parentCode, '270008');
    });
  });
}
