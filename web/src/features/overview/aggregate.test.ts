import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { countByOu } from './aggregate';

describe('accounts by OU and status', () => {
  it('counts each OU by status, OUs in path order with unplaced accounts last, statuses in lifecycle order', () => {
    const { rows, statuses } = countByOu([
      { ouPath: '/Workloads/Prod', status: 'ready' },
      { ouPath: null, status: 'provisioning' },
      { ouPath: '/Workloads/Dev', status: 'ready' },
      { ouPath: '/Workloads/Prod', status: 'ready' },
      { ouPath: '/Workloads/Prod', status: 'failed' },
      { ouPath: '/Workloads/Dev', status: 'provisioning' },
    ]);
    assert.deepEqual(statuses, ['provisioning', 'ready', 'failed']);
    assert.deepEqual(rows, [
      { ouPath: '/Workloads/Dev', counts: { ready: 1, provisioning: 1 }, total: 2 },
      { ouPath: '/Workloads/Prod', counts: { ready: 2, failed: 1 }, total: 3 },
      { ouPath: null, counts: { provisioning: 1 }, total: 1 },
    ]);
  });

  it('has no rows and no statuses for no accounts', () => {
    assert.deepEqual(countByOu([]), { rows: [], statuses: [] });
  });
});
