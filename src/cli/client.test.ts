import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { createApiClient, formatProblem } from './client.js';

describe('the API client', () => {
  it('sends the API token as a bearer token on every request, JSON, CSV or download, and never an x-hatoba-actor header', async () => {
    const seen: [string | null, boolean][] = [];
    const client = createApiClient('http://hatoba.test/', {
      token: 'hatoba_abc',
      fetch: async (_input, init) => {
        const headers = new Headers(init?.headers);
        seen.push([headers.get('authorization'), headers.has('x-hatoba-actor')]);
        return Response.json({ ok: true });
      },
    });
    const Ok = z.object({ ok: z.boolean() });
    await client.request('GET', '/api/health', Ok);
    await client.request('POST', '/api/account-requests', Ok, { environment: 'dev' });
    await client.requestText('POST', '/api/account-requests/import', 'text/csv', 'environment\ndev\n', Ok);
    await client.download('/api/audit/export?format=csv');
    assert.deepEqual(seen, Array.from({ length: 4 }, () => ['Bearer hatoba_abc', false]));
  });

  it('sends no Authorization header without a token', async () => {
    let headers: Headers | undefined;
    const client = createApiClient('http://hatoba.test', { fetch: async (_input, init) => ((headers = new Headers(init?.headers)), Response.json({})) });
    await client.request('GET', '/api/health', z.object({}));
    assert.equal(headers?.has('authorization'), false);
    assert.equal(headers?.has('x-hatoba-actor'), false);
  });
});

describe('printing a problem', () => {
  it('puts every issue on its own line, CSV cells as row and column and other locations as dotted paths', () => {
    const text = formatProblem({
      code: 'validation_failed',
      message: '3 problem(s) found; nothing was queued',
      issues: [
        { path: ['row', 5, 'email'], message: 'not an e-mail address' },
        { path: ['row'], message: 'at most 5000 per file' },
        { path: ['body', 'requests', 0, 'email'], message: 'Invalid email address' },
      ],
    });
    assert.equal(
      text,
      ['3 problem(s) found; nothing was queued', '  row 5, email: not an e-mail address', '  row: at most 5000 per file', '  body.requests.0.email: Invalid email address'].join('\n'),
    );
  });
});
