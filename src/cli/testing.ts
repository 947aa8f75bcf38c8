import assert from 'node:assert/strict';
import { Command } from 'commander';
import { createApiClient } from './client.js';
import type { VerbModule } from './program.js';

/**
 * Test support (only tests import this file): verb modules run as `hatoba …` against an API that
 * `handle` answers, in memory, recording what was sent and what was printed.
 */

export type Handler = (request: Request) => Response | Promise<Response>;

/** A request as sent: method, path (without the query), and the body (parsed when JSON). */
export type SentCall = { method: string; path: string; body: unknown };

export const notCalled: Handler = () => assert.fail('no request is expected');

export function verbHarness(verbs: VerbModule | VerbModule[], handle: Handler, options: { token?: string } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  /** Copies of the requests as sent, bodies unread. */
  const sent: Request[] = [];
  const calls: SentCall[] = [];
  const client = createApiClient('http://hatoba.test', {
    token: options.token,
    fetch: async (input, init) => {
      const req = new Request(input, init);
      sent.push(req.clone());
      const text = await req.clone().text();
      const isJson = req.headers.get('content-type')?.includes('json') === true;
      calls.push({ method: req.method, path: new URL(req.url).pathname, body: text === '' ? undefined : isJson ? JSON.parse(text) : text });
      return handle(req);
    },
  });
  const run = async (...args: string[]) => {
    // exitOverride before the verbs are added, so that their usage errors throw instead of ending the test process.
    const program = new Command('hatoba').exitOverride();
    for (const register of [verbs].flat()) register(program, { client: () => client, io: { out: (l) => out.push(l), err: (l) => err.push(l), isTty: false } });
    await program.parseAsync(['node', 'hatoba', ...args]);
  };
  return { out, err, sent, calls, run };
}
