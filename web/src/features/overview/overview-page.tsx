import { useQuery } from '../../api/use-query';
import type { Tenant } from '../../api/contracts';
import { useI18n } from '../../i18n/i18n';
import { mono } from '../../ui/classes';
import { DataTable, type Column } from '../../ui/data-table';
import { PageTitle } from '../../ui/page-title';
import { QueryView } from '../../ui/query-view';
import { Section } from '../../ui/section';
import { accountStatusLabel, organisationKindLabel } from '../../ui/vocabulary';
import { RequestsTable } from '../requests/requests-table';
import { countByOu, type OuRow } from './aggregate';
import { loadOverview } from './load';

/** For central roles: the tenants, accounts by OU and status, and the requests in flight. */
export function OverviewPage() {
  const { t, label } = useI18n();
  const overview = useQuery('overview', loadOverview);
  const tenantColumns: Column<Tenant>[] = [
    { header: t.overview.code, className: mono, cell: (tenant) => tenant.code },
    { header: t.overview.name, rowHeader: true, cell: (tenant) => label({ ja: tenant.nameJa, en: tenant.nameEn }) },
    { header: t.overview.kind, cell: (tenant) => label(organisationKindLabel(tenant.kind)) },
  ];
  return (
    <>
      <PageTitle>{t.overview.title}</PageTitle>
      <QueryView query={overview}>
        {(o) => {
          const { rows, statuses } = countByOu(o.accounts);
          const ouColumns: Column<OuRow>[] = [
            { header: t.overview.ou, rowHeader: true, className: mono, cell: (r) => r.ouPath ?? t.overview.unplaced },
            ...statuses.map((s): Column<OuRow> => ({ header: label(accountStatusLabel(s)), align: 'right', cell: (r) => r.counts[s] ?? 0 })),
            { header: t.overview.total, align: 'right', className: 'font-bold', cell: (r) => r.total },
          ];
          return (
            <div className="flex flex-col gap-6">
              <Section id="ov-ou" title={t.overview.accountsByOu}>
                {o.partial && <p className="mb-2">{t.overview.partial(o.accounts.length)}</p>}
                <DataTable columns={ouColumns} rows={rows} rowKey={(r) => r.ouPath ?? '-'} />
              </Section>
              <Section id="ov-flight" title={t.overview.inFlight}>
                <RequestsTable requests={o.inFlight} requester={false} empty={t.overview.noInFlight} />
              </Section>
              <Section
                id="ov-tenants"
                title={
                  <>
                    {t.overview.tenants} <span className="text-std-16N-170">({t.overview.tenantCount(o.tenants.length)}{o.moreTenants ? '+' : ''})</span>
                  </>
                }
              >
                <DataTable columns={tenantColumns} rows={o.tenants} rowKey={(tenant) => tenant.id} />
              </Section>
            </div>
          );
        }}
      </QueryView>
    </>
  );
}
