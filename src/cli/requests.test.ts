import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { requestVerbs } from './requests.js';
import { notCalled, verbHarness, type Handler } from './testing.js';

const request = (id: string, patch: Record<string, unknown> = {}) => ({
  id, batchId: 'bat_1', organisationId: 'org_1', systemId: 'sys_1', environment: 'dev', accountName: `acct-${id}`, email: `${id}@accounts.example`,
  requestedBy: 'operator@hatoba.local', createdAt: '2025-04-01T00:00:00.000Z', status: 'failed', statusLabel: { ja: '失敗', en: 'Failed' },
  currentStep: 'create-account', providerAccountId: null, finishedAt: null,
  failure: { step: 'create-account', code: 'EMAIL_ALREADY_EXISTS', message: 'taken', action: 'change the e-mail', at: '2025-04-01T00:01:00.000Z' },
  ...patch,
});

/** `hatoba accounts request` and `hatoba requests …` against an in-memory API: `handle` answers every request. */
const hatoba = (handle: Handler) => verbHarness(requestVerbs, handle);

describe('hatoba accounts request', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hatoba-requests-cli-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('exits 2 and names the file when the CSV file does not exist, sending nothing', async () => {
    const cli = hatoba(notCalled);
    const file = join(dir, 'nope.csv');
    await cli.run('accounts', 'request', '--csv', file);
    assert.equal(process.exitCode, 2);
    assert.deepEqual(cli.err, [`cannot read ${file}: no such file`]);
  });

  it('refuses an --interval that is not a positive whole number with exit 2', async () => {
    const file = join(dir, 'one.csv');
    await writeFile(file, 'tenant_code,system_name,environment\n131016,juki,dev\n');
    for (const interval of ['abc', '0']) {
      const cli = hatoba(notCalled);
      await assert.rejects(cli.run('accounts', 'request', '--csv', file, '--interval', interval), (error: unknown) => error instanceof CommanderError && error.exitCode === 2);
      assert.deepEqual(cli.sent, []);
    }
  });

  it('sends a Shift_JIS file as UTF-8 text, having said it read it as Shift_JIS', async () => {
    const file = join(dir, 'sjis.csv');
    // "tenant_code,system_name,environment,account_name\n131016,juki,dev,東京都" with the name in Shift_JIS.
    const head = new TextEncoder().encode('tenant_code,system_name,environment,account_name\n131016,juki,dev,');
    await writeFile(file, new Uint8Array([...head, 0x93, 0x8c, 0x8b, 0x9e, 0x93, 0x73, 0x0a]));
    const cli = hatoba(() => Response.json({ dryRun: true, batchId: null, requests: [] }));
    await cli.run('accounts', 'request', '--csv', file, '--dry-run');
    assert.equal(process.exitCode, undefined, cli.err.join('\n'));
    assert.deepEqual(cli.err, [`${file} is not UTF-8; read it as Shift_JIS`]);
    const [sent] = cli.sent;
    assert.ok(sent);
    assert.equal(new URL(sent.url).search, '?dryRun=true');
    assert.match(await sent.text(), /131016,juki,dev,東京都/);
  });

  it('lists every failed request of the batch, following the cursor past the first page of 500, and exits 4', async () => {
    const file = join(dir, 'many.csv');
    await writeFile(file, 'tenant_code,system_name,environment\n131016,juki,dev\n');
    const failed = Array.from({ length: 501 }, (_, i) => request(`req_${String(i).padStart(3, '0')}`));
    const cli = hatoba((req) => {
      const url = new URL(req.url);
      if (url.pathname === '/api/account-requests/import') return Response.json({ dryRun: false, batchId: 'bat_1', requests: [] }, { status: 202 });
      if (url.pathname === '/api/account-request-batches/bat_1') {
        return Response.json({ batchId: 'bat_1', total: 501, counts: { pending: 0, running: 0, succeeded: 0, failed: 501, abandoned: 0 } });
      }
      if (url.pathname === '/api/account-requests') {
        assert.deepEqual([url.searchParams.get('batchId'), url.searchParams.get('status')], ['bat_1', 'failed']);
        const limit = Number(url.searchParams.get('limit'));
        const start = url.searchParams.has('cursor') ? Number(url.searchParams.get('cursor')) : 0;
        const items = failed.slice(start, start + limit);
        return Response.json({ items, ...(start + limit < failed.length ? { nextCursor: String(start + limit) } : {}) });
      }
      return Response.json({ code: 'not_found', message: url.pathname, issues: [] }, { status: 404 });
    });
    await cli.run('accounts', 'request', '--csv', file, '--interval', '1');
    assert.equal(process.exitCode, 4);
    const listed = cli.err.filter((l) => l.startsWith('  acct-'));
    assert.equal(listed.length, 501);
    assert.equal(listed[500], '  acct-req_500: EMAIL_ALREADY_EXISTS taken (action: change the e-mail)');
  });
});

describe('hatoba requests show', () => {
  const detail = {
    ...request('req_1'),
    steps: [
      { step: 'validate', status: 'succeeded', statusLabel: { ja: '成功', en: 'Succeeded' }, attempts: 1, startedAt: '2025-04-01T00:00:00.000Z', endedAt: '2025-04-01T00:00:00.012Z', lastError: null },
      {
        step: 'create-account', status: 'failed', statusLabel: { ja: '失敗', en: 'Failed' }, attempts: 3, startedAt: '2025-04-01T00:00:01.000Z', endedAt: '2025-04-01T00:00:02.000Z',
        lastError: { code: 'EMAIL_ALREADY_EXISTS', message: 'taken', at: '2025-04-01T00:00:02.000Z' },
      },
    ],
  };
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('prints the status and the step statuses in Japanese by default', async () => {
    const cli = hatoba(() => Response.json(detail));
    await cli.run('requests', 'show', 'req_1');
    assert.equal(cli.out[0], 'req_1  acct-req_1 <req_1@accounts.example>  dev  失敗 @ create-account');
    assert.equal(cli.out[1], '失敗したステップ create-account: EMAIL_ALREADY_EXISTS: taken (対処: change the e-mail)');
    assert.deepEqual(cli.out.slice(2), [
      '  状態  ステップ        試行  所要時間  直近のエラー',
      '  成功  validate        1     12 ms',
      '  失敗  create-account  3     1000 ms   EMAIL_ALREADY_EXISTS: taken',
    ]);
  });

  it('prints them in English with --lang en', async () => {
    const cli = hatoba(() => Response.json(detail));
    await cli.run('requests', 'show', 'req_1', '--lang', 'en');
    assert.equal(cli.out[0], 'req_1  acct-req_1 <req_1@accounts.example>  dev  Failed @ create-account');
    assert.match(cli.out[1] ?? '', /^failed at create-account: .*\(action: change the e-mail\)$/);
    assert.match(cli.out[3] ?? '', /^ {2}Succeeded +validate +1 +12 ms$/);
    assert.match(cli.out[4] ?? '', /^ {2}Failed +create-account +3 +1000 ms +EMAIL_ALREADY_EXISTS: taken$/);
  });
});
