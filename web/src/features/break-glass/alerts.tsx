import { apiGet, apiPost, query } from '../../api/client';
import { AlertPage, AlertView } from '../../api/contracts';
import { useQuery } from '../../api/use-query';
import { useI18n } from '../../i18n/i18n';
import { button, mono } from '../../ui/classes';
import { DataTable, type Column } from '../../ui/data-table';
import { QueryView } from '../../ui/query-view';
import { Section } from '../../ui/section';
import { Time } from '../../ui/time';

/** For the tenant: central-side activity in its accounts that no grant covered; an admin marks each seen. */
export function Alerts({ tenantCode, admin }: { tenantCode: string; admin: boolean }) {
  const { t, label } = useI18n();
  const alerts = useQuery(`alerts:${tenantCode}`, () => apiGet(`/api/tenants/${encodeURIComponent(tenantCode)}/alerts${query({ limit: 100 })}`, AlertPage));
  const acknowledge = async (id: string) => {
    const result = await apiPost(`/api/tenants/${encodeURIComponent(tenantCode)}/alerts/${encodeURIComponent(id)}/acknowledge`, AlertView);
    if (result.ok) alerts.reload();
  };
  const columns: Column<AlertView>[] = [
    { header: t.breakGlass.eventTime, cell: (a) => <Time iso={a.eventTime} /> },
    { header: t.breakGlass.account, className: mono, cell: (a) => a.account.providerAccountId },
    {
      header: t.breakGlass.eventName,
      rowHeader: true,
      className: mono,
      cell: (a) => (
        <>
          {a.eventSource} {a.eventName}
        </>
      ),
    },
    { header: t.breakGlass.principal, className: mono, cell: (a) => a.principal },
    { header: t.breakGlass.principalKind, cell: (a) => label(a.principalKindLabel) },
    {
      header: t.breakGlass.acknowledged,
      cell: (a) =>
        a.acknowledged !== null ? (
          <Time iso={a.acknowledged.at} />
        ) : admin ? (
          <button type="button" className={button.secondary} onClick={() => void acknowledge(a.id)}>
            {t.breakGlass.acknowledge}
          </button>
        ) : (
          t.no
        ),
    },
  ];
  return (
    <Section id="bg-alerts" title={t.breakGlass.alertsTitle} help={t.breakGlass.alertsHelp}>
      <QueryView query={alerts}>{(page) => <DataTable columns={columns} rows={page.items} rowKey={(a) => a.id} empty={t.breakGlass.noAlerts} />}</QueryView>
    </Section>
  );
}
