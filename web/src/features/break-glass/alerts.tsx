import { apiGet, apiPost, query } from '../../api/client';
import { AlertPage, AlertView } from '../../api/contracts';
import { useQuery } from '../../api/use-query';
import { useI18n } from '../../i18n/i18n';
import { button, card, heading2, mono, table } from '../../ui/classes';
import { QueryView } from '../../ui/query-view';
import { Time } from '../../ui/time';

/** For the tenant: central-side activity in its accounts that no grant covered; an admin marks each seen. */
export function Alerts({ tenantCode, admin }: { tenantCode: string; admin: boolean }) {
  const { t, label } = useI18n();
  const alerts = useQuery(`alerts:${tenantCode}`, () => apiGet(`/api/tenants/${encodeURIComponent(tenantCode)}/alerts${query({ limit: 100 })}`, AlertPage));
  const acknowledge = async (id: string) => {
    const result = await apiPost(`/api/tenants/${encodeURIComponent(tenantCode)}/alerts/${encodeURIComponent(id)}/acknowledge`, AlertView);
    if (result.ok) alerts.reload();
  };
  return (
    <section className={card} aria-labelledby="bg-alerts">
      <h2 id="bg-alerts" className={`${heading2} mb-2`}>
        {t.breakGlass.alertsTitle}
      </h2>
      <p className="mb-4">{t.breakGlass.alertsHelp}</p>
      <QueryView query={alerts}>
        {(page) =>
          page.items.length === 0 ? (
            <p>{t.breakGlass.noAlerts}</p>
          ) : (
            <div className={table.wrap}>
              <table className={table.table}>
                <thead>
                  <tr>
                    <th scope="col" className={table.th}>{t.breakGlass.eventTime}</th>
                    <th scope="col" className={table.th}>{t.breakGlass.account}</th>
                    <th scope="col" className={table.th}>{t.breakGlass.eventName}</th>
                    <th scope="col" className={table.th}>{t.breakGlass.principal}</th>
                    <th scope="col" className={table.th}>{t.breakGlass.principalKind}</th>
                    <th scope="col" className={table.th}>{t.breakGlass.acknowledged}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((a) => (
                    <tr key={a.id}>
                      <td className={table.td}>
                        <Time iso={a.eventTime} />
                      </td>
                      <td className={`${table.td} ${mono}`}>{a.account.providerAccountId}</td>
                      <th scope="row" className={`${table.td} ${mono} font-normal`}>
                        {a.eventSource} {a.eventName}
                      </th>
                      <td className={`${table.td} ${mono}`}>{a.principal}</td>
                      <td className={table.td}>{label(a.principalKindLabel)}</td>
                      <td className={table.td}>
                        {a.acknowledged !== null ? (
                          <Time iso={a.acknowledged.at} />
                        ) : admin ? (
                          <button type="button" className={button.secondary} onClick={() => void acknowledge(a.id)}>
                            {t.breakGlass.acknowledge}
                          </button>
                        ) : (
                          t.no
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
    </section>
  );
}
