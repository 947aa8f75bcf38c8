import { describe } from 'node:test';
import { describeActivityContract } from './activity.contract.js';
import type { MakeHarness } from './harness.js';
import { describeIdentityContract } from './identity.contract.js';
import { describeIdentityUsersContract } from './identity-users.contract.js';
import { describeOrganizationsContract } from './organizations.contract.js';
import { describeResourcesContract } from './resources.contract.js';
import { describePoliciesContract } from './policies.contract.js';

export type { CloudDriverHarness, MakeHarness } from './harness.js';
export { ManualClock } from './manual-clock.js';

/**
 * The one contract every driver of the cloud port runs (the twin on each database backend, the AWS
 * driver against a mocked SDK). Each test gets a fresh harness from `makeHarness`; tests use unique
 * names, so a harness may share one provider organisation between tests.
 */
export function describeCloudDriver(name: string, makeHarness: MakeHarness): void {
  describe(`cloud driver contract: ${name}`, () => {
    describeOrganizationsContract(makeHarness);
    describeIdentityContract(makeHarness);
    describeIdentityUsersContract(makeHarness);
    describeActivityContract(makeHarness);
    describeResourcesContract(makeHarness);
    describePoliciesContract(makeHarness);
  });
}
