import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends, type TestDatabase } from '../../store/testing.js';
import { createRegistryStore } from '../../store/registry-store.js';
import { DomainError } from '../../domain/errors.js';
import { basicRules, organisation, system } from './fixtures/registry-data.js';
import { registryDeps } from './fixtures/deps.js';
import { ensureOuPath } from './ou-path.js';
import { listPlacementRules, replacePlacementRules } from './placement.js';
import type { PlacementRuleInput } from '../../domain/registry/placement.js';

const withProdSplit: PlacementRuleInput[] = [
  ...basicRules.filter((r) => r.id !== 'plr_prod'),
  { priority: 25, description: 'Local government production', match: { environment: ['prod'], tenantKind: ['special_ward', 'municipality'] }, ouPath: '/Workloads/Prod/LocalGov' },
  { id: 'plr_prod', priority: 30, description: 'Other production', match: { environment: ['prod'] }, ouPath: '/Workloads/Prod/Central' },
];

for (const backend of backends()) {
  describe(`placement rule changes on ${backend.name}`, () => {
    let handle: TestDatabase;
    let deps: ReturnType<typeof registryDeps>;

    before(async () => {
      handle = await backend.open();
      deps = registryDeps(createRegistryStore(handle.db));
      const { store, cloud } = deps;
      await store.saveOrganisations({
        insert: [
          organisation({ id: 'org_tokyo', code: '130001', kind: 'prefecture' }),
          organisation({ id: 'org_chiyoda', code: '131016', kind: 'special_ward', parentCode: '130001' }),
          organisation({ id: 'org_soumu', code: '2000012020001', kind: 'ministry', prefecture: null }),
        ],
        update: [],
      });
      await store.insertSystem(system({ id: 'sys_juki', organisationId: 'org_chiyoda', slug: 'juki' }));
      await store.insertSystem(system({ id: 'sys_stat', organisationId: 'org_soumu', slug: 'statistics' }));
      await store.replacePlacementRules(basicRules);
      const prod = await ensureOuPath(cloud, '/Workloads/Prod');
      const nonProd = await ensureOuPath(cloud, '/Workloads/NonProd');
      const accounts = [
        { id: 'acc_a', systemId: 'sys_juki', environment: 'prod' as const, providerAccountId: '100000000001', ouPath: '/Workloads/Prod', parent: prod },
        { id: 'acc_b', systemId: 'sys_juki', environment: 'dev' as const, providerAccountId: '100000000002', ouPath: '/Workloads/NonProd', parent: nonProd },
        { id: 'acc_c', systemId: 'sys_stat', environment: 'prod' as const, providerAccountId: '100000000003', ouPath: '/Workloads/Prod', parent: prod },
        { id: 'acc_d', systemId: 'sys_juki', environment: 'prod' as const, providerAccountId: '100000000004', ouPath: '/Workloads/Prod', parent: prod },
      ];
      for (const a of accounts) {
        await store.reserveAccount({ id: a.id, systemId: a.systemId, environment: a.environment, name: a.id, email: `${a.id}@example.jp`, status: 'provisioning' });
        await store.updateAccount(a.id, { status: 'ready', providerAccountId: a.providerAccountId, ouPath: a.ouPath });
        cloud.parents.set(a.providerAccountId, a.parent);
      }
      await store.reserveAccount({ id: 'acc_new', systemId: 'sys_juki', environment: 'prod', name: 'acc_new', email: 'acc_new@example.jp', status: 'provisioning' });
    });
    after(async () => handle.dispose());

    it('shows in a dry run which accounts would move, and changes nothing', async () => {
      const callsBefore = deps.cloud.calls.length;
      const result = await replacePlacementRules(deps, { rules: withProdSplit, dryRun: true });
      assert.equal(result.dryRun, true);
      assert.deepEqual(
        result.moves.map((m) => [m.accountId, m.from, m.to, m.outcome]),
        [
          ['acc_a', '/Workloads/Prod', '/Workloads/Prod/LocalGov', 'planned'],
          ['acc_c', '/Workloads/Prod', '/Workloads/Prod/Central', 'planned'],
          ['acc_d', '/Workloads/Prod', '/Workloads/Prod/LocalGov', 'planned'],
        ],
      );
      assert.equal(result.rules.find((r) => r.priority === 25)?.id.startsWith('plr_'), true);
      assert.deepEqual((await listPlacementRules(deps)).map((r) => r.id), basicRules.map((r) => r.id));
      assert.equal(deps.cloud.calls.length, callsBefore);
    });

    it('applies the change: stores the rules, moves the accounts, reports a failed move and goes on', async () => {
      deps.cloud.failMoves.add('100000000004');
      const result = await replacePlacementRules(deps, { rules: withProdSplit, dryRun: false });
      assert.deepEqual(result.moves.map((m) => [m.accountId, m.outcome]), [['acc_a', 'moved'], ['acc_c', 'moved'], ['acc_d', 'failed']]);
      assert.match(result.moves[2]?.error ?? '', /AccessDeniedException/);
      const localGov = deps.cloud.ous.find((ou) => ou.name === 'LocalGov');
      assert.equal(deps.cloud.parents.get('100000000001'), localGov?.id);
      assert.equal((await deps.store.getAccount('acc_a'))?.account.ouPath, '/Workloads/Prod/LocalGov');
      assert.equal((await deps.store.getAccount('acc_d'))?.account.ouPath, '/Workloads/Prod');
      assert.equal((await listPlacementRules(deps)).length, 5);
    });

    it('retries exactly the moves that did not happen when the same change is applied again', async () => {
      deps.cloud.failMoves.clear();
      const rules = await listPlacementRules(deps);
      const result = await replacePlacementRules(deps, { rules, dryRun: false });
      assert.deepEqual(result.moves.map((m) => [m.accountId, m.outcome]), [['acc_d', 'moved']]);
    });

    it('refuses rules without a catch-all, with the location of the problem', async () => {
      await assert.rejects(
        replacePlacementRules(deps, { rules: [{ priority: 1, description: 'prod only', match: { environment: ['prod'] }, ouPath: '/Prod' }], dryRun: true }),
        (error: unknown) => error instanceof DomainError && error.code === 'validation_failed' && error.issues[0]?.path[0] === 'rules',
      );
    });
  });
}
