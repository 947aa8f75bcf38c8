import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { CommanderError } from 'commander';
import { ApiError } from './client.js';
import { createProgram, exitCodeOf, usageExitCode } from './program.js';
import { requestVerbs } from './requests.js';

const detail = {
  id: 'req_1', batchId: null, organisationId: 'org_1', systemId: 'sys_1', environment: 'dev', accountName: 'chiyoda-juki-dev',
  email: 'juki-dev@chiyoda.example', requestedBy: 'sato@city.example', createdAt: '2025-04-01T00:00:00.000Z', status: 'abandoned',
  statusLabel: { ja: '中止', en: 'Abandoned' }, currentStep: null, failure: null, providerAccountId: null, finishedAt: null, steps: [], released: true,
};

/** The `hatoba` program as main builds it, answering from memory and recording the headers of each request. */
function hatoba(token?: string) {
  const sent: Headers[] = [];
  const program = createProgram({
    serverUrl: 'http://hatoba.test',
    token,
    io: { out: () => undefined, err: () => undefined, isTty: false },
    verbs: [requestVerbs],
    fetch: async (_input, init) => {
      sent.push(new Headers(init?.headers));
      return Response.json(detail);
    },
  });
  // Commander's own usage message would go to the test's stderr.
  program.configureOutput({ writeErr: () => undefined });
  return { sent, run: (...args: string[]) => program.parseAsync(['node', 'hatoba', ...args]) };
}

describe('the hatoba program', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('identifies the caller by the bearer token alone and never sends an x-hatoba-actor header', async () => {
    const cli = hatoba('hatoba_env');
    await cli.run('requests', 'show', 'req_1');
    await cli.run('--token', 'hatoba_flag', 'requests', 'abandon', 'req_1');
    assert.deepEqual(cli.sent.map((h) => [h.get('authorization'), h.has('x-hatoba-actor')]), [['Bearer hatoba_env', false], ['Bearer hatoba_flag', false]]);
    assert.equal(process.exitCode, undefined);
  });

  it('no longer knows --as: it is a usage error (exit 2) and nothing is sent', async () => {
    const cli = hatoba('hatoba_env');
    const error = await cli.run('--as', 'sato@city.example', 'requests', 'show', 'req_1').then(
      () => assert.fail('--as was accepted'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof CommanderError);
    assert.equal(error.code, 'commander.unknownOption');
    assert.equal(usageExitCode(error), 2);
    assert.deepEqual(cli.sent, []);
  });

  it('maps a body the server finds too large (413) to exit 2, like any invalid input', () => {
    assert.equal(exitCodeOf(new ApiError(413, { code: 'body_too_large', message: 'too large', issues: [] })), 2);
  });
});
