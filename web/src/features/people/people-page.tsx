import { useEffect } from 'react';
import { apiGet, query } from '../../api/client';
import { PeoplePage as PeoplePageSchema, type Me } from '../../api/contracts';
import { useQuery } from '../../api/use-query';
import { useI18n } from '../../i18n/i18n';
import { PageTitle } from '../../ui/page-title';
import { QueryView } from '../../ui/query-view';
import { Section } from '../../ui/section';
import { AddPersonForm } from './add-person-form';
import { FirstAdminForm } from './first-admin-form';
import { PeopleList } from './people-list';

const IN_FLIGHT = new Set(['pending', 'removing']);

/**
 * A tenant's people and their access (its admin adds, changes and removes them), or, for central
 * roles, the central people (and, for an operator, a form for a tenant's first admin). While an
 * assignment is in flight the list is asked again every 2 s.
 */
export function PeoplePage({ me }: { me: Me }) {
  const { t } = useI18n();
  const path = me.tenant === null ? '/api/central/people' : `/api/tenants/${encodeURIComponent(me.tenant.code)}/people`;
  const people = useQuery(`people:${path}`, () => apiGet(`${path}${query({ limit: 200 })}`, PeoplePageSchema));
  const { reload } = people;
  const data = people.status === 'ok' ? people.data : undefined;
  const inFlight = data !== undefined && data.items.some((d) => d.access.some((a) => IN_FLIGHT.has(a.status)));
  useEffect(() => {
    if (!inFlight) return undefined;
    const timer = window.setTimeout(reload, 2_000);
    return () => window.clearTimeout(timer);
  }, [inFlight, data, reload]);
  const admin = me.roles.includes('tenant_admin');
  return (
    <>
      <PageTitle>{t.people.title}</PageTitle>
      <p className="mb-6 text-std-16N-170">{me.tenant === null ? t.people.centralHelp : t.people.tenantHelp}</p>
      <div className="flex flex-col gap-6">
        {admin && me.tenant !== null && <AddPersonForm tenantCode={me.tenant.code} onAdded={reload} />}
        {me.tenant === null && me.roles.includes('operator') && <FirstAdminForm />}
        <Section id="people-list" title={t.people.listTitle} busy={inFlight}>
          <QueryView query={people}>{(page) => <PeopleList people={page.items} manage={admin} selfId={me.personId} onChange={reload} />}</QueryView>
        </Section>
      </div>
    </>
  );
}
