import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { DomainError } from '../../domain/errors.js';
import { readControls } from '../../main/catalog.js';
import { toOscalCatalog } from './catalog.js';
import { sampleControls, validateCatalog } from './testing.js';
import type { OscalControl } from './types.js';
import { HATOBA_NS } from './uuid.js';

const options = { version: '2026.1', lastModified: '2026-03-01T00:00:00Z' };
const controlsOf = (doc: ReturnType<typeof toOscalCatalog>): OscalControl[] => (doc.catalog.groups ?? []).flatMap((g) => g.controls ?? []);
const catalogDir = fileURLToPath(new URL('../../../catalog', import.meta.url));

describe('toOscalCatalog', () => {
  it('exports the sample controls as a catalog the OSCAL 1.1.3 catalog schema accepts', () => {
    const doc = toOscalCatalog(sampleControls, options);
    assert.deepEqual(validateCatalog(doc), []);
    assert.equal(doc.catalog.metadata['oscal-version'], '1.1.3');
    assert.equal(doc.catalog.metadata['last-modified'], options.lastModified);
  });

  it('refuses a document without metadata.title, so the schema check can fail', () => {
    const doc = toOscalCatalog(sampleControls, options);
    const broken: { catalog: { metadata: Partial<typeof doc.catalog.metadata> } } = structuredClone(doc);
    delete broken.catalog.metadata.title;
    const errors = validateCatalog(broken);
    assert.ok(errors.some((e) => e.includes('/catalog/metadata') && e.includes('title')), errors.join('\n'));
  });

  it('refuses a control id that is not an OSCAL token', () => {
    const doc = toOscalCatalog(sampleControls, options);
    const broken = structuredClone(doc);
    const group = broken.catalog.groups?.[0];
    const control = group?.controls?.[0];
    assert.ok(control !== undefined);
    control.id = 'HTB S3 001';
    assert.ok(validateCatalog(broken).some((e) => e.includes('/id')));
  });

  it('gives the same bytes for the same controls, whatever their order', () => {
    const once = JSON.stringify(toOscalCatalog(sampleControls, options));
    const again = JSON.stringify(toOscalCatalog([...sampleControls].reverse(), options));
    assert.equal(again, once);
  });

  it('writes control ids as OSCAL tokens and keeps the original id as the label', () => {
    const control = controlsOf(toOscalCatalog(sampleControls, options)).find((c) => c.id === 'htb-s3-001');
    assert.ok(control !== undefined);
    assert.deepEqual(control.props?.find((p) => p.name === 'label'), { name: 'label', value: 'HTB-S3-001' });
    assert.equal(control.title, 'S3 buckets block all public access');
  });

  it('groups controls by their primary service, in a stable order', () => {
    const doc = toOscalCatalog(sampleControls, options);
    assert.deepEqual(
      doc.catalog.groups?.map((g) => [g.id, g.title, (g.controls ?? []).map((c) => c.id)]),
      [
        ['service-iam', 'AWS Identity and Access Management', ['htb-iam-002']],
        ['service-organizations', 'AWS Organizations', ['htb-org-010']],
        ['service-s3', 'Amazon S3', ['htb-s3-001']],
      ],
    );
  });

  it("carries Japanese titles and text, severity and objectives under Hatoba's namespace", () => {
    const control = controlsOf(toOscalCatalog(sampleControls, options)).find((c) => c.id === 'htb-s3-001');
    assert.ok(control !== undefined);
    const props = control.props ?? [];
    for (const prop of props) if (prop.name !== 'label' && prop.name !== 'sort-id') assert.equal(prop.ns, HATOBA_NS, prop.name);
    const values = (name: string): string[] => props.filter((p) => p.name === name).map((p) => p.value);
    assert.deepEqual(values('title-ja'), ['S3 バケットはパブリックアクセスをすべてブロックする']);
    assert.deepEqual(values('severity'), ['high']);
    assert.deepEqual(values('objective'), ['data-protection', 'network-exposure']);
    assert.deepEqual(values('resource-type'), ['AWS::S3::Bucket']);
    const ja = control.parts?.find((p) => p.name === 'statement-ja');
    assert.equal(ja?.ns, HATOBA_NS);
    assert.equal(ja?.prose, 'パブリックアクセスブロックの 4 項目をすべて有効にします。');
    assert.equal(control.parts?.find((p) => p.name === 'statement')?.prose, sampleControls[0]?.description.en);
  });

  it('says how each control is enforced and shows the policy and the rule', () => {
    const control = controlsOf(toOscalCatalog(sampleControls, options)).find((c) => c.id === 'htb-iam-002');
    assert.ok(control !== undefined);
    assert.deepEqual(control.props?.filter((p) => p.name === 'implementation').map((p) => p.value), ['preventive-scp', 'proactive-detective-rule']);
    const guidance = control.parts?.find((p) => p.name === 'guidance');
    assert.match(guidance?.prose ?? '', /service control policy denies.*CEL rule checks AWS::IAM::User/s);
    assert.match(guidance?.parts?.[0]?.prose ?? '', /サービスコントロールポリシー/);
    const policy = control.parts?.find((p) => p.class === 'preventive-scp');
    assert.match(policy?.prose ?? '', /"iam:CreateUser"/);
  });

  it('links the Security Hub control, the Config rule and the Prowler check', () => {
    const control = controlsOf(toOscalCatalog(sampleControls, options)).find((c) => c.id === 'htb-s3-001');
    assert.deepEqual(control?.links?.map((l) => [l.rel, l.href]), [
      ['security-hub-control', 'https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-8'],
      ['config-rule', 'https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-level-public-access-prohibited.html'],
      ['prowler-check', 'https://hub.prowler.com/check/s3_bucket_level_public_access_block'],
    ]);
    assert.equal(controlsOf(toOscalCatalog(sampleControls, options)).find((c) => c.id === 'htb-org-010')?.links, undefined);
  });

  it('gives the catalog a new UUID when a control changes', () => {
    const before = toOscalCatalog(sampleControls, options).catalog.uuid;
    const changed = sampleControls.map((c) => (c.id === 'HTB-S3-001' ? { ...c, severity: 'critical' as const } : c));
    assert.notEqual(toOscalCatalog(changed, options).catalog.uuid, before);
    assert.match(before, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('refuses a last-modified without a time zone and a blank version, naming both', () => {
    assert.throws(
      () => toOscalCatalog(sampleControls, { version: ' ', lastModified: '2026-03-01T00:00:00' }),
      (error: unknown) => error instanceof DomainError && error.code === 'validation_failed' && error.issues.map((i) => i.path[0]).join() === 'version,lastModified',
    );
  });

  it('exports the real catalog/controls as a valid catalog with every control once', { skip: !existsSync(`${catalogDir}/controls`) }, async () => {
    const controls = await readControls(catalogDir);
    const doc = toOscalCatalog(controls, options);
    assert.deepEqual(validateCatalog(doc), []);
    assert.deepEqual(controlsOf(doc).map((c) => c.props?.find((p) => p.name === 'label')?.value).sort(), controls.map((c) => c.id).sort());
  });
});
