/**
 * API tokens as a person uses them from the shell: `hatoba demo` writes its operator's token to a
 * file only they can read and prints the path, never the token; the CLI sends $HATOBA_TOKEN; and
 * `hatoba tokens issue` makes the first operator's token on the server's own database.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, runHatoba, spawnHatoba, stopHatoba, type HatobaProcess } from './testing/processes.js';

describe('API tokens from the shell', () => {
  let dir: string;
  let demo: HatobaProcess | undefined;
  let url: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hatoba-tokens-'));
    const server = spawnHatoba(['demo'], { HATOBA_DATA_DIR: join(dir, 'demo', 'data'), PORT: '0', HATOBA_TWIN_CREATION_MS: '200' });
    demo = server;
    url = await eventually(
      'the demo server to print its URL',
      async () => {
        if (server.hasExited()) throw new Error(`the demo exited: ${server.stdout()}${server.stderr()}`);
        return /API:\s+(http:\/\/\S+)\/api/.exec(server.stdout())?.[1];
      },
      60_000,
    );
  });

  after(async () => {
    if (demo !== undefined) await stopHatoba(demo);
    await rm(dir, { recursive: true, force: true });
  });

  it('the demo writes its operator’s token beside the data folder, readable by the user only, and prints only the path', async () => {
    const file = join(dir, 'demo', 'demo-token');
    const token = (await readFile(file, 'utf8')).trim();
    assert.match(token, /^hatoba_[A-Za-z0-9_-]{43}$/);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.ok(demo?.stdout().includes(file));
    assert.ok(!`${demo?.stdout() ?? ''}${demo?.stderr() ?? ''}`.includes(token));
    assert.match(demo?.stdout() ?? '', /Sign in: http:\/\/localhost:\d+\/auth\/sign-in/);
    assert.match(demo?.stdout() ?? '', /Portal:  http:\/\/localhost:\d+\//);
  });

  it('the CLI acts as the demo operator with $HATOBA_TOKEN, and is anonymous without it', async () => {
    const token = (await readFile(join(dir, 'demo', 'demo-token'), 'utf8')).trim();
    const me = (await (await fetch(`${url}/auth/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as { email: string; roles: string[] };
    assert.deepEqual([me.email, me.roles], ['sato.operator@people.demo.hatoba.example', ['operator']]);
    const listed = await runHatoba(['tenants', 'list'], { HATOBA_URL: url, HATOBA_TOKEN: token });
    assert.equal(listed.code, 0, listed.err);
    assert.match(listed.out, /131016/);
    assert.ok(!`${listed.out}${listed.err}`.includes(token));
    const anonymous = await runHatoba(['tenants', 'list'], { HATOBA_URL: url });
    assert.notEqual(anonymous.code, 0);
    assert.match(anonymous.err, /HATOBA_TOKEN/);
  });

  it('`hatoba tokens issue` makes the first operator and their token on an empty database, once', async () => {
    const env = { HATOBA_DATA_DIR: join(dir, 'fresh', 'data') };
    const first = await runHatoba(['tokens', 'issue', '--email', 'First.Operator@Example.jp', '--days', '2'], env);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out.trim(), /^hatoba_[A-Za-z0-9_-]{43}$/);
    assert.match(first.err, /first\.operator@example\.jp is the first operator/);
    assert.ok(!first.err.includes(first.out.trim()), 'the token goes to stdout only');
    const stranger = await runHatoba(['tokens', 'issue', '--email', 'someone@example.jp'], env);
    assert.equal(stranger.code, 2);
    assert.match(stranger.err, /no active person has the e-mail address someone@example\.jp/);
    assert.equal(stranger.out, '');
    const again = await runHatoba(['tokens', 'issue', '--email', 'first.operator@example.jp', '--name', 'second laptop'], env);
    assert.equal(again.code, 0, again.err);
    assert.notEqual(again.out.trim(), first.out.trim());
  });
});
