import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cdkEntries, readResources, recognise } from './inputs.js';

describe('recognising what a file is', () => {
  it('takes a JSON or YAML document whose Resources have a Type as a CloudFormation template, AWSTemplateFormatVersion or not', () => {
    assert.equal(recognise('{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}', 't.json').kind, 'cloudformation');
    assert.equal(recognise('Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref Name\n', 't.yaml').kind, 'cloudformation');
  });

  it('keeps each resource’s Metadata, for suppressions and the CDK path', () => {
    const text = 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Metadata:\n      aws:cdk:path: App/B/Resource\n';
    const what = recognise(text, 't.yaml');
    assert.equal(what.kind, 'cloudformation');
    if (what.kind !== 'cloudformation') return;
    const { resources } = readResources(text, 't.yaml', what, 'cdk');
    assert.deepEqual(resources.map((r) => [r.logicalId, r.name, r.source, r.line]), [['B', 'App/B/Resource', 'cdk', 2]]);
  });

  it('takes terraform show -json output as a plan, and tells a state file from a plan', () => {
    assert.equal(recognise('{"format_version": "1.2", "planned_values": {"root_module": {}}}', 'plan.json').kind, 'terraform-plan');
    const state = recognise('{"format_version": "1.0", "values": {"root_module": {}}}', 'state.json');
    assert.equal(state.kind, 'other');
    assert.match(state.kind === 'other' ? state.reason : '', /a state, not a plan/);
  });

  it('takes a manifest.json with artifacts as a CDK cloud assembly and lists its stacks and nested assemblies', () => {
    const manifest = {
      version: '48.0.0',
      artifacts: {
        'Web.assets': { type: 'cdk:asset-manifest', properties: { file: 'Web.assets.json' } },
        Web: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Web.template.json' }, displayName: 'Web' },
        'assembly-Prod': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Prod', displayName: 'Prod' } },
        Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } },
      },
    };
    const what = recognise(JSON.stringify(manifest), 'cdk.out/manifest.json');
    assert.equal(what.kind, 'cdk-manifest');
    if (what.kind !== 'cdk-manifest') return;
    assert.deepEqual(cdkEntries(what.manifest), { templates: [{ file: 'Web.template.json', stack: 'Web' }], nested: ['assembly-Prod'] });
  });

  it('says other JSON and YAML is not an input, including a Resources section without types', () => {
    assert.equal(recognise('{"name": "x", "version": "1.0.0"}', 'package.json').kind, 'other');
    assert.equal(recognise('Resources:\n  A: {}\n', 'serverless.yml').kind, 'other');
    assert.equal(recognise('- a\n- b\n', 'list.yaml').kind, 'other');
  });

  it('reports a file that does not parse with its line', () => {
    const what = recognise('Resources:\n  A:\n    Type: [unclosed\n', 'bad.yaml');
    assert.equal(what.kind, 'unparsable');
    assert.ok(what.kind === 'unparsable' && what.issues.every((i) => i.path[0] === 'bad.yaml' && typeof i.path[1] === 'number' && i.path[1] >= 3));
    const json = recognise('{\n  "Resources": {\n    "A": {"Type": "AWS::S3::Bucket",}\n  }\n', 'bad.json');
    assert.equal(json.kind, 'unparsable');
  });
});
