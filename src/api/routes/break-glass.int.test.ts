import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { backends, type TestDatabase } from '../../store/testing.js';
import { ASSIGNMENT_DELAY_MS, breakGlassWorld, ssoSession, type BreakGlassWorld } from '../../store/break-glass-store.testing.js';
import { createApi } from '../app.js';
import { authenticateByTestHeader, TEST_PRINCIPAL_HEADER } from '../testing.js';
import { breakGlassRoutes } from './break-glass.js';
import { Problem } from '../../contracts/common.js';
import { AlertPage, GrantActivityView, GrantPage, GrantView } from '../../contracts/break-glass.js';
import type { Principal } from '../../domain/access/principal.js';
import { runBreakGlassRound } from '../../app/break-glass/worker.js';

type App = ReturnType<typeof createApi>;
const OpenApiDoc = z.object({ paths: z.record(z.string(), z.unknown()) });

for (const backend of backends()) {
  describe(`break-glass API on ${backend.name}`, () => {
    let database: TestDatabase;
    let w: BreakGlassWorld;
    /** The API as served: the policy table decides first. */
    let app: App;
    /** The routes without the policy table: what the use cases refuse on their own. */
    let bare: App;
    before(async () => {
      database = await backend.open();
      w = await breakGlassWorld(database.db);
      app = createApi([breakGlassRoutes(w.deps)], { version: 'test', access: { authenticate: authenticateByTestHeader() } });
      bare = createApi([(api) => api.use('/api/*', authenticateByTestHeader()), breakGlassRoutes(w.deps)], { version: 'test', access: 'unrestricted' });
    });
    after(async () => database.dispose());

    const send = (as: Principal | undefined, method: string, path: string, body?: unknown, api: App = app) =>
      api.request(path, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(as === undefined ? {} : { [TEST_PRINCIPAL_HEADER]: JSON.stringify(as) }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const requestA = async (as: Principal = w.operator) => {
      const response = await send(as, 'POST', '/api/break-glass/requests', { accountId: w.a.accountId, reason: '障害調査 / incident', durationMinutes: 60 });
      assert.equal(response.status, 201);
      return GrantView.parse(await response.json());
    };

    it('serves every break-glass route in the OpenAPI document', async () => {
      const doc = OpenApiDoc.parse(await (await send(undefined, 'GET', '/api/openapi.json')).json());
      for (const path of ['/api/break-glass/requests', '/api/break-glass/grants', '/api/break-glass/grants/{id}', '/api/break-glass/grants/{id}/approve', '/api/break-glass/grants/{id}/activity', '/api/tenants/{tenant}/alerts']) {
        assert.ok(path in doc.paths, path);
      }
    });

    it('refuses an anonymous caller, a tenant requesting access, and a request with its problems located in the body', async () => {
      assert.equal((await send(undefined, 'GET', '/api/break-glass/grants')).status, 401);
      assert.equal((await send(w.adminA, 'POST', '/api/break-glass/requests', { accountId: w.a.accountId, reason: 'x', durationMinutes: 60 })).status, 403);
      const bad = await send(w.operator, 'POST', '/api/break-glass/requests', { accountId: w.a.accountId, reason: 'x', durationMinutes: 5, extra: 1 });
      assert.equal(bad.status, 422);
      assert.deepEqual(Problem.parse(await bad.json()).issues.map((i) => i.path.join('.')).sort(), ['body.durationMinutes', 'body.extra']);
      const unknown = await send(w.operator, 'POST', '/api/break-glass/requests', { accountId: 'acc_missing', reason: 'x', durationMinutes: 60 });
      assert.deepEqual(Problem.parse(await unknown.json()).issues.map((i) => i.path.join('.')), ['body.accountId']);
    });

    it('lets the owning tenant admin approve, and answers another tenant 404, a member 403 and the centre 403', async () => {
      const grant = await requestA();
      assert.equal((await send(w.adminB, 'POST', `/api/break-glass/grants/${grant.id}/approve`, {})).status, 404);
      assert.equal((await send(w.memberA, 'POST', `/api/break-glass/grants/${grant.id}/approve`, {})).status, 403);
      assert.equal((await send(w.operator, 'POST', `/api/break-glass/grants/${grant.id}/approve`, {})).status, 403);
      assert.equal((await send(w.adminB, 'GET', `/api/break-glass/grants/${grant.id}`)).status, 404);
      const approved = await send(w.adminA, 'POST', `/api/break-glass/grants/${grant.id}/approve`, { note: '了解 / ok' });
      assert.equal(approved.status, 200);
      const view = GrantView.parse(await approved.json());
      assert.deepEqual([view.status, view.statusLabel.ja, view.decision?.note, view.access.state], ['approved', '有効', '了解 / ok', 'assigning']);
      assert.equal((await send(w.adminA, 'POST', `/api/break-glass/grants/${grant.id}/deny`, { note: 'late' })).status, 409);

      const listB = GrantPage.parse(await (await send(w.adminB, 'GET', '/api/break-glass/grants')).json());
      assert.ok(!listB.items.some((g) => g.id === grant.id));
      const listA = GrantPage.parse(await (await send(w.memberA, 'GET', '/api/break-glass/grants?status=approved')).json());
      assert.deepEqual(listA.items.map((g) => g.id), [grant.id]);
      assert.deepEqual(GrantPage.parse(await (await send(w.auditor, 'GET', '/api/break-glass/grants')).json()).items, []);

      w.clock.advance(ASSIGNMENT_DELAY_MS);
      await runBreakGlassRound(w.deps);
      await w.cloud.simulateCall({ accountId: w.a.providerAccountId, principal: ssoSession(w.a.providerAccountId, w.operator.email), action: 'ec2:RebootInstances', region: 'ap-northeast-1' });
      const activity = await send(w.memberA, 'GET', `/api/break-glass/grants/${grant.id}/activity`);
      assert.equal(activity.status, 200);
      const body = GrantActivityView.parse(await activity.json());
      assert.deepEqual([body.grant.access.state, body.events.map((e) => e.eventName)], ['assigned', ['RebootInstances']]);
      assert.equal((await send(w.adminB, 'GET', `/api/break-glass/grants/${grant.id}/activity`)).status, 404);
      assert.equal((await send(w.operator, 'GET', `/api/break-glass/grants/${grant.id}/activity`)).status, 403);

      const revoked = await send(w.adminA, 'POST', `/api/break-glass/grants/${grant.id}/revoke`, { note: '完了 / done' });
      assert.equal(GrantView.parse(await revoked.json()).status, 'revoked');
    });

    it('refuses without the policy table too: the use cases decide who may do what', async () => {
      const grant = await requestA(w.operator2);
      assert.equal((await send(w.adminA, 'POST', '/api/break-glass/requests', { accountId: w.a.accountId, reason: 'x', durationMinutes: 60 }, bare)).status, 403);
      assert.equal((await send(w.auditor, 'POST', '/api/break-glass/requests', { accountId: w.a.accountId, reason: 'x', durationMinutes: 60 }, bare)).status, 403);
      assert.equal((await send(w.adminB, 'POST', `/api/break-glass/grants/${grant.id}/approve`, {}, bare)).status, 404);
      assert.equal((await send(w.memberA, 'POST', `/api/break-glass/grants/${grant.id}/approve`, {}, bare)).status, 403);
      assert.equal((await send(w.operator, 'POST', `/api/break-glass/grants/${grant.id}/approve`, {}, bare)).status, 403);
      assert.equal((await send(w.auditor, 'GET', `/api/break-glass/grants/${grant.id}`, undefined, bare)).status, 404);
      assert.equal((await send(w.operator, 'GET', `/api/break-glass/grants/${grant.id}/activity`, undefined, bare)).status, 403);
      assert.equal((await send(undefined, 'GET', '/api/break-glass/grants', undefined, bare)).status, 401);
      assert.equal((await send(w.operator2, 'POST', `/api/break-glass/grants/${grant.id}/cancel`, undefined, bare)).status, 200);
    });

    it('lets the requester cancel a pending request, and nobody else', async () => {
      const grant = await requestA(w.operator2);
      assert.equal((await send(w.operator, 'POST', `/api/break-glass/grants/${grant.id}/cancel`)).status, 403);
      assert.equal((await send(w.adminA, 'POST', `/api/break-glass/grants/${grant.id}/cancel`)).status, 403);
      const cancelled = await send(w.operator2, 'POST', `/api/break-glass/grants/${grant.id}/cancel`);
      assert.equal(GrantView.parse(await cancelled.json()).status, 'cancelled');
    });

    it('lists a tenant’s alerts for that tenant only, and lets its admin acknowledge one', async () => {
      await runBreakGlassRound(w.deps);
      const { eventId } = await w.cloud.simulateCall({
        accountId: w.a.providerAccountId,
        principal: { arn: `arn:aws:sts::${w.a.providerAccountId}:assumed-role/OrganizationAccountAccessRole/admin`, type: 'AssumedRole' },
        action: 'iam:ListUsers',
        region: 'ap-northeast-1',
      });
      await runBreakGlassRound(w.deps);
      const alerts = AlertPage.parse(await (await send(w.memberA, 'GET', `/api/tenants/${w.a.tenantCode}/alerts`)).json());
      const alert = alerts.items.find((a) => a.id === eventId);
      assert.deepEqual([alert?.principalKind, alert?.account.id, alert?.acknowledged], ['organization_access_role', w.a.accountId, null]);
      for (const api of [app, bare]) {
        assert.equal((await send(w.adminB, 'GET', `/api/tenants/${w.a.tenantCode}/alerts`, undefined, api)).status, 404);
        assert.equal((await send(w.operator, 'GET', `/api/tenants/${w.a.tenantCode}/alerts`, undefined, api)).status, 403);
        assert.equal((await send(w.memberA, 'POST', `/api/tenants/${w.a.tenantCode}/alerts/${eventId}/acknowledge`, undefined, api)).status, 403);
      }
      const acked = await send(w.adminA, 'POST', `/api/tenants/${w.a.tenantCode}/alerts/${eventId}/acknowledge`);
      assert.equal(acked.status, 200);
      const open = AlertPage.parse(await (await send(w.adminA, 'GET', `/api/tenants/${w.a.tenantId}/alerts?unacknowledged=true`)).json());
      assert.ok(!open.items.some((a) => a.id === eventId));
    });
  });
}
