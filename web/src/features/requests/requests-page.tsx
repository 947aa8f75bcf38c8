import { useCallback, useState } from 'react';
import { apiGet, query } from '../../api/client';
import { AccountRequestPage } from '../../api/contracts';
import { useQuery } from '../../api/use-query';
import { useI18n } from '../../i18n/i18n';
import { lookup } from '../../i18n/language';
import { Link } from '../../router/router';
import { card, heading2, table } from '../../ui/classes';
import { PageTitle } from '../../ui/page-title';
import { QueryView } from '../../ui/query-view';
import { Time } from '../../ui/time';
import { environmentLabel } from '../../ui/vocabulary';
import { RequestForm } from './request-form';
import { RequestProgress } from './request-progress';

/**
 * The request form (for those who may request), the requests sent from this page followed live, and
 * the latest requests of the tenant. A live request that moves on refreshes the list.
 */
export function RequestsPage({ tenantCode, mayRequest }: { tenantCode: string; mayRequest: boolean }) {
  const { t, label } = useI18n();
  const [live, setLive] = useState<string[]>([]);
  const list = useQuery(`requests:${live.join(',')}`, () => apiGet(`/api/account-requests${query({ limit: 20 })}`, AccountRequestPage));
  const { reload } = list;
  const submitted = useCallback((id: string) => setLive((ids) => [id, ...ids.filter((i) => i !== id)]), []);
  return (
    <>
      <PageTitle>{t.requests.title}</PageTitle>
      <div className="flex flex-col gap-6">
        {mayRequest && <RequestForm tenantCode={tenantCode} onSubmitted={submitted} />}
        {live.length > 0 && (
          <section className={card} aria-labelledby="live-heading">
            <h2 id="live-heading" className={`${heading2} mb-4`}>
              {t.requests.listTitle}
            </h2>
            <div className="flex flex-col gap-4">
              {live.map((id) => (
                <RequestProgress key={id} id={id} onChange={reload} />
              ))}
            </div>
          </section>
        )}
        <section className={card} aria-labelledby="recent-heading">
          <h2 id="recent-heading" className={`${heading2} mb-4`}>
            {t.requests.title}
          </h2>
          <QueryView query={list}>
            {(page) =>
              page.items.length === 0 ? (
                <p>{t.requests.noRequests}</p>
              ) : (
                <div className={table.wrap}>
                  <table className={table.table}>
                    <thead>
                      <tr>
                        <th scope="col" className={table.th}>{t.systems.accountName}</th>
                        <th scope="col" className={table.th}>{t.systems.environment}</th>
                        <th scope="col" className={table.th}>{t.requests.status}</th>
                        <th scope="col" className={table.th}>{t.requests.currentStep}</th>
                        <th scope="col" className={table.th}>{t.requests.requestedBy}</th>
                        <th scope="col" className={table.th}>{t.requests.createdAt}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {page.items.map((r) => (
                        <tr key={r.id}>
                          <th scope="row" className={`${table.td} font-normal`}>
                            <Link to={`/requests/${encodeURIComponent(r.id)}`}>{r.accountName}</Link>
                          </th>
                          <td className={table.td}>{label(environmentLabel(r.environment))}</td>
                          <td className={table.td}>{label(r.statusLabel)}</td>
                          <td className={table.td}>{r.currentStep === null ? t.none : lookup(t.requests.stepNames, r.currentStep)}</td>
                          <td className={table.td}>{r.requestedBy}</td>
                          <td className={table.td}>
                            <Time iso={r.createdAt} />
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
      </div>
    </>
  );
}
