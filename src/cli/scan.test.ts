import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readControls } from '../main/catalog.js';
import { ScanReport } from '../guardrails/scan/report.js';
import { UsageError, type CliIo } from './program.js';
import { gatherInputs } from './scan-files.js';
import { scanCommand, type ScanCliOptions, type ScanDeps } from './scan.js';

const fixtures = fileURLToPath(new URL('../guardrails/scan/fixtures/', import.meta.url));
const templates = join(fixtures, 'templates');

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), isTty: false };
  return { io, out, err };
};

const options = (extra: Partial<ScanCliOptions> = {}): ScanCliOptions => ({ format: 'json', severityThreshold: 'low', lang: 'en', ...extra });

describe('finding the inputs of a scan', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hatoba-scan-files-'));
    await mkdir(join(dir, 'infra', 'node_modules', 'pkg'), { recursive: true });
    await mkdir(join(dir, 'infra', '.git'), { recursive: true });
    await writeFile(join(dir, 'infra', 'bucket.yaml'), 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n');
    await writeFile(join(dir, 'infra', 'stack.template'), '{"Resources": {"V": {"Type": "AWS::EC2::Volume"}}}');
    await writeFile(join(dir, 'infra', 'README.md'), '# not read');
    await writeFile(join(dir, 'infra', 'node_modules', 'pkg', 'template.json'), '{"Resources": {"X": {"Type": "AWS::S3::Bucket"}}}');
    await writeFile(join(dir, 'infra', '.git', 'config.json'), '{}');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('walks folders for .json, .yaml, .yml and .template files, skipping node_modules and .git, with paths relative to the working folder', async () => {
    const found = await gatherInputs(['infra'], dir);
    assert.deepEqual(found.documents.map((d) => [d.file, d.explicit]), [['infra/bucket.yaml', false], ['infra/stack.template', false]]);
    assert.deepEqual(found.problems, []);
  });

  it('reads a cdk.out folder through its manifest: stacks, nested stack templates and nested assemblies, nothing else', async () => {
    const found = await gatherInputs([join(templates, 'cdk')], join(templates, 'cdk'));
    assert.deepEqual(found.documents.map((d) => [d.file, d.fromCdk]), [
      ['cdk.out/WebStack.template.json', true],
      ['cdk.out/WebStackDb1F2C7A3B.nested.template.json', true],
      ['cdk.out/assembly-Prod/ProdDataStack8C7B9E1D.template.json', true],
    ]);
    const viaManifest = await gatherInputs(['cdk.out/manifest.json'], join(templates, 'cdk'));
    assert.equal(viaManifest.documents.length, 3);
  });

  it('reports a path that does not exist as a problem with its name', async () => {
    const found = await gatherInputs(['infra/missing.yaml', 'infra'], dir);
    assert.deepEqual(found.problems, [{ file: 'infra/missing.yaml', message: 'cannot read: no such file or folder' }]);
    assert.equal(found.documents.length, 2);
  });
});

