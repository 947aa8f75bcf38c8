import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { createApiClient, formatProblem } from './client.js';

describe('the API client', () => {
  it('sends the actor as x-hatoba-actor on every request, JSON or CSV', async () => {
    const seen: (string | null)[] = [];
    const client = createApiClient('http://hatoba.test/', {
      actor: 'sato@city.example',
      fetch: async (_input, init) => {
        seen.push(new Headers(init?.headers).get('x-hatoba-actor'));
        return Response.json({ ok: true });
      },
    });
    const Ok = z.object({ ok: z.boolean() });
    await client.request('GET', '/api/health', Ok);
    await client.request('POST', '/api/account-requests', Ok, { environment: 'dev' });
    await client.requestText('POST', '/api/account-requests/import', 'text/csv', 'environment\ndev\n', Ok);
    assert.deepEqual(seen, ['sato@city.example', 'sato@city.example', 'sato@city.example']);
  });

  it('sends no actor header when no actor is named, so the server records its default', async () => {
    let headers: Headers | undefined;
    const client = createApiClient('http://hatoba.test', { fetch: async (_input, init) => ((headers = new Headers(init?.headers)), Response.json({})) });
    await client.request('GET', '/api/health', z.object({}));
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
        { path: ['header', 'x-hatoba-actor'], message: 'Invalid email address' },
      ],
    });
    assert.equal(
      text,
      ['3 problem(s) found; nothing was queued', '  row 5, email: not an e-mail address', '  row: at most 5000 per file', '  header.x-hatoba-actor: Invalid email address'].join('\n'),
    );
  });
});
