import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureCatalog, fixtureFiles } from './fixtures.js';
import { reachDown, reachUp, walk, type Chain } from './graph.js';
import { loadCatalog } from './loader.js';

const nodes = (chains: Chain[]) => chains.map((chain) => chain.map((hop) => hop.node).join(' > '));

describe('walking the mapping graph', () => {
  const catalog = fixtureCatalog();

  it('leads from a control up through its requirement, the parents, CSF and the Japanese chain to the law', () => {
    const { up, down } = walk(catalog, 'control:HTB-EBS-001');
    assert.deepEqual(nodes(up), [
      'control:HTB-EBS-001 > nist-sp-800-53-r5:SC-28(1) > nist-sp-800-53-r5:SC-28 > nist-sp-800-53-r5:SC > nist-csf-2.0:PR.DS-01 > jp-guideline-test:G-1.1 > jp-guideline-test:G-1 > jp-nisc-test:4.1 > jp-law-test:art-1',
      'control:HTB-EBS-001 > nist-sp-800-53-r5:SC-28(1) > nist-sp-800-53-r5:SC-28 > nist-sp-800-53-r5:SC > nist-csf-2.0:PR.DS-01 > nist-csf-2.0:PR.DS > nist-csf-2.0:PR',
    ]);
    assert.deepEqual(down, []);
  });

  it('says how each hop was reached, including edges written from the other end', () => {
    const [chain] = walk(catalog, 'control:HTB-EBS-001').up;
    assert.deepEqual(chain?.map((hop) => hop.via && `${hop.via.relationship}/${hop.via.written}`), [
      undefined, 'implements/forward', 'part-of/forward', 'part-of/forward', 'intersects/backward', 'intersects/forward', 'part-of/forward', 'derived-from/forward', 'superset/backward',
    ]);
  });

  it('leads from a law down to the controls, through children and a sideways step into SP 800-53', () => {
    const { up, down } = walk(catalog, 'jp-law-test:art-1');
    assert.deepEqual(up, []);
    assert.deepEqual(nodes(down), [
      'jp-law-test:art-1 > jp-nisc-test:4.1 > jp-guideline-test:G-1 > jp-guideline-test:G-1.1 > nist-csf-2.0:PR.DS-01 > nist-sp-800-53-r5:SC > nist-sp-800-53-r5:SC-28 > nist-sp-800-53-r5:SC-28(1) > control:HTB-EBS-001',
    ]);
  });

  it('orients a mapping written from the requirement to the control by level', () => {
    assert.deepEqual(nodes(walk(catalog, 'control:HTB-LOG-001').up), [
      'control:HTB-LOG-001 > nist-sp-800-53-r5:AU-2 > nist-sp-800-53-r5:AU > nist-csf-2.0:DE.CM-09 > nist-csf-2.0:DE.CM > nist-csf-2.0:DE',
    ]);
  });

  it('walks both ways from a requirement in the middle', () => {
    const { up, down } = walk(catalog, 'nist-sp-800-53-r5:AC');
    assert.deepEqual(nodes(up), ['nist-sp-800-53-r5:AC > nist-csf-2.0:PR.AA-05 > nist-csf-2.0:PR.AA > nist-csf-2.0:PR']);
    assert.deepEqual(nodes(down), ['nist-sp-800-53-r5:AC > nist-sp-800-53-r5:AC-2 > nist-sp-800-53-r5:AC-2(1) > control:HTB-IAM-001']);
  });

  it('never returns to a framework a chain has left', () => {
    const extra = { path: 'catalog/mappings/extra.json', text: JSON.stringify({ mappings: [{ source: 'nist-csf-2.0:PR.AA-05', target: 'nist-sp-800-53-r5:AU', relationship: 'intersects', provenance: 't' }] }) };
    const result = loadCatalog([...fixtureFiles(), extra]);
    assert.ok(result.ok);
    const up = nodes(walk(result.catalog, 'control:HTB-IAM-001').up);
    assert.deepEqual(up, ['control:HTB-IAM-001 > nist-sp-800-53-r5:AC-2(1) > nist-sp-800-53-r5:AC-2 > nist-sp-800-53-r5:AC > nist-csf-2.0:PR.AA-05 > nist-csf-2.0:PR.AA > nist-csf-2.0:PR']);
    // From AU itself, the same edge is an ordinary sideways step.
    assert.ok(reachUp(result.catalog, 'nist-sp-800-53-r5:AU').has('nist-csf-2.0:PR.AA-05'));
  });

  it('stops at maxChains and says the answer is truncated', () => {
    const result = walk(catalog, 'control:HTB-EBS-001', { maxChains: 1 });
    assert.deepEqual([result.up.length, result.truncated], [1, true]);
  });

  it('gives the set of nodes above a control and the controls below a node', () => {
    assert.deepEqual([...reachUp(catalog, 'control:HTB-IAM-001')].sort(), [
      'nist-csf-2.0:PR', 'nist-csf-2.0:PR.AA', 'nist-csf-2.0:PR.AA-05', 'nist-sp-800-53-r5:AC', 'nist-sp-800-53-r5:AC-2', 'nist-sp-800-53-r5:AC-2(1)',
    ]);
    assert.deepEqual([...reachDown(catalog, 'nist-csf-2.0:PR')].sort(), ['control:HTB-EBS-001', 'control:HTB-IAM-001']);
    assert.deepEqual(catalog.reach.get('HTB-EBS-001')?.has('jp-law-test:art-1'), true);
  });
});
