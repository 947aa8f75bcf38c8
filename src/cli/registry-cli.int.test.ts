import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { backends, type TestDatabase } from '../store/testing.js';
import { createRegistryStore } from '../store/registry-store.js';
import { createApi } from '../api/app.js';
import { registryRoutes } from '../api/routes/registry.js';
import { registryDeps } from '../app/registry/fixtures/deps.js';
import { organisationCsvLines } from '../app/registry/fixtures/organisation-csv.js';
import { seedDemoFederation } from '../app/registry/demo-federation.js';
import { createApiClient } from './client.js';
import { tenantVerbs } from './tenants.js';
import { accountVerbs } from './accounts.js';

for (const backend of backends()) {
  describe(`hatoba tenants / accounts against the API on ${backend.name}`, () => {
    let handle: TestDatabase;
    let dir: string;
    let out: string[];
    let err: string[];
    let run: (...args: string[]) => Promise<void>;
    let seed: () => Promise<unknown>;

    before(async () => {
      handle = await backend.open();
      dir = await mkdtemp(join(tmpdir(), 'hatoba-cli-'));
      const deps = registryDeps(createRegistryStore(handle.db));
      seed = () => seedDemoFederation(deps, { dryRun: false });
      const app = createApi([registryRoutes(deps)], { version: 'test', access: 'unrestricted' });
      const client = createApiClient('http://hatoba.test', { fetch: async (input, init) => app.request(input instanceof Request ? input : String(input), init) });
      run = async (...args) => {
        const program = new Command('hatoba').exitOverride();
        const context = { client: () => client, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), isTty: false } };
        tenantVerbs(program, context);
        accountVerbs(program, context);
        await program.parseAsync(['node', 'hatoba', ...args]);
      };
    });
    after(async () => {
      await handle.dispose();
      await rm(dir, { recursive: true, force: true });
    });
    afterEach(() => {
      process.exitCode = undefined;
    });
    const reset = () => {
      out = [];
      err = [];
    };

    it('prints every bad row with its column and exits 2, importing nothing', async () => {
      reset();
      const { lines } = organisationCsvLines(60);
      lines[3 - 1] = (lines[3 - 1] ?? '').replace(/billing@[^,]+/, 'nope');
      lines[40 - 1] = (lines[40 - 1] ?? '').replace(/^[^,]+,/, '12345,');
      const file = join(dir, 'bad.csv');
      await writeFile(file, lines.join('\n'));
      await run('tenants', 'import', file);
      assert.equal(process.exitCode, 2);
      assert.deepEqual(err.slice(1).map((l) => l.split(':')[0]), ['  row 3, billing_email', '  row 40, code']);
      reset();
      await run('tenants', 'list', '--prefecture', '02', '--json');
      assert.deepEqual(JSON.parse(out.join('\n')).items, []);
    });

    it('says a file that cannot be read cannot be read, naming it, and exits 2', async () => {
      reset();
      const file = join(dir, 'missing.csv');
      await run('tenants', 'import', file);
      assert.equal(process.exitCode, 2);
      assert.deepEqual(err, [`cannot read ${file}: no such file`]);
    });

    it('imports a valid file after a dry run and lists the tenants', async () => {
      reset();
      const file = join(dir, 'good.csv');
      await writeFile(file, organisationCsvLines(60).lines.join('\n'));
      await run('tenants', 'import', file, '--dry-run');
      assert.match(out[0] ?? '', /^valid: would create 60/);
      await run('tenants', 'import', file);
      assert.match(out[1] ?? '', /^imported: created 60/);
      assert.equal(process.exitCode, undefined);
      reset();
      await run('tenants', 'list', '--kind', 'prefecture', '--all', '--lang', 'en');
      assert.equal(out[0]?.startsWith('CODE'), true);
      assert.equal(out.length, 1 + 47);
    });

    it('lists accounts as a table filtered by tenant and status', async () => {
      reset();
      await seed(); // the demo federation next to the imported tenants: existing codes are left alone
      const store = createRegistryStore(handle.db);
      const chiyoda = await store.getOrganisationByCode('131016');
      const juki = chiyoda === undefined ? undefined : await store.getSystemBySlug(chiyoda.id, 'juki');
      assert.ok(juki);
      await store.reserveAccount({ id: 'acc_cli_1', systemId: juki.id, environment: 'prod', name: 'chiyoda-juki-prod', email: 'juki-prod@chiyoda.example', status: 'provisioning' });
      await run('accounts', 'list', '--tenant', '131016', '--status', 'provisioning');
      assert.match(out[1] ?? '', /^chiyoda-juki-prod +131016 千代田区 +juki +prod +作成中/);
      reset();
      await run('accounts', 'list', '--status', 'ready');
      assert.deepEqual(out, ['no accounts']);
    });

    it('says a tenant does not exist and exits 3', async () => {
      reset();
      await run('accounts', 'list', '--tenant', '999999');
      assert.equal(process.exitCode, 3);
      assert.match(err.join('\n'), /tenant 999999 was not found/);
    });
  });
}
