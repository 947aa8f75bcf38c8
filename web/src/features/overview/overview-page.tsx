import { useQuery } from '../../api/use-query';
import { useI18n } from '../../i18n/i18n';
import { lookup } from '../../i18n/language';
import { Link } from '../../router/router';
import { card, heading2, mono, table } from '../../ui/classes';
import { PageTitle } from '../../ui/page-title';
import { QueryView } from '../../ui/query-view';
import { Time } from '../../ui/time';
import { accountStatusLabel, environmentLabel, organisationKindLabel } from '../../ui/vocabulary';
import { countByOu } from './aggregate';
import { loadOverview } from './load';

/** For central roles: the tenants, accounts by OU and status, and the requests in flight. */
export function OverviewPage() {
  const { t, label } = useI18n();
  const overview = useQuery('overview', loadOverview);
  return (
    <>
      <PageTitle>{t.overview.title}</PageTitle>
      <QueryView query={overview}>
        {(o) => {
          const { rows, statuses } = countByOu(o.accounts);
          return (
            <div className="flex flex-col gap-6">
              <section className={card} aria-labelledby="ov-ou">
                <h2 id="ov-ou" className={`${heading2} mb-4`}>
                  {t.overview.accountsByOu}
                </h2>
                {o.partial && <p className="mb-2">{t.overview.partial(o.accounts.length)}</p>}
                <div className={table.wrap}>
                  <table className={table.table}>
                    <thead>
                      <tr>
                        <th scope="col" className={table.th}>{t.overview.ou}</th>
                        {statuses.map((s) => (
                          <th key={s} scope="col" className={`${table.th} text-right`}>{label(accountStatusLabel(s))}</th>
                        ))}
                        <th scope="col" className={`${table.th} text-right`}>{t.overview.total}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map((r) => (
                        <tr key={r.ouPath ?? '-'}>
                          <th scope="row" className={`${table.td} ${mono} font-normal`}>{r.ouPath ?? t.overview.unplaced}</th>
                          {statuses.map((s) => (
                            <td key={s} className={`${table.td} text-right`}>{r.counts[s] ?? 0}</td>
                          ))}
                          <td className={`${table.td} text-right font-bold`}>{r.total}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>
              <section className={card} aria-labelledby="ov-flight">
                <h2 id="ov-flight" className={`${heading2} mb-4`}>
                  {t.overview.inFlight}
                </h2>
                {o.inFlight.length === 0 ? (
                  <p>{t.overview.noInFlight}</p>
                ) : (
                  <div className={table.wrap}>
                    <table className={table.table}>
                      <thead>
                        <tr>
                          <th scope="col" className={table.th}>{t.systems.accountName}</th>
                          <th scope="col" className={table.th}>{t.systems.environment}</th>
                          <th scope="col" className={table.th}>{t.requests.status}</th>
                          <th scope="col" className={table.th}>{t.requests.currentStep}</th>
                          <th scope="col" className={table.th}>{t.requests.createdAt}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {o.inFlight.map((r) => (
                          <tr key={r.id}>
                            <th scope="row" className={`${table.td} font-normal`}>
                              <Link to={`/requests/${encodeURIComponent(r.id)}`}>{r.accountName}</Link>
                            </th>
                            <td className={table.td}>{label(environmentLabel(r.environment))}</td>
                            <td className={table.td}>{label(r.statusLabel)}</td>
                            <td className={table.td}>{r.currentStep === null ? t.none : lookup(t.requests.stepNames, r.currentStep)}</td>
                            <td className={table.td}>
                              <Time iso={r.createdAt} />
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </section>
              <section className={card} aria-labelledby="ov-tenants">
                <h2 id="ov-tenants" className={`${heading2} mb-4`}>
                  {t.overview.tenants} <span className="text-std-16N-170">({t.overview.tenantCount(o.tenants.length)}{o.moreTenants ? '+' : ''})</span>
                </h2>
                <div className={table.wrap}>
                  <table className={table.table}>
                    <thead>
                      <tr>
                        <th scope="col" className={table.th}>{t.overview.code}</th>
                        <th scope="col" className={table.th}>{t.overview.name}</th>
                        <th scope="col" className={table.th}>{t.overview.kind}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {o.tenants.map((tenant) => (
                        <tr key={tenant.id}>
                          <td className={`${table.td} ${mono}`}>{tenant.code}</td>
                          <th scope="row" className={`${table.td} font-normal`}>{label({ ja: tenant.nameJa, en: tenant.nameEn })}</th>
                          <td className={table.td}>{label(organisationKindLabel(tenant.kind))}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>
            </div>
          );
        }}
      </QueryView>
    </>
  );
}
