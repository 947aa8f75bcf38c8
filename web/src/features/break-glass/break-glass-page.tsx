import { apiGet, query } from '../../api/client';
import { GrantPage, type Me } from '../../api/contracts';
import { useQuery } from '../../api/use-query';
import { useI18n } from '../../i18n/i18n';
import { PageTitle } from '../../ui/page-title';
import { QueryView } from '../../ui/query-view';
import { NotFound } from '../../ui/not-found';
import { Section } from '../../ui/section';
import { Alerts } from './alerts';
import { GrantsList } from './grants-list';
import { RequestGrantForm } from './request-grant-form';

/**
 * Break-glass: an operator requests and follows their requests; the tenant sees every grant on its
 * accounts, decides (admin), reads what was done under each, and sees the alerts.
 */
export function BreakGlassPage({ me }: { me: Me }) {
  const { t } = useI18n();
  const operator = me.roles.includes('operator');
  const grants = useQuery('grants', () => apiGet(`/api/break-glass/grants${query({ limit: 50 })}`, GrantPage));
  if (me.tenant === null && !operator) return <NotFound />;
  const viewer = me.tenant === null ? ({ kind: 'operator', personId: me.personId } as const) : ({ kind: 'tenant', admin: me.roles.includes('tenant_admin') } as const);
  return (
    <>
      <PageTitle>{t.breakGlass.title}</PageTitle>
      <p className="mb-6 text-std-16N-170">{me.tenant === null ? t.breakGlass.operatorHelp : t.breakGlass.tenantHelp}</p>
      <div className="flex flex-col gap-6">
        {viewer.kind === 'operator' && <RequestGrantForm onRequested={grants.reload} />}
        <Section id="bg-grants" title={t.breakGlass.grantsTitle}>
          <QueryView query={grants}>{(page) => <GrantsList grants={page.items} viewer={viewer} onChange={grants.reload} />}</QueryView>
        </Section>
        {me.tenant !== null && <Alerts tenantCode={me.tenant.code} admin={viewer.kind === 'tenant' && viewer.admin} />}
      </div>
    </>
  );
}
