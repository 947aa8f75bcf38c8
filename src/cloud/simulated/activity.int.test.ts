import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../contract-tests/index.js';
import { collect, createAccountNow, rejectsWith } from '../contract-tests/harness.js';
import { backends, type TestDatabase } from '../../store/testing.js';
import { createSimulatedCloud } from './driver.js';

for (const backend of backends()) {
  describe(`the twin's LookupEvents on ${backend.name}`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await backend.open();
    });
    after(async () => database.dispose());

    it('returns 50 events a page by default whatever the page size of other lists, fewer when asked, and refuses more than 50', async () => {
      const clock = new ManualClock();
      const twin = await createSimulatedCloud({ db: database.db, clock, config: { twin: randomUUID(), pageSize: 3, accountCreationDurationMs: 1_000 } });
      const { accountId } = await createAccountNow({ driver: twin, advance: async (ms) => clock.advance(ms), dispose: async () => undefined }, 'ev');
      const principal = { arn: `arn:aws:sts::${accountId}:assumed-role/Developer/alice`, type: 'AssumedRole' as const };
      for (let i = 0; i < 55; i++) await twin.simulateCall({ accountId, principal, action: 'ec2:DescribeInstances', region: 'ap-northeast-1' });

      const filter = { accountId, eventName: 'DescribeInstances' };
      const first = await twin.lookupEvents(filter);
      assert.equal(first.items.length, 50);
      assert.equal((await twin.lookupEvents(filter, first.nextToken)).items.length, 5);
      const small = await collect((t) => twin.lookupEvents({ ...filter, maxResults: 10 }, t));
      assert.deepEqual([small.items.length, small.pages], [55, 6]);
      await rejectsWith(twin.lookupEvents({ ...filter, maxResults: 51 }), 'InvalidInputException');
      await rejectsWith(twin.lookupEvents({ ...filter, maxResults: 0 }), 'InvalidInputException');
    });
  });
}
