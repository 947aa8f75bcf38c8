import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { readControls } from '../../main/catalog.js';
import { Framework, MappingsFile, type Mapping } from '../catalog/schema.js';
import { toOscalComponentDefinition } from './component-definition.js';
import { sampleControls, sampleMappings, validateComponentDefinition } from './testing.js';
import type { OscalComponentDefinition, OscalControlImplementation } from './types.js';

const options = { version: '2026.1', lastModified: '2026-03-01T00:00:00+09:00' };
const catalogDir = fileURLToPath(new URL('../../../catalog', import.meta.url));

const implementationOf = (doc: OscalComponentDefinition, framework: string): OscalControlImplementation | undefined =>
  doc['component-definition'].components?.[0]?.['control-implementations']?.find((ci) => ci.props?.some((p) => p.name === 'framework' && p.value === framework));
const controlIdsOf = (ci: OscalControlImplementation | undefined): string[] => (ci?.['implemented-requirements'] ?? []).map((r) => r['control-id']);

describe('toOscalComponentDefinition', () => {
  const doc = toOscalComponentDefinition(sampleControls, sampleMappings, options);

  it('exports a component definition the OSCAL 1.1.3 schema accepts', () => {
    assert.deepEqual(validateComponentDefinition(doc), []);
    const component = doc['component-definition'].components?.[0];
    assert.equal(component?.title, 'Hatoba guardrails');
    assert.equal(component?.type, 'software');
  });

  it('refuses an implemented requirement without a description, so the schema check can fail', () => {
    const broken = structuredClone(doc);
    const requirement = broken['component-definition'].components?.[0]?.['control-implementations']?.[0]?.['implemented-requirements'][0];
    assert.ok(requirement !== undefined);
    Reflect.deleteProperty(requirement, 'description');
    const errors = validateComponentDefinition(broken);
    assert.ok(errors.some((e) => e.includes('implemented-requirements/0') && e.includes('description')), errors.join('\n'));
  });

  it('gives the same bytes for the same controls and mappings, whatever their order', () => {
    const shuffled = toOscalComponentDefinition([...sampleControls].reverse(), [...sampleMappings].reverse(), options);
    assert.equal(JSON.stringify(shuffled), JSON.stringify(doc));
  });

  it("lists each 800-53 requirement a control maps to once, in NIST's OSCAL spelling and order", () => {
    const nist = implementationOf(doc, 'nist-sp-800-53-r5');
    assert.deepEqual(controlIdsOf(nist), ['ac-2.1', 'ac-3', 'ac-10', 'sc-7']);
    assert.equal(nist?.source, 'https://raw.githubusercontent.com/usnistgov/oscal-content/main/nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog.json');
    const ac21 = nist?.['implemented-requirements'][0];
    assert.deepEqual(ac21?.props?.find((p) => p.name === 'requirement-id')?.value, 'AC-2(1)');
  });

  it('leaves out a control with no 800-53 mapping, and a mapping between two requirements', () => {
    const nist = implementationOf(doc, 'nist-sp-800-53-r5');
    const named = (nist?.['implemented-requirements'] ?? []).flatMap((r) => (r.props ?? []).filter((p) => p.name === 'hatoba-control').map((p) => p.value));
    assert.ok(!named.includes('HTB-ORG-010'));
    assert.ok(!controlIdsOf(nist).includes('ac-2'));
    assert.deepEqual(controlIdsOf(implementationOf(doc, 'jp-sbd-guideline')), ['_3.2']);
  });

  it('names every control that implements a requirement, how it relates and how it is enforced', () => {
    const ac3 = implementationOf(doc, 'nist-sp-800-53-r5')?.['implemented-requirements'].find((r) => r['control-id'] === 'ac-3');
    assert.ok(ac3 !== undefined);
    const byControl = (group: string): string[] => (ac3.props ?? []).filter((p) => p.group === group).map((p) => `${p.name}=${p.value}`);
    assert.deepEqual(byControl('htb-iam-002'), ['hatoba-control=HTB-IAM-002', 'relationship=subset', 'implementation=preventive-scp', 'implementation=proactive-detective-rule']);
    assert.deepEqual(byControl('htb-s3-001'), ['hatoba-control=HTB-S3-001', 'relationship=implements', 'implementation=proactive-detective-rule']);
    assert.match(ac3.description, /HTB-IAM-002 "No IAM users or access keys" \(subset; preventive \(service control policy\)/);
    assert.match(ac3.remarks ?? '', /HTB-S3-001「S3 バケットはパブリックアクセスをすべてブロックする」/);
    const resource = doc['component-definition']['back-matter']?.resources[0];
    assert.deepEqual(ac3.links?.map((l) => [l.href, l['resource-fragment']]), [
      [`#${resource?.uuid}`, 'htb-iam-002'],
      [`#${resource?.uuid}`, 'htb-s3-001'],
    ]);
  });

  it('claims only what the exported controls implement when given a subset of the catalog', () => {
    const subset = toOscalComponentDefinition(sampleControls.filter((c) => c.id === 'HTB-S3-001'), sampleMappings, options);
    assert.deepEqual(validateComponentDefinition(subset), []);
    assert.deepEqual(controlIdsOf(implementationOf(subset, 'nist-sp-800-53-r5')), ['ac-3', 'sc-7']);
    assert.equal(implementationOf(subset, 'nist-csf-2.0'), undefined);
  });

  it("uses a framework's own title and source when the frameworks are given", () => {
    const guideline = Framework.parse({
      id: 'jp-sbd-guideline',
      kind: 'guideline',
      title: { ja: 'セキュリティ・バイ・デザインガイドライン', en: 'Security by Design Guideline' },
      publisher: 'Digital Agency',
      version: '2024',
      source: { url: 'https://www.digital.go.jp/resources/standard_guidelines', licence: 'paraphrase' },
      requirements: [{ id: '3.2', title: { en: 'Organisation membership is protected' } }],
    });
    const withFrameworks = toOscalComponentDefinition(sampleControls, sampleMappings, { ...options, frameworks: [guideline] });
    assert.deepEqual(validateComponentDefinition(withFrameworks), []);
    const ci = implementationOf(withFrameworks, 'jp-sbd-guideline');
    assert.equal(ci?.source, 'https://www.digital.go.jp/resources/standard_guidelines');
    assert.match(ci?.description ?? '', /Security by Design Guideline: 1 requirement/);
    assert.match(ci?.['implemented-requirements'][0]?.description ?? '', /^3\.2 \(Organisation membership is protected\) is implemented by the Hatoba guardrail HTB-ORG-010/);
  });

  it('exports a valid document with no mappings at all', () => {
    const empty = toOscalComponentDefinition(sampleControls, [], options);
    assert.deepEqual(validateComponentDefinition(empty), []);
    assert.equal(empty['component-definition'].components?.[0]?.['control-implementations'], undefined);
  });

  it('exports the real catalog (controls, frameworks, mappings) as a valid component definition', { skip: !existsSync(join(catalogDir, 'controls')) }, async () => {
    const controls = await readControls(catalogDir);
    const filesIn = (folder: string): string[] =>
      existsSync(join(catalogDir, folder)) ? readdirSync(join(catalogDir, folder)).filter((n) => /\.(json|ya?ml)$/.test(n)).map((n) => join(catalogDir, folder, n)) : [];
    const mappings: Mapping[] = filesIn('mappings').flatMap((file) => MappingsFile.parse(parse(readFileSync(file, 'utf8'))).mappings);
    const frameworks = filesIn('frameworks').map((file) => Framework.parse(parse(readFileSync(file, 'utf8'))));
    const real = toOscalComponentDefinition(controls, mappings, { ...options, frameworks });
    assert.deepEqual(validateComponentDefinition(real), []);
    const ids = new Set(controls.map((c) => `control:${c.id}`));
    const nist = (ref: string): boolean => ref.startsWith('nist-sp-800-53-r5:');
    const expected = new Set(mappings.flatMap((m) => (ids.has(m.source) && nist(m.target) ? [m.target] : ids.has(m.target) && nist(m.source) ? [m.source] : [])));
    assert.equal(implementationOf(real, 'nist-sp-800-53-r5')?.['implemented-requirements'].length, expected.size === 0 ? undefined : expected.size);
  });
});
