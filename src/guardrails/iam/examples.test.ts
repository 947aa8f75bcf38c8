import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { compilePolicyJson, fullAwsAccess } from './compile.js';
import { evaluate } from './evaluate.js';
import type { AuthorizationRequest } from './request.js';

// AWS's published SCP and RCP examples (sources and licences: fixtures/README.md), each with
// requests it must allow and deny.

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const Request = z
  .object({
    principal: z
      .object({
        arn: z.string(),
        accountId: z.string(),
        type: z.enum(['root', 'user', 'role', 'assumed-role', 'federated-user', 'service']),
        roleArn: z.string().optional(),
        orgId: z.string().optional(),
        tags: z.record(z.string(), z.string()).optional(),
      })
      .strict(),
    action: z.string(),
    region: z.string(),
    resources: z.array(z.string()).optional(),
    resourceAccount: z.string().optional(),
    resourceTags: z.record(z.string(), z.string()).optional(),
    sourceIp: z.string().optional(),
    secureTransport: z.boolean().optional(),
    viaAWSService: z.boolean().optional(),
    managementAccountId: z.string().optional(),
    context: z.record(z.string(), z.union([Scalar, z.array(Scalar)])).optional(),
  })
  .strict();
const Fixture = z
  .object({
    title: z.string(),
    source: z.url(),
    licence: z.string(),
    kind: z.enum(['SCP', 'RCP']),
    substitutions: z.record(z.string(), z.string()).optional(),
    policy: z.unknown(),
    cases: z.array(z.object({ name: z.string(), expect: z.enum(['allow', 'explicit-deny', 'implicit-deny']), request: Request }).strict()).min(1),
  })
  .strict();

const here = join(import.meta.dirname, 'fixtures');
const files = ['scp', 'rcp'].flatMap((dir) => readdirSync(join(here, dir)).filter((f) => f.endsWith('.json')).map((f) => join(dir, f)));
const readme = readFileSync(join(here, 'README.md'), 'utf8');

describe("AWS's published SCP and RCP examples", () => {
  it('lists every fixture with its source and licence in the fixtures README', () => {
    assert.ok(files.length >= 12);
    for (const file of files) assert.ok(readme.includes(`\`${file}\``), `${file} is not in fixtures/README.md`);
  });

  for (const file of files) {
    const fixture = Fixture.parse(JSON.parse(readFileSync(join(here, file), 'utf8')));
    describe(`${fixture.title} (${file})`, () => {
      const compiled = compilePolicyJson(fixture.policy, { kind: fixture.kind, name: file });
      if ('issues' in compiled) throw new Error(`${file}: ${JSON.stringify(compiled.issues)}`);
      const chain = [[fullAwsAccess(fixture.kind)], [fullAwsAccess(fixture.kind), compiled.policy]];
      for (const example of fixture.cases) {
        it(example.name, () => {
          const request: AuthorizationRequest = example.request;
          const decision = evaluate(request, fixture.kind === 'SCP' ? { scps: chain } : { rcps: chain });
          assert.equal(decision.decision, example.expect, JSON.stringify(decision.reason));
          if (example.expect === 'explicit-deny') assert.deepEqual([decision.reason.stage, decision.reason.level], [fixture.kind.toLowerCase(), 1]);
        });
      }
    });
  }
});
