import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ensureOuPath } from './ou-path.js';
import { addOu, fakeOrganization } from './fixtures/fake-organization.js';
import { DomainError } from '../../domain/errors.js';

describe('ensureOuPath', () => {
  it('creates the missing OUs from the root down and returns the last one', async () => {
    const cloud = fakeOrganization();
    const id = await ensureOuPath(cloud, '/Workloads/Prod/LocalGov');
    assert.deepEqual(cloud.ous.map((ou) => [ou.name, ou.parentId]), [['Workloads', 'r-root'], ['Prod', 'ou-1'], ['LocalGov', 'ou-2']]);
    assert.equal(id, 'ou-3');
  });

  it('reuses OUs that exist, also beyond the first page of a listing', async () => {
    const cloud = fakeOrganization(1);
    addOu(cloud, 'r-root', 'Sandbox');
    addOu(cloud, 'r-root', 'Security');
    const workloads = addOu(cloud, 'r-root', 'Workloads');
    assert.equal(await ensureOuPath(cloud, '/Workloads'), workloads.id);
    assert.equal(cloud.calls.filter((c) => c.startsWith('create')).length, 0);
  });

  it('takes the OU another process created first instead of failing', async () => {
    const cloud = fakeOrganization();
    cloud.beforeCreate = (parentId, name) => {
      addOu(cloud, parentId, name); // the other process wins the race
      cloud.beforeCreate = undefined;
      return true;
    };
    const id = await ensureOuPath(cloud, '/Suspended');
    assert.equal(cloud.ous.length, 1);
    assert.equal(id, cloud.ous[0]?.id);
  });

  it('asks the provider nothing for paths it already resolved', async () => {
    const cloud = fakeOrganization();
    const cache = new Map<string, string>();
    await ensureOuPath(cloud, '/Workloads/Prod', cache);
    const before = cloud.calls.length;
    await ensureOuPath(cloud, '/Workloads/Prod', cache);
    assert.equal(cloud.calls.length, before);
  });

  it('returns the root for / and refuses malformed paths', async () => {
    const cloud = fakeOrganization();
    assert.equal(await ensureOuPath(cloud, '/'), 'r-root');
    await assert.rejects(ensureOuPath(cloud, 'Workloads//Prod'), DomainError);
  });
});
