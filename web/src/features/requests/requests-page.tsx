import { useCallback, useState } from 'react';
import { apiGet, query } from '../../api/client';
import { AccountRequestPage } from '../../api/contracts';
import { useQuery } from '../../api/use-query';
import { useI18n } from '../../i18n/i18n';
import { PageTitle } from '../../ui/page-title';
import { QueryView } from '../../ui/query-view';
import { Section } from '../../ui/section';
import { RequestForm } from './request-form';
import { RequestProgress } from './request-progress';
import { RequestsTable } from './requests-table';

/**
 * The request form (for those who may request), the requests sent from this page followed live, and
 * the latest requests of the tenant. A live request that moves on refreshes the list.
 */
export function RequestsPage({ tenantCode, mayRequest }: { tenantCode: string; mayRequest: boolean }) {
  const { t } = useI18n();
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
          <Section id="live-heading" title={t.requests.listTitle}>
            <div className="flex flex-col gap-4">
              {live.map((id) => (
                <RequestProgress key={id} id={id} onChange={reload} />
              ))}
            </div>
          </Section>
        )}
        <Section id="recent-heading" title={t.requests.title}>
          <QueryView query={list}>{(page) => <RequestsTable requests={page.items} requester empty={t.requests.noRequests} />}</QueryView>
        </Section>
      </div>
    </>
  );
}
