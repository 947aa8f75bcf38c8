import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createProgram, describeError } from './program.js';
import { ApiError } from './client.js';
import { requestVerbs } from './requests.js';

const TOKEN = `hatoba_${'a1B2'.repeat(10)}xyz`;
const detail = {
  id: 'req_1', batchId: null, organisationId: 'org_1', systemId: 'sys_1', environment: 'dev', accountName: 'chiyoda-juki-dev',
  email: 'juki-dev@chiyoda.example', requestedBy: 'sato@city.example', createdAt: '2025-04-01T00:00:00.000Z', status: 'abandoned',
  statusLabel: { ja: '中止', en: 'Abandoned' }, currentStep: null, failure: null, providerAccountId: null, finishedAt: null, steps: [], released: true,
};

/** The program as main builds it, answering from memory and recording each request's Authorization header. */
function hatoba(token?: string) {
  const sent: (string | null)[] = [];
  const printed: string[] = [];
  const program = createProgram({
    serverUrl: 'http://hatoba.test',
    token,
    io: { out: (l) => printed.push(l), err: (l) => printed.push(l), isTty: false },
    verbs: [requestVerbs],
    fetch: async (_input, init) => {
      sent.push(new Headers(init?.headers).get('authorization'));
      return Response.json(detail);
    },
  });
  return { sent, printed, run: (...args: string[]) => program.parseAsync(['node', 'hatoba', ...args]) };
}

describe('the CLI’s API token', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('sends $HATOBA_TOKEN as a bearer token, and --token over it, without printing either', async () => {
    const cli = hatoba(TOKEN);
    await cli.run('requests', 'show', 'req_1');
    await cli.run('--token', `${TOKEN}2`, 'requests', 'show', 'req_1');
    assert.deepEqual(cli.sent, [`Bearer ${TOKEN}`, `Bearer ${TOKEN}2`]);
    assert.ok(!cli.printed.join('\n').includes(TOKEN));
  });

  it('sends no Authorization header without a token (an empty variable counts as unset)', async () => {
    const cli = hatoba('');
    await cli.run('requests', 'show', 'req_1');
    assert.deepEqual(cli.sent, [null]);
  });

  it('refuses a token that cannot be a header value without echoing it', async () => {
    const cli = hatoba(`${TOKEN} with spaces`);
    await cli.run('requests', 'show', 'req_1');
    assert.deepEqual(cli.sent, []);
    assert.equal(process.exitCode, 2);
    assert.match(cli.printed.join('\n'), /\$HATOBA_TOKEN: not an API token/);
    assert.ok(!cli.printed.join('\n').includes(TOKEN));
  });

  it('tells a caller who is not signed in how to pass a token', () => {
    assert.match(describeError(new ApiError(401, { code: 'unauthenticated', message: 'sign-in is required', issues: [] })), /--token or set \$HATOBA_TOKEN/);
  });
});
