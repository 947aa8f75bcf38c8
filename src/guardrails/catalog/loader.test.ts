import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { control, fixtureFiles, fixtureFrameworks } from './fixtures.js';
import { loadCatalog, type CatalogFile } from './loader.js';
import { jsonErrorOffset } from './parse-text.js';

const issuesOf = (files: CatalogFile[]) => {
  const result = loadCatalog(files);
  assert.equal(result.ok, false, 'the catalog should be refused');
  return result.ok ? [] : result.issues.map((i) => ({ at: i.path.join(' '), message: i.message }));
};
const replace = (files: CatalogFile[], path: string, text: string): CatalogFile[] => files.map((f) => (f.path === path ? { path, text } : f));

describe('loadCatalog', () => {
  it('loads the fixture catalog with its controls, frameworks and mappings indexed', () => {
    const result = loadCatalog(fixtureFiles());
    assert.ok(result.ok, JSON.stringify(!result.ok && result.issues));
    const { catalog } = result;
    assert.deepEqual(catalog.controls.map((c) => c.id), ['HTB-EBS-001', 'HTB-IAM-001', 'HTB-LOG-001']);
    assert.deepEqual(catalog.frameworks.map((f) => f.id).sort(), fixtureFrameworks.map((f) => f.id).sort());
    assert.deepEqual(catalog.children.get('nist-sp-800-53-r5:SC-28'), ['nist-sp-800-53-r5:SC-28(1)']);
    assert.ok(catalog.controlsById.get('HTB-EBS-001')?.rule, 'rules are compiled');
    assert.equal(catalog.byResourceType.get('AWS::EC2::Volume')?.[0]?.id, 'HTB-EBS-001');
  });

  it('reports a YAML and a JSON syntax error with their lines, and keeps checking the other files', () => {
    const files = replace(
      replace(fixtureFiles(), 'catalog/controls/fixture.yaml', 'controls:\n  - id: HTB-X-001\n    title: [unclosed\n'),
      'catalog/frameworks/jp-law-test.json',
      '{\n  "id": "jp-law-test",\n  "kind": "law",\n}\n',
    );
    const issues = issuesOf(files);
    const yaml = issues.find((i) => i.at === 'catalog/controls/fixture.yaml');
    const json = issues.find((i) => i.at === 'catalog/frameworks/jp-law-test.json');
    assert.match(yaml?.message ?? '', /^line \d+, column \d+: /);
    assert.match(json?.message ?? '', /^line 4, column 1: /);
    // With those two files unreadable, the mappings that name their nodes are reported too.
    assert.ok(issues.some((i) => i.at === 'catalog/mappings/fixture.yaml mappings 0 source' && i.message === 'no control HTB-EBS-001 in the catalog'));
  });

  it('reports every bad control separately, and still compiles the good ones around them', () => {
    const controls = [
      control('HTB-X-001', { severity: 'urgent' }),
      control('HTB-X-002', { implementations: { rule: { expression: 'resource.Encrypted ==', examples: { pass: [{}], fail: [{}] } } } }),
      control('HTB-X-003', { implementations: { rule: { expression: 'resource.Encrypted == true', examples: { pass: [{ Encrypted: false }], fail: [{ Encrypted: false }] } } } }),
      control('bad-id'),
    ];
    const issues = issuesOf([{ path: 'c/controls/x.yaml', text: stringify({ controls }) }]);
    assert.deepEqual(issues.map((i) => i.at), [
      'c/controls/x.yaml controls 0 severity',
      'c/controls/x.yaml controls 1 implementations rule expression',
      'c/controls/x.yaml controls 2 implementations rule examples pass 0',
      'c/controls/x.yaml controls 3 id',
    ]);
    assert.match(issues[2]?.message ?? '', /^HTB-X-003: this example should pass but the rule gives fail$/);
  });

  it('reports duplicate control, framework and requirement ids, and ids not in canonical form', () => {
    const files = [
      ...fixtureFiles(),
      { path: 'catalog/controls/again.yaml', text: stringify({ controls: [control('HTB-EBS-001')] }) },
      {
        path: 'catalog/frameworks/copy.yaml',
        text: stringify({ ...fixtureFrameworks[0], requirements: [{ id: 'AC', title: { en: 'x' } }] }),
      },
      {
        path: 'catalog/frameworks/zz.json',
        text: JSON.stringify({ ...fixtureFrameworks[4], id: 'nist-csf-2.0-draft', requirements: [{ id: 'GV', title: { en: 'x' } }, { id: 'GV', title: { en: 'y' } }] }),
      },
    ];
    const messy = replace(files, 'catalog/frameworks/nist-csf-2.0.json', JSON.stringify({ ...fixtureFrameworks[1], requirements: [{ id: 'PR', title: { en: 'P' } }, { id: 'pr.ds', title: { en: 'D' }, parent: 'PR' }] }));
    const issues = issuesOf(messy);
    assert.deepEqual(issues.filter((i) => !i.at.startsWith('catalog/mappings')), [
      { at: 'catalog/controls/fixture.yaml controls 0 id', message: 'the control id HTB-EBS-001 is already used at catalog/controls/again.yaml controls[0]' },
      { at: 'catalog/frameworks/nist-csf-2.0.json requirements 1 id', message: 'write PR.DS, not pr.ds' },
      { at: 'catalog/frameworks/nist-sp-800-53-r5.json id', message: 'the framework id nist-sp-800-53-r5 is already used in catalog/frameworks/copy.yaml' },
      { at: 'catalog/frameworks/zz.json requirements 1 id', message: 'the requirement id GV is used twice in nist-csf-2.0-draft' },
    ]);
  });

  it('refuses mappings to missing, withdrawn or non-canonical requirements, unknown frameworks and controls', () => {
    const mappings = [
      { source: 'control:HTB-EBS-001', target: 'nist-sp-800-53-r5:AC-3(1)', relationship: 'implements', provenance: 't' },
      { source: 'control:HTB-EBS-001', target: 'nist-sp-800-53-r5:ac-2.1', relationship: 'implements', provenance: 't' },
      { source: 'control:HTB-EBS-001', target: 'nist-sp-800-53-r5:CP-1(2)', relationship: 'implements', provenance: 't' },
      { source: 'control:HTB-NOPE-001', target: 'iso-27001:A.5.1', relationship: 'implements', provenance: 't' },
      { source: 'nist-csf-2.0:PR.AC', target: 'nist-sp-800-53-r5:AC', relationship: 'intersects', provenance: 't' },
      { source: 'control:HTB-EBS-001', target: 'nist-sp-800-53-r5:AC-3(1)', relationship: 'implements', provenance: 't' },
      { source: 'control:HTB-EBS-001', target: 'control:HTB-EBS-001', relationship: 'equivalent', provenance: 't' },
      { source: 'control:HTB-EBS-001', target: 'nist-sp-800-53-r5:AC-2', relationship: 'causes', provenance: 't' },
    ];
    const files = [...fixtureFiles(), { path: 'catalog/mappings/bad.json', text: JSON.stringify({ mappings }) }];
    const issues = issuesOf(files);
    assert.match(issues[0]?.message ?? '', /equivalent/);
    assert.deepEqual(issues, [
      { at: 'catalog/mappings/bad.json mappings 7 relationship', message: issues[0]?.message ?? '' },
      { at: 'catalog/mappings/bad.json mappings 0 target', message: 'AC-3(1) is withdrawn; moved to AC-6' },
      { at: 'catalog/mappings/bad.json mappings 1 target', message: 'write nist-sp-800-53-r5:AC-2(1), not nist-sp-800-53-r5:ac-2.1' },
      { at: 'catalog/mappings/bad.json mappings 2 target', message: 'CP-1(2) is not a requirement of nist-sp-800-53-r5' },
      { at: 'catalog/mappings/bad.json mappings 3 source', message: 'no control HTB-NOPE-001 in the catalog' },
      { at: 'catalog/mappings/bad.json mappings 3 target', message: 'no framework iso-27001 in the catalog (known: jp-guideline-test, jp-law-test, jp-nisc-test, nist-csf-2.0, nist-sp-800-53-r5)' },
      { at: 'catalog/mappings/bad.json mappings 4 source', message: 'PR.AC is withdrawn; moved to PR.AA' },
      { at: 'catalog/mappings/bad.json mappings 5 target', message: 'AC-3(1) is withdrawn; moved to AC-6' },
      { at: 'catalog/mappings/bad.json mappings 5', message: 'the same mapping is already at catalog/mappings/bad.json mappings[0]' },
      { at: 'catalog/mappings/bad.json mappings 6 target', message: 'a mapping joins two different nodes' },
    ]);
  });

  it('reports a missing parent, a parent loop and a moved-to that does not exist', () => {
    const requirements = [
      { id: 'A', title: { en: 'a' }, parent: 'B' },
      { id: 'B', title: { en: 'b' }, parent: 'A' },
      { id: 'C', title: { en: 'c' }, parent: 'Z' },
      { id: 'D', title: { en: 'd' }, withdrawn: { movedTo: ['C', 'Y'] } },
    ];
    const issues = issuesOf([{ path: 'frameworks/own.yaml', text: stringify({ ...fixtureFrameworks[2], requirements }) }]);
    assert.deepEqual(issues, [
      { at: 'frameworks/own.yaml requirements 0 parent', message: 'the parents of A lead back to it' },
      { at: 'frameworks/own.yaml requirements 1 parent', message: 'the parents of B lead back to it' },
      { at: 'frameworks/own.yaml requirements 2 parent', message: 'Z is not a requirement of jp-law-test' },
      { at: 'frameworks/own.yaml requirements 3 withdrawn movedTo 1', message: 'Y is not a requirement of jp-law-test' },
    ]);
  });

  it('reads a JSON file that starts with a byte-order mark', () => {
    const files = fixtureFiles().map((f) => (f.path.endsWith('.json') ? { ...f, text: `\uFEFF${f.text}` } : f));
    assert.ok(loadCatalog(files).ok);
  });

  it('reports a file outside the three folders', () => {
    assert.deepEqual(issuesOf([{ path: 'catalog/README.yaml', text: 'a: 1' }]), [{ at: 'catalog/README.yaml', message: 'a catalog file sits in controls/, frameworks/ or mappings/' }]);
  });
});

describe('jsonErrorOffset', () => {
  it('finds where a JSON text stops being JSON', () => {
    const cases: [string, number][] = [['{"a": }', 6], ['[1, 2', 5], ['{"a": 1,}', 8], ['{"a" 1}', 5], ['"\\x"', 1], ['[tru]', 1], ['{} x', 3]];
    for (const [text, offset] of cases) assert.equal(jsonErrorOffset(text), offset, text);
  });
});
