import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../../domain/errors.js';
import type { Control } from '../catalog/schema.js';
import { checkSelection } from './proposal.js';

const control = (id: string, implementations: Control['implementations']): Control => ({
  id,
  title: { ja: id, en: id },
  description: { ja: id, en: id },
  objectives: ['governance'],
  services: ['ec2'],
  resourceTypes: [],
  severity: 'high',
  implementations,
});
const catalog = [
  control('HTB-GOV-001', { preventive: { kind: 'SCP', statements: [{ Effect: 'Deny', Action: 'ec2:RunInstances', Resource: '*' }] } }),
  control('HTB-EBS-001', { references: { securityHub: ['EC2.7'] } }),
];

describe('checking a selection', () => {
  it('names every problem at its place, in Japanese and English', () => {
    const error = (() => {
      try {
        checkSelection(catalog, ['HTB-GOV-001', 'HTB-NOPE-001', 'HTB-EBS-001', 'HTB-GOV-001'], 'RCP');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(error instanceof DomainError && error.code === 'validation_failed');
    assert.match(error.message, /選ばれたコントロールに問題があります \/ the selected controls are not valid/);
    assert.deepEqual(error.issues, [
      { path: ['controls', 0], message: 'HTB-GOV-001 は RCP ではなく SCP の予防的コントロールです / HTB-GOV-001 is a preventive SCP control, not RCP' },
      { path: ['controls', 1], message: 'カタログに HTB-NOPE-001 というコントロールはありません / no control HTB-NOPE-001 in the catalog' },
      { path: ['controls', 2], message: 'HTB-EBS-001 には予防的な実装がありません / HTB-EBS-001 has no preventive implementation' },
      { path: ['controls', 3], message: 'HTB-GOV-001 が 2 回選ばれています / HTB-GOV-001 is selected twice' },
    ]);
  });

  it('returns the controls of a valid selection', () => {
    assert.deepEqual(checkSelection(catalog, ['HTB-GOV-001'], 'SCP').map((c) => c.id), ['HTB-GOV-001']);
  });
});