describe('a cloud assembly whose manifest points outside it', () => {
  // A checked-out repository can hold any cdk.out: its manifest must not make the scan read (and
  // print, in a report or a CI log) files elsewhere on the machine.
  let dir: string;
  const stack = (templateFile: string) => ({ type: 'aws:cloudformation:stack', properties: { templateFile } });
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hatoba-scan-escape-'));
    const template = JSON.stringify({ Resources: { B: { Type: 'AWS::S3::Bucket' } } });
    await writeFile(join(dir, 'secret.json'), template);
    await mkdir(join(dir, 'app', 'cdk.out', 'assembly-Prod'), { recursive: true });
    await writeFile(join(dir, 'app', 'cdk.out', 'Inside.template.json'), template);
    await symlink(join(dir, 'secret.json'), join(dir, 'app', 'cdk.out', 'Linked.template.json'));
    await writeFile(join(dir, 'app', 'cdk.out', 'manifest.json'), JSON.stringify({
      version: '48.0.0',
      artifacts: {
        Inside: stack('Inside.template.json'),
        Outside: stack('../../secret.json'),
        Absolute: stack(join(dir, 'secret.json')),
        Linked: stack('Linked.template.json'),
        Prod: { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Prod' } },
        Away: { type: 'cdk:cloud-assembly', properties: { directoryName: '..' } },
      },
    }));
    await writeFile(join(dir, 'app', 'cdk.out', 'assembly-Prod', 'manifest.json'), JSON.stringify({ version: '48.0.0', artifacts: { Up: stack('../../../secret.json') } }));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('reads only the files inside the assembly folder and reports every path that leaves it, at the manifest that names it', async () => {
    const found = await gatherInputs(['app/cdk.out'], dir);
    assert.deepEqual(found.documents.map((d) => d.file), ['app/cdk.out/Inside.template.json']);
    assert.deepEqual(found.problems, [
      { file: 'app/cdk.out/manifest.json', message: 'stack Outside: templateFile ../../secret.json is outside the cloud assembly app/cdk.out; not read' },
      { file: 'app/cdk.out/manifest.json', message: `stack Absolute: templateFile ${join(dir, 'secret.json')} is outside the cloud assembly app/cdk.out; not read` },
      { file: 'app/cdk.out/manifest.json', message: 'stack Linked: templateFile Linked.template.json is outside the cloud assembly app/cdk.out; not read' },
      { file: 'app/cdk.out/assembly-Prod/manifest.json', message: 'stack Up: templateFile ../../../secret.json is outside the cloud assembly app/cdk.out; not read' },
      { file: 'app/cdk.out/manifest.json', message: 'nested assembly: directoryName .. is outside the cloud assembly app/cdk.out; not read' },
    ]);
  });

  it('exits 2 and names the manifest and the path', async () => {
    const { io, err } = capture();
    const deps: ScanDeps = { loadControls: readControls, catalogDir: join(fixtures, 'catalog'), cwd: dir };
    assert.equal(await scanCommand(deps, io, ['app/cdk.out/manifest.json'], options({ format: 'text' })), 2);
    assert.match(err.join('\n'), /^app\/cdk\.out\/manifest\.json: stack Outside: templateFile \.\.\/\.\.\/secret\.json is outside the cloud assembly app\/cdk\.out; not read$/m);
  });
});

describe('hatoba scan, in process', () => {
  const deps: ScanDeps = { loadControls: readControls, catalogDir: join(fixtures, 'catalog'), cwd: fixtures, version: '0.1.0' };
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hatoba-scan-cli-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('returns 1 for failing results and prints a JSON report that parses with its schema', async () => {
    const { io, out } = capture();
    const code = await scanCommand(deps, io, ['templates/cfn-nag/buckets_with_insecure_acl.json'], options());
    assert.equal(code, 1);
    const report = ScanReport.parse(JSON.parse(out.join('\n')));
    assert.equal(report.counts.failing, 4, "no public access block and no versioning, on two buckets");
    assert.equal(report.results[0]?.file, 'templates/cfn-nag/buckets_with_insecure_acl.json');
  });

  it('returns 0 when --skip leaves nothing failing at or above the threshold, and only runs --controls', async () => {
    const skipped = await scanCommand(deps, capture().io, ['templates/cfn-nag/buckets_with_insecure_acl.json'], options({ skip: ['HTB-S3-001'], severityThreshold: 'medium' }));
    assert.equal(skipped, 0);
    const { io, out } = capture();
    await scanCommand(deps, io, ['templates/cfn-nag/buckets_with_insecure_acl.json'], options({ controls: ['HTB-FX-051'] }));
    assert.deepEqual([...new Set(ScanReport.parse(JSON.parse(out.join('\n'))).results.map((r) => r.control))], ['HTB-FX-051']);
  });

  it('refuses a control id that is not in the catalog (a typo must not silently check nothing)', async () => {
    await assert.rejects(scanCommand(deps, capture().io, ['templates'], options({ controls: ['HTB-S3-01'] })), (e: unknown) => e instanceof UsageError && /not in the catalog: HTB-S3-01/.test(e.message));
  });

  it('refuses an invalid catalog and an empty one, naming the file and the problem', async () => {
    await mkdir(join(dir, 'bad', 'controls'), { recursive: true });
    await writeFile(join(dir, 'bad', 'controls', 'x.yaml'), 'controls:\n  - id: nope\n');
    await assert.rejects(scanCommand(deps, capture().io, ['templates'], options({ catalog: join(dir, 'bad') })), (e: unknown) => e instanceof UsageError && e.message.includes('x.yaml'));
    await assert.rejects(scanCommand(deps, capture().io, ['templates'], options({ catalog: join(dir, 'empty') })), (e: unknown) => e instanceof UsageError && /no controls in/.test(e.message));
  });

  it('writes the report to --output and prints the summary on standard error', async () => {
    const { io, out, err } = capture();
    const file = join(dir, 'report.sarif');
    const code = await scanCommand(deps, io, ['templates/aws-cloudformation-templates'], options({ format: 'sarif', output: file }));
    assert.equal(code, 0, 'an unresolvable result alone does not fail the build');
    assert.deepEqual(out, []);
    assert.match(err.join('\n'), /1 unresolvable/);
    const log = JSON.parse(await readFile(file, 'utf8'));
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs[0].results[0].kind, 'review');
  });

  it('fails the build for an unresolvable result with --strict', async () => {
    assert.equal(await scanCommand(deps, capture().io, ['templates/aws-cloudformation-templates'], options({ strict: true })), 1);
  });

  it('returns 2 when the paths hold nothing to scan, so a wrong path in CI does not pass quietly', async () => {
    await mkdir(join(dir, 'docs'), { recursive: true });
    await writeFile(join(dir, 'docs', 'notes.json'), '{"a": 1}');
    const { io, err } = capture();
    assert.equal(await scanCommand({ ...deps, cwd: dir }, io, ['docs'], options({ format: 'text' })), 2);
    assert.match(err.join('\n'), /^docs: found no CloudFormation template/m);
  });

  it('returns 2 for a named file that does not parse, printing its line', async () => {
    const { io, err } = capture();
    assert.equal(await scanCommand(deps, io, ['templates/hatoba/broken.yaml'], options({ format: 'text' })), 2);
    assert.match(err[0] ?? '', /^templates\/hatoba\/broken\.yaml:6: /);
  });
});
