import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Framework, MappingsFile } from '../src/guardrails/catalog/schema.js';
import { import80053, importCsf2, importFrameworks, validateMappings } from './import-frameworks.js';

const DATA = join(import.meta.dirname, '..', '..', 'shared', 'catalog-data');
const noData = existsSync(DATA) ? false : `the seed data is not at ${DATA}`;
const committed = (path: string) => readFileSync(join(import.meta.dirname, '..', 'catalog', path), 'utf8');

const oscal = {
  catalog: {
    metadata: { version: '5.0.1', 'last-modified': '2021-06-08T13:57:33Z' },
    groups: [
      {
        id: 'ac', title: 'Access  Control', class: 'family',
        controls: [
          { id: 'ac-2', title: 'Account Management', props: [{ name: 'label', value: 'AC-2' }], controls: [
            { id: 'ac-2.10', title: 'Shared Credential Change', props: [{ name: 'status', value: 'withdrawn' }], links: [{ href: '#ac-2_smt.k', rel: 'incorporated-into' }] },
            { id: 'ac-2.1', title: 'Automated\n  Management', links: [{ href: '#ac-2', rel: 'required' }] },
          ] },
          { id: 'ac-1', title: 'Policy and Procedures', links: [{ href: '#pm-9', rel: 'related' }] },
          { id: 'ac-3.1', title: 'Moved', props: [{ name: 'status', value: 'withdrawn' }], links: [{ href: '#ac-6', rel: 'incorporated-into' }, { href: '#sr', rel: 'moved-to' }] },
        ],
      },
    ],
  },
};

const element = (element_type: string, element_identifier: string, title: string, text = '') => ({ element_type, element_identifier, title, text, doc_identifier: 'CSF_2_0_0' });
const relation = (source: string, dest: string, kind: string) => ({ source_element_identifier: source, dest_element_identifier: dest, relationship_identifier: kind });
const cprt = {
  response: {
    elements: {
      documents: [{ doc_identifier: 'CSF_2_0_0', version: 'Version 2.0' }],
      elements: [
        element('subcategory', 'GV.OC-01', '', 'The mission is understood'),
        element('function', 'GV', 'GOVERN'),
        element('category', 'GV.OC', 'Organizational Context'),
        element('category', 'ID.BE', 'Business Environment'),
        element('function', 'ID', 'IDENTIFY'),
        element('subcategory', 'ID.BE-02', '', 'The place in critical infrastructure is identified'),
        element('withdraw_reason', 'WR-ID.BE-02', '', 'Incorporated into GV.OC-01'),
        element('withdraw_reason', 'WR-ID.BE', '', 'Incorporated into GV.OC'),
        element('sort', 'S-GV', '00001'), element('sort', 'S-GV.OC', '00001.00001'), element('sort', 'S-GV.OC-01', '00001.00001.00001'),
        element('sort', 'S-ID', '00002'), element('sort', 'S-ID.BE', '00002.00001'), element('sort', 'S-ID.BE-02', '00002.00001.00001'),
      ],
      relationships: [
        relation('WR-ID.BE-02', 'GV.OC-01', 'incorporated_into'),
        relation('GV.OC-01', 'AC', 'external_reference'),
        relation('GV.OC-01', 'ZZ', 'external_reference'),
        relation('GV', 'GV.OC', 'projection'),
      ],
    },
  },
};

describe('importing SP 800-53 from OSCAL', () => {
  it('normalises ids, keeps families as parents, and keeps withdrawn controls with where they went', () => {
    const framework = Framework.parse(import80053(oscal));
    assert.deepEqual(framework.requirements, [
      { id: 'AC', title: { ja: 'アクセス制御', en: 'Access Control' } },
      { id: 'AC-1', title: { en: 'Policy and Procedures' }, parent: 'AC' },
      { id: 'AC-2', title: { en: 'Account Management' }, parent: 'AC' },
      { id: 'AC-2(1)', title: { en: 'Automated Management' }, parent: 'AC-2' },
      { id: 'AC-2(10)', title: { en: 'Shared Credential Change' }, parent: 'AC-2', withdrawn: { movedTo: ['AC-2'] } },
      { id: 'AC-3(1)', title: { en: 'Moved' }, parent: 'AC', withdrawn: { movedTo: ['AC-6', 'SR'] } },
    ]);
    assert.equal(framework.version, '5.0.1');
  });
});

