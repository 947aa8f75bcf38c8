import { useEffect, type ReactNode } from 'react';
import type { Me } from './api/contracts';
import { matchPath, type Params } from './router/match';
import { navigate, useLocation } from './router/router';
import { homeFor, mayOpen } from './shell/nav-items';
import { NotFound } from './ui/not-found';
import { OrganisationPage } from './features/organisation/organisation-page';
import { SystemsPage } from './features/systems/systems-page';
import { AccountPage } from './features/systems/account-page';
import { RequestsPage } from './features/requests/requests-page';
import { RequestPage } from './features/requests/request-page';
import { OverviewPage } from './features/overview/overview-page';
import { AuditPage } from './features/audit/audit-page';
import { PeoplePage } from './features/people/people-page';
import { BreakGlassPage } from './features/break-glass/break-glass-page';

type Route = { pattern: string; render: (me: Me, params: Params) => ReactNode };

const forTenant = (me: Me, page: (code: string) => ReactNode): ReactNode => (me.tenant === null ? <NotFound /> : page(me.tenant.code));

/** Every page of the portal; the first pattern that matches wins. */
const ROUTES: Route[] = [
  { pattern: '/organisation', render: (me) => forTenant(me, (code) => <OrganisationPage tenantCode={code} />) },
  { pattern: '/systems', render: (me) => forTenant(me, (code) => <SystemsPage tenantCode={code} />) },
  { pattern: '/accounts/:id', render: (_, p) => <AccountPage id={p['id'] ?? ''} /> },
  { pattern: '/requests', render: (me) => forTenant(me, (code) => <RequestsPage tenantCode={code} mayRequest={me.roles.includes('tenant_admin')} />) },
  { pattern: '/requests/:id', render: (_, p) => <RequestPage id={p['id'] ?? ''} /> },
  { pattern: '/overview', render: () => <OverviewPage /> },
  { pattern: '/audit', render: () => <AuditPage /> },
  { pattern: '/people', render: (me) => <PeoplePage me={me} /> },
  { pattern: '/break-glass', render: (me) => <BreakGlassPage me={me} /> },
];

function GoHome({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

/** The page for the address, if the person's roles open it; otherwise "not found" (as the API would say). */
export function Routes({ me }: { me: Me }) {
  const location = useLocation();
  const path = location.split('?')[0] ?? '/';
  if (path === '/' || path === '/sign-in') {
    const home = homeFor(me.roles);
    return home === undefined ? <NotFound /> : <GoHome to={home} />;
  }
  for (const route of ROUTES) {
    const params = matchPath(route.pattern, path);
    if (params === undefined) continue;
    if (!mayOpen(route.pattern, me.roles)) return <NotFound />;
    // A new key per address: a page's state never leaks into the next one.
    return <div key={path}>{route.render(me, params)}</div>;
  }
  return <NotFound />;
}
