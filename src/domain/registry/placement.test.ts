import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PlacementRuleSet, planPlacementChange, placeAccount, type PlacementRule, type PlacementSubject } from './placement.js';

const rules: PlacementRule[] = PlacementRuleSet.parse([
  { id: 'suspended', priority: 10, description: 'suspended', match: { accountStatus: ['suspended'] }, ouPath: '/Suspended' },
  { id: 'security', priority: 20, description: 'security', match: { systemAttributes: { workload: ['security'] } }, ouPath: '/Security' },
  { id: 'sandbox', priority: 30, description: 'sandbox', match: { environment: ['sandbox'] }, ouPath: '/Sandbox' },
  { id: 'lg-prod', priority: 40, description: 'local gov prod', match: { environment: ['prod'], tenantKind: ['municipality', 'special_ward', 'designated_city', 'prefecture'] }, ouPath: '/Workloads/Prod/LocalGov' },
  { id: 'prod', priority: 50, description: 'prod', match: { environment: ['prod'] }, ouPath: '/Workloads/Prod/Central' },
  { id: 'default', priority: 1000, description: 'everything else', match: {}, ouPath: '/Workloads/NonProd' },
]).map((rule, index) => ({ ...rule, id: rule.id ?? `r${index}` }));

const chiyoda = { code: '131016', kind: 'special_ward' as const, prefecture: '13' };
const soumu = { code: '2000012020001', kind: 'ministry' as const, prefecture: null };
const juki = { provider: 'simulated' as const, attributes: { workload: 'standard' } };

describe('placeAccount', () => {
  it('places by the first matching rule in priority order', () => {
    assert.equal(placeAccount(rules, chiyoda, juki, 'prod').ouPath, '/Workloads/Prod/LocalGov');
    assert.equal(placeAccount(rules, soumu, juki, 'prod').ouPath, '/Workloads/Prod/Central');
    assert.equal(placeAccount(rules, chiyoda, juki, 'dev').rule.id, 'default');
  });

  it('sends a suspended account to the Suspended OU whatever else it is', () => {
    assert.equal(placeAccount(rules, chiyoda, juki, 'prod', 'suspended').ouPath, '/Suspended');
  });

  it('matches system attributes', () => {
    assert.equal(placeAccount(rules, soumu, { provider: 'aws', attributes: { workload: 'security' } }, 'prod').ouPath, '/Security');
  });
});

describe('PlacementRuleSet', () => {
  const messages = (input: unknown) => {
    const result = PlacementRuleSet.safeParse(input);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('refuses a rule set without a catch-all', () => {
    assert.match(messages([{ priority: 1, description: 'prod', match: { environment: ['prod'] }, ouPath: '/Prod' }]).join('\n'), /catch-all/);
  });

  it('reports rules that a catch-all makes unreachable and duplicate priorities', () => {
    const found = messages([
      { priority: 1, description: 'all', match: {}, ouPath: '/All' },
      { priority: 2, description: 'prod', match: { environment: ['prod'] }, ouPath: '/Prod' },
      { priority: 2, description: 'dev', match: { environment: ['dev'] }, ouPath: '/Dev' },
    ]);
    assert.ok(found.some((m) => m.startsWith('1: never matches')));
    assert.ok(found.some((m) => m.startsWith('2.priority: priority 2 is also used')));
  });

  it('refuses OU paths the provider cannot hold', () => {
    const found = messages([{ priority: 1, description: 'deep', match: {}, ouPath: '/a/b/c/d/e/f' }]);
    assert.match(found.join('\n'), /0.ouPath: at most 5 levels/);
  });

  it('refuses match fields it does not know, so a typo never silently widens a rule', () => {
    assert.match(messages([{ priority: 1, description: 'x', match: { enviroment: ['prod'] }, ouPath: '/X' }]).join('\n'), /enviroment/);
  });
});

describe('planPlacementChange', () => {
  const subject = (id: string, ouPath: string | null, status: 'ready' | 'suspended' | 'provisioning', environment: 'prod' | 'dev' = 'prod'): PlacementSubject => ({
    account: { id, name: id, provider: 'simulated', providerAccountId: '111122223333', environment, status, ouPath },
    tenant: chiyoda,
    system: juki,
  });

  it('lists the accounts whose place changes, from where they are to where they go', () => {
    const newRules = rules.map((rule) => (rule.id === 'lg-prod' ? { ...rule, ouPath: '/Workloads/Prod/Municipal' } : rule));
    const moves = planPlacementChange(rules, newRules, [
      subject('a', '/Workloads/Prod/LocalGov', 'ready'),
      subject('b', '/Workloads/NonProd', 'ready', 'dev'),
      subject('c', null, 'provisioning'),
      subject('d', '/Suspended', 'suspended'),
    ]);
    assert.deepEqual(
      moves.map((m) => [m.accountId, m.from, m.to, m.fromRuleId, m.toRuleId]),
      [['a', '/Workloads/Prod/LocalGov', '/Workloads/Prod/Municipal', 'lg-prod', 'lg-prod']],
    );
  });

  it('moves an account that drifted away from its place even when the rules did not change', () => {
    const moves = planPlacementChange(rules, rules, [subject('a', '/Somewhere', 'ready')]);
    assert.deepEqual(moves.map((m) => [m.from, m.to]), [['/Somewhere', '/Workloads/Prod/LocalGov']]);
  });
});