describe('importing CSF 2.0 from the CPRT export', () => {
  it('orders by NIST’s sort keys, derives parents from the ids, and keeps CSF 1.1 withdrawals', () => {
    const sp80053 = Framework.parse(import80053(oscal));
    const { framework, mappings, rejected } = importCsf2(cprt, sp80053);
    assert.deepEqual(framework.requirements, [
      { id: 'GV', title: { ja: '統治', en: 'GOVERN' } },
      { id: 'GV.OC', title: { ja: '組織の状況', en: 'Organizational Context' }, parent: 'GV' },
      { id: 'GV.OC-01', title: { en: 'The mission is understood' }, parent: 'GV.OC' },
      { id: 'ID', title: { ja: '識別', en: 'IDENTIFY' } },
      { id: 'ID.BE', title: { en: 'Business Environment' }, parent: 'ID', withdrawn: { movedTo: ['GV.OC'] } },
      { id: 'ID.BE-02', title: { en: 'The place in critical infrastructure is identified' }, parent: 'ID.BE', withdrawn: { movedTo: ['GV.OC-01'] } },
    ]);
    assert.deepEqual(mappings.map((m) => `${m.source} ${m.relationship} ${m.target}`), ['nist-csf-2.0:GV.OC-01 intersects nist-sp-800-53-r5:AC']);
    assert.deepEqual(rejected.map((r) => r.reason), ['ZZ is not a requirement of nist-sp-800-53-r5']);
  });
});

describe('validating mappings on import', () => {
  const sp80053 = Framework.parse(JSON.parse(committed('frameworks/nist-sp-800-53-r5.json')));
  const edge = (target: string) => ({ source: 'nist-sp-800-53-r5:AC-2', target: `nist-sp-800-53-r5:${target}`, relationship: 'intersects' as const, provenance: 'test' });

  it('rejects the known bad ids of the Prowler and Guard data with a reason, and normalises the rest', () => {
    const { accepted, rejected } = validateMappings(['CP-1(2)', 'SA-1(1)', 'SI-1(1)', 'AC-3(1)', 'SC-7(2)', 'ac-6.1', 'AC-6 (2)', 'AC-06(01)'].map(edge), [sp80053]);
    assert.deepEqual(rejected.map((r) => r.reason), [
      'CP-1(2) is not a requirement of nist-sp-800-53-r5',
      'SA-1(1) is not a requirement of nist-sp-800-53-r5',
      'SI-1(1) is not a requirement of nist-sp-800-53-r5',
      'AC-3(1) is withdrawn; moved to AC-6',
      'SC-7(2) is withdrawn; moved to SC-7',
    ]);
    // ac-6.1 and AC-06(01) are the same edge: kept once.
    assert.deepEqual(accepted.map((m) => m.target), ['nist-sp-800-53-r5:AC-6(1)', 'nist-sp-800-53-r5:AC-6(2)']);
  });
});

describe('importing the real seed data', { skip: noData }, () => {
  it('gives 1,189 controls and enhancements (182 withdrawn) in 20 families, and the CSF 2.0 core', async () => {
    const { files, rejected } = await importFrameworks(DATA);
    const [sp, csf] = files.slice(0, 2).map((f) => Framework.parse(JSON.parse(f.text)));
    assert.ok(sp !== undefined && csf !== undefined);
    const families = sp.requirements.filter((r) => r.parent === undefined);
    assert.deepEqual([families.length, sp.requirements.length - families.length, sp.requirements.filter((r) => r.withdrawn).length], [20, 1189, 182]);
    const level = (r: { id: string }) => (r.id.includes('-') ? 'subcategory' : r.id.includes('.') ? 'category' : 'function');
    const active = csf.requirements.filter((r) => r.withdrawn === undefined);
    assert.deepEqual(['function', 'category', 'subcategory'].map((l) => active.filter((r) => level(r) === l).length), [6, 22, 106]);
    assert.deepEqual(['category', 'subcategory'].map((l) => csf.requirements.filter((r) => r.withdrawn && level(r) === l).length), [12, 79]);
    const mappings = MappingsFile.parse(JSON.parse(files[2]?.text ?? '')).mappings;
    assert.equal(mappings.length, 408);
    assert.ok(mappings.every((m) => /^nist-sp-800-53-r5:[A-Z]{2}$/.test(m.target)), 'CPRT names families only');
    assert.deepEqual(rejected, []);
  });

  it('is deterministic, and the files committed under catalog/ are what it writes', async () => {
    const first = await importFrameworks(DATA);
    const second = await importFrameworks(DATA);
    assert.deepEqual(first.files, second.files);
    for (const file of first.files) assert.equal(committed(file.path), file.text, `${file.path} is stale: run npm run catalog:import`);
  });
});
