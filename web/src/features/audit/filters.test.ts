import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { filtersFrom, isoToLocal, localToIso } from './filters';

describe('the audit log filters', () => {
  it('reads tenant and period from the address, empty when absent', () => {
    assert.deepEqual(filtersFrom('?tenant=131016&from=2031-01-01T00%3A00%3A00.000Z'), { tenant: '131016', from: '2031-01-01T00:00:00.000Z', to: '' });
    assert.deepEqual(filtersFrom(''), { tenant: '', from: '', to: '' });
  });

  it('turns a local date and time into UTC and back to the minute', () => {
    const iso = localToIso('2031-01-02T09:30');
    assert.match(iso, /^2031-01-0[12]T\d\d:30:00\.000Z$/);
    assert.equal(isoToLocal(iso), '2031-01-02T09:30');
    assert.equal(localToIso(''), '');
    assert.equal(isoToLocal('not a date'), '');
  });
});
