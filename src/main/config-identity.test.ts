import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from './config.js';
import { assuranceOf } from './identity.js';
import { DomainError } from '../domain/errors.js';

const SECRET = 'very-secret-client-secret';

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof DomainError) return error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw error;
  }
  return [];
};

describe('sign-in configuration', () => {
  it('has no provider, a localhost origin and 30 minutes idle / 8 hours at most by default', () => {
    const { identity } = loadConfig({});
    assert.equal(identity.oidc, undefined);
    assert.equal(identity.publicUrl, undefined);
    assert.deepEqual(identity.session, { idleMinutes: 30, maxHours: 8 });
    assert.match(identity.demoTokenFile, /\.hatoba\/demo-token$/);
  });

  it('reads a provider, the accepted assurance and the public origin', () => {
    const { identity } = loadConfig({
      HATOBA_PUBLIC_URL: 'https://hatoba.example.jp/',
      HATOBA_OIDC_ISSUER: 'https://idp.example.jp/realms/gov',
      HATOBA_OIDC_CLIENT_ID: 'hatoba',
      HATOBA_OIDC_CLIENT_SECRET: SECRET,
      HATOBA_OIDC_ACR_VALUES: 'urn:a:high, urn:a:substantial',
    });
    assert.equal(identity.publicUrl, 'https://hatoba.example.jp');
    assert.deepEqual(identity.oidc, { issuer: 'https://idp.example.jp/realms/gov', clientId: 'hatoba', clientSecret: SECRET });
    assert.deepEqual(identity.assurance, { acr: ['urn:a:high', 'urn:a:substantial'], amr: [] });
  });

  it('requires multi-factor by default, and with the bundled provider its substantial or high level too', () => {
    const config = loadConfig({});
    assert.deepEqual(assuranceOf(config, false), { acr: [], amr: ['mfa'] });
    assert.deepEqual(assuranceOf(config, true), { acr: ['urn:hatoba:loa:substantial', 'urn:hatoba:loa:high'], amr: ['mfa'] });
    assert.deepEqual(assuranceOf(loadConfig({ HATOBA_OIDC_AMR_VALUES: 'hwk sc' }), true), { acr: [], amr: ['hwk', 'sc'] });
  });

  it('names every refused setting by its variable, all at once, and never shows the secret', () => {
    const found = problems({
      HATOBA_OIDC_ISSUER: 'http://idp.example.jp',
      HATOBA_OIDC_CLIENT_SECRET: SECRET,
      HATOBA_PUBLIC_URL: 'http://hatoba.example.jp/portal',
      HATOBA_SESSION_IDLE_MINUTES: '0',
      HATOBA_OIDC_PEOPLE_RULES: '[{"when": {"claim": "roles", "equals": "x"}, "central": ["king"]}]',
    });
    const text = found.join('\n');
    assert.doesNotMatch(text, new RegExp(SECRET));
    for (const name of ['HATOBA_OIDC_ISSUER', 'HATOBA_PUBLIC_URL', 'HATOBA_SESSION_IDLE_MINUTES', 'HATOBA_OIDC_PEOPLE_RULES.0.central.0']) {
      assert.ok(found.some((p) => p.startsWith(`env.${name}:`)), `${name} in\n${text}`);
    }
    assert.ok(found.some((p) => p.startsWith('env.HATOBA_OIDC_CLIENT_ID: required')), text);
  });

  it('allows plain http only for a provider and an origin on this machine', () => {
    assert.deepEqual(problems({ HATOBA_OIDC_ISSUER: 'http://localhost:9000/idp', HATOBA_OIDC_CLIENT_ID: 'c', HATOBA_OIDC_CLIENT_SECRET: SECRET, HATOBA_PUBLIC_URL: 'http://localhost:8080' }), []);
  });

  it('reports people rules that are not JSON without repeating them', () => {
    assert.deepEqual(problems({ HATOBA_OIDC_PEOPLE_RULES: '[{oops' }), ['env.HATOBA_OIDC_PEOPLE_RULES: must be JSON: [{"when": {"claim": "roles", "equals": "operator"}, "central": ["operator"]}]']);
  });
});
