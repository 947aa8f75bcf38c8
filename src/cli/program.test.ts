import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from './client.js';
import { createProgram, exitCodeOf } from './program.js';
import { requestVerbs } from './requests.js';

const detail = {
  id: 'req_1', batchId: null, organisationId: 'org_1', systemId: 'sys_1', environment: 'dev', accountName: 'chiyoda-juki-dev',
  email: 'juki-dev@chiyoda.example', requestedBy: 'sato@city.example', createdAt: '2025-04-01T00:00:00.000Z', status: 'abandoned',
  statusLabel: { ja: '中止', en: 'Abandoned' }, currentStep: null, failure: null, providerAccountId: null, finishedAt: null, steps: [], released: true,
};

/** The `hatoba` program as main builds it, answering from memory and recording the actor header of each request. */
function hatoba(actor?: string) {
  const actors: (string | null)[] = [];
  const err: string[] = [];
  const program = createProgram({
    serverUrl: 'http://hatoba.test',
    actor,
    io: { out: () => undefined, err: (l) => err.push(l), isTty: false },
    verbs: [requestVerbs],
    fetch: async (_input, init) => {
      actors.push(new Headers(init?.headers).get('x-hatoba-actor'));
      return Response.json(detail);
    },
  });
  return { actors, err, run: (...args: string[]) => program.parseAsync(['node', 'hatoba', ...args]) };
}

describe('the hatoba program', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('sends the actor given with --as on every request', async () => {
    const cli = hatoba();
    await cli.run('--as', 'sato@city.example', 'requests', 'show', 'req_1');
    await cli.run('--as', 'sato@city.example', 'requests', 'abandon', 'req_1');
    assert.deepEqual(cli.actors, ['sato@city.example', 'sato@city.example']);
    assert.equal(process.exitCode, undefined);
  });

  it("sends the actor main passes ($HATOBA_ACTOR) when --as is not given, and --as wins over it", async () => {
    const cli = hatoba('env@city.example');
    await cli.run('requests', 'show', 'req_1');
    await cli.run('--as', 'flag@city.example', 'requests', 'show', 'req_1');
    assert.deepEqual(cli.actors, ['env@city.example', 'flag@city.example']);
  });

  it('sends no actor when neither --as nor $HATOBA_ACTOR names one (an empty variable counts as unset)', async () => {
    const cli = hatoba('');
    await cli.run('requests', 'show', 'req_1');
    assert.deepEqual(cli.actors, [null]);
  });

  it('refuses an actor that is not an e-mail address with exit 2, sending nothing', async () => {
    const cli = hatoba();
    await cli.run('--as', 'sato', 'requests', 'show', 'req_1');
    assert.equal(process.exitCode, 2);
    assert.deepEqual(cli.actors, []);
    assert.deepEqual(cli.err, ['--as: "sato" is not an e-mail address']);
  });

  it('maps a body the server finds too large (413) to exit 2, like any invalid input', () => {
    assert.equal(exitCodeOf(new ApiError(413, { code: 'body_too_large', message: 'too large', issues: [] })), 2);
  });
});
