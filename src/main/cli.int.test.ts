/**
 * The product as a person runs it: real `hatoba` processes, real HTTP, the embedded database in a
 * temporary folder. Covers `demo`, `accounts request --csv` (bad file: every bad row, nothing queued;
 * good file: queued and followed to the end), `requests show`, and the data folder lock.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, runHatoba as run, spawnHatoba, stopHatoba, type HatobaProcess } from './testing/processes.js';

describe('the hatoba command', () => {
  let dir: string;
  let server: HatobaProcess | undefined;
  let url: string;
  /** The demo operator's API token, which the demo writes beside its data folder. */
  let token: string;
  const env = () => ({ HATOBA_DATA_DIR: join(dir, 'data'), HATOBA_URL: url, HATOBA_TOKEN: token, HATOBA_TWIN_CREATION_MS: '200', HATOBA_POLL_INTERVAL_MS: '50', DATABASE_URL: '' });
  const get = (path: string) => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hatoba-cli-e2e-'));
    const demo = spawnHatoba(['demo'], { HATOBA_DATA_DIR: join(dir, 'data'), PORT: '0', HATOBA_TWIN_CREATION_MS: '200', HATOBA_POLL_INTERVAL_MS: '50' });
    server = demo;
    url = await eventually(
      'the demo server to print its URL',
      async () => {
        if (demo.hasExited()) throw new Error(`the demo server exited: ${demo.stdout()}${demo.stderr()}`);
        return /API:\s+(http:\/\/\S+)\/api/.exec(demo.stdout())?.[1];
      },
      60_000,
    );
    token = (await readFile(join(dir, 'demo-token'), 'utf8')).trim();
  });

  after(async () => {
    if (server !== undefined) await stopHatoba(server);
    await rm(dir, { recursive: true, force: true });
  });

  it('demo serves the API with the demo federation', async () => {
    const tenants = await (await get('/api/tenants?limit=100')).json();
    assert.ok(JSON.stringify(tenants).includes('東京都'));
  });

  it('a CSV with bad rows reports every one of them and queues nothing', async () => {
    const file = join(dir, 'bad.csv');
    await writeFile(file, ['tenant_code,system_name,environment,account_name', '131016,juki,prod,cli-a', '131016,no-such-system,prod,cli-b', '131016,juki,production,cli-c', '131016,juki,dev,cli-a'].join('\n'));
    const ids = async () => ((await (await get('/api/account-requests?limit=500')).json()) as { items: { id: string }[] }).items.map((r) => r.id);
    const before = await ids();
    const result = await run(['accounts', 'request', '--csv', file], env());
    assert.equal(result.code, 2, result.err);
    assert.match(result.err, /row 3, systemName/);
    assert.match(result.err, /row 4, environment/);
    assert.match(result.err, /row 5, accountName/);
    assert.doesNotMatch(result.err, /row 2,/);
    assert.deepEqual(await ids(), before);
  });

  it('a valid CSV is queued and followed until every account is ready', async () => {
    const file = join(dir, 'good.csv');
    await writeFile(file, ['tenant_code,system_name,environment,account_name', '131016,juki,prod,cli-ok-1', '131016,juki,dev,cli-ok-2', '130001,bosai,staging,cli-ok-3'].join('\n'));
    const result = await run(['accounts', 'request', '--csv', file, '--interval', '100'], env());
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /queued 3 account request/);
    assert.match(result.out, /done: 3 ready, 0 failed/);
    const listed = await run(['accounts', 'list', '--json'], env());
    assert.match(listed.out, /cli-ok-3/);
  });

  it('requests show prints the step timeline of a request', async () => {
    const page = (await (await get('/api/account-requests?limit=1')).json()) as { items: { id: string }[] };
    const id = page.items[0]?.id ?? '';
    const shown = await run(['requests', 'show', id], env());
    assert.equal(shown.code, 0, shown.err);
    assert.match(shown.out, /validate/);
    assert.match(shown.out, /create-account/);
  });

  it('a second server on the same data folder refuses to start and says why', async () => {
    const second = await run(['serve'], { ...env(), PORT: '0' });
    assert.equal(second.code, 3);
    assert.match(second.err, /in use by another Hatoba process/);
  });

  it('a usage error (unknown option, missing required option) exits 2, and --help exits 0', async () => {
    const unknown = await run(['accounts', 'list', '--no-such-option'], env());
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown option/);
    const missing = await run(['accounts', 'request'], env());
    assert.equal(missing.code, 2);
    assert.match(missing.err, /--csv/);
    const help = await run(['--help'], env());
    assert.equal(help.code, 0);
    assert.match(help.out, /accounts/);
  });

  it('an invalid setting is named and stops the server before it starts', async () => {
    const bad = await run(['serve'], { ...env(), PORT: 'eighty', HATOBA_WORKER_CONCURRENCY: '0' });
    assert.equal(bad.code, 2);
    assert.match(bad.err, /env\.PORT/);
    assert.match(bad.err, /env\.HATOBA_WORKER_CONCURRENCY/);
  });
});
