import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { celEnv, parse, plan } from '@bufbuild/cel';
import { celForm, watchingReads } from './cel-form.js';

const readsOf = (expression: string, properties: Record<string, unknown>): string[] => {
  const program = plan(celEnv(), parse(expression));
  const { cel } = celForm(properties);
  return [...watchingReads(() => program({ resource: cel })).read].sort();
};

const template = () => ({
  Name: { 'Fn::Sub': 'x-${AWS::Region}' },
  Encrypted: true,
  Rules: [{ Cidr: { Ref: 'Cidr' }, Port: 22 }],
  Subnets: [{ Ref: 'A' }, 'subnet-1'],
  Tags: { owner: { Ref: 'Owner' }, team: 'a' },
});

describe('the CEL form of a resource with open values', () => {
  it('lists its open values once, in document order', () => {
    assert.deepEqual(celForm(template()).open, ['Name', 'Rules[0].Cidr', 'Subnets[0]', 'Tags.owner']);
  });

  it('sees no read of an open value when a rule looks elsewhere', () => {
    assert.deepEqual(readsOf('resource.Encrypted == true && resource.Rules.all(r, r.Port != 3389)', template()), []);
    assert.deepEqual(readsOf("has(resource.Tags.team) && resource.Tags.team == 'a'", template()), []);
  });

  it('sees a read of an open value by key, by presence test and inside a list element', () => {
    assert.deepEqual(readsOf("resource.Name == 'x'", template()), ['Name']);
    assert.deepEqual(readsOf('has(resource.Tags.owner)', template()), ['Tags.owner']);
    assert.deepEqual(readsOf("resource.Rules.exists(r, r.Cidr == '0.0.0.0/0')", template()), ['Rules[0].Cidr']);
  });

  it('counts any use of a list that holds an open value, and any walk over a map that holds one, as a read', () => {
    assert.deepEqual(readsOf('size(resource.Subnets) > 0', template()), ['Subnets[0]']);
    assert.deepEqual(readsOf("resource.Tags.exists(k, k == 'x')", template()), ['Tags.owner']);
    assert.deepEqual(readsOf("resource.Tags == {'owner': 'o', 'team': 'a'}", template()), ['Tags.owner']);
    assert.deepEqual(readsOf("{'owner': 'o', 'team': 'a'} == resource.Tags", template()), ['Tags.owner']);
    // Maps of different sizes differ whatever the open value is: nothing of it was read.
    assert.deepEqual(readsOf("resource.Tags == {'team': 'a'}", template()), []);
  });

  it('makes resources without open values once, without watching', () => {
    const properties = { Encrypted: true, Tags: [{ Key: 'a' }] };
    assert.equal(celForm(properties), celForm(properties));
    assert.deepEqual(celForm(properties).open, []);
  });
});
