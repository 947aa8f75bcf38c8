import { useState } from 'react';
import { apiGet, query } from '../../api/client';
import { AccountPage, SystemPage, type SystemView } from '../../api/contracts';
import { useQuery } from '../../api/use-query';
import { useI18n } from '../../i18n/i18n';
import { mono } from '../../ui/classes';
import { DataTable, type Column } from '../../ui/data-table';
import { PageTitle } from '../../ui/page-title';
import { Pager } from '../../ui/pager';
import { QueryView } from '../../ui/query-view';
import { Section } from '../../ui/section';
import { AccountsTable } from './accounts-table';

const PAGE = 50;

/** The tenant's systems, and its accounts page by page (newest first). */
export function SystemsPage({ tenantCode }: { tenantCode: string }) {
  const { t, label } = useI18n();
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const systems = useQuery(`systems:${tenantCode}`, () => apiGet(`/api/tenants/${encodeURIComponent(tenantCode)}/systems${query({ limit: 500 })}`, SystemPage));
  const accounts = useQuery(`accounts:${tenantCode}:${cursor ?? ''}`, () => apiGet(`/api/accounts${query({ tenant: tenantCode, limit: PAGE, cursor })}`, AccountPage));
  const systemColumns: Column<SystemView>[] = [
    { header: t.systems.name, rowHeader: true, cell: (s) => label({ ja: s.nameJa, en: s.nameEn }) },
    { header: t.systems.slug, className: mono, cell: (s) => s.slug },
    { header: t.systems.provider, cell: (s) => label(s.providerLabel) },
  ];
  return (
    <>
      <PageTitle>{t.systems.title}</PageTitle>
      <div className="flex flex-col gap-6">
        <Section id="systems-heading" title={t.systems.systems}>
          <QueryView query={systems}>{(page) => <DataTable columns={systemColumns} rows={page.items} rowKey={(s) => s.id} empty={t.systems.noSystems} />}</QueryView>
        </Section>
        <Section id="accounts-heading" title={t.systems.accounts}>
          <QueryView query={accounts}>
            {(page) => (
              <>
                <AccountsTable accounts={page.items} caption={t.systems.accounts} empty={t.systems.noAccounts} />
                <Pager onFirst={cursor === undefined ? undefined : () => setCursor(undefined)} onNext={page.nextCursor === undefined ? undefined : () => setCursor(page.nextCursor)} />
              </>
            )}
          </QueryView>
        </Section>
      </div>
    </>
  );
}
