import { useState } from 'react';
import { apiGet, query } from '../../api/client';
import { AccountPage, SystemPage } from '../../api/contracts';
import { useQuery } from '../../api/use-query';
import { useI18n } from '../../i18n/i18n';
import { button, card, heading2, mono, table } from '../../ui/classes';
import { PageTitle } from '../../ui/page-title';
import { QueryView } from '../../ui/query-view';
import { AccountsTable } from './accounts-table';

const PAGE = 50;

/** The tenant's systems, and its accounts page by page (newest first). */
export function SystemsPage({ tenantCode }: { tenantCode: string }) {
  const { t, label } = useI18n();
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const systems = useQuery(`systems:${tenantCode}`, () => apiGet(`/api/tenants/${encodeURIComponent(tenantCode)}/systems${query({ limit: 500 })}`, SystemPage));
  const accounts = useQuery(`accounts:${tenantCode}:${cursor ?? ''}`, () => apiGet(`/api/accounts${query({ tenant: tenantCode, limit: PAGE, cursor })}`, AccountPage));
  return (
    <>
      <PageTitle>{t.systems.title}</PageTitle>
      <div className="flex flex-col gap-6">
        <section className={card} aria-labelledby="systems-heading">
          <h2 id="systems-heading" className={`${heading2} mb-4`}>
            {t.systems.systems}
          </h2>
          <QueryView query={systems}>
            {(page) =>
              page.items.length === 0 ? (
                <p>{t.systems.noSystems}</p>
              ) : (
                <div className={table.wrap}>
                  <table className={table.table}>
                    <thead>
                      <tr>
                        <th scope="col" className={table.th}>{t.systems.name}</th>
                        <th scope="col" className={table.th}>{t.systems.slug}</th>
                        <th scope="col" className={table.th}>{t.systems.provider}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {page.items.map((s) => (
                        <tr key={s.id}>
                          <th scope="row" className={`${table.td} font-normal`}>{label({ ja: s.nameJa, en: s.nameEn })}</th>
                          <td className={`${table.td} ${mono}`}>{s.slug}</td>
                          <td className={table.td}>{label(s.providerLabel)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )
            }
          </QueryView>
        </section>
        <section className={card} aria-labelledby="accounts-heading">
          <h2 id="accounts-heading" className={`${heading2} mb-4`}>
            {t.systems.accounts}
          </h2>
          <QueryView query={accounts}>
            {(page) => (
              <>
                {page.items.length === 0 ? <p>{t.systems.noAccounts}</p> : <AccountsTable accounts={page.items} caption={t.systems.accounts} />}
                <div className="mt-4 flex flex-wrap gap-4">
                  {cursor !== undefined && (
                    <button type="button" className={button.secondary} onClick={() => setCursor(undefined)}>
                      {t.firstPage}
                    </button>
                  )}
                  {page.nextCursor !== undefined && (
                    <button type="button" className={button.secondary} onClick={() => setCursor(page.nextCursor)}>
                      {t.nextPage}
                    </button>
                  )}
                </div>
              </>
            )}
          </QueryView>
        </section>
      </div>
    </>
  );
}
