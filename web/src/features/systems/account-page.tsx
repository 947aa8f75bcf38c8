import { apiGet } from '../../api/client';
import { AccountView } from '../../api/contracts';
import { useQuery } from '../../api/use-query';
import { useI18n } from '../../i18n/i18n';
import { Link } from '../../router/router';
import { card, mono } from '../../ui/classes';
import { DefinitionList } from '../../ui/definition-list';
import { PageTitle } from '../../ui/page-title';
import { QueryView } from '../../ui/query-view';
import { Time } from '../../ui/time';
import { environmentLabel } from '../../ui/vocabulary';

/** One account. Another tenant's account answers 404 from the API, and this page says "not found". */
export function AccountPage({ id }: { id: string }) {
  const { t, label } = useI18n();
  const account = useQuery(`account:${id}`, () => apiGet(`/api/accounts/${encodeURIComponent(id)}`, AccountView));
  return (
    <QueryView query={account} whole>
      {(a) => (
        <>
          <PageTitle>{t.account.title(a.name)}</PageTitle>
          <section className={card} aria-label={t.account.title(a.name)}>
            <DefinitionList
              rows={[
                [t.account.tenant, label({ ja: a.tenant.nameJa, en: a.tenant.nameEn })],
                [t.systems.system, label({ ja: a.system.nameJa, en: a.system.nameEn })],
                [t.systems.environment, label(environmentLabel(a.environment))],
                [t.systems.status, label(a.statusLabel)],
                [t.account.email, <span className={mono}>{a.email}</span>],
                [t.systems.ouPath, <span className={mono}>{a.ouPath ?? t.none}</span>],
                [t.systems.providerAccountId, <span className={mono}>{a.providerAccountId ?? t.none}</span>],
                [t.account.createdAt, <Time iso={a.createdAt} />],
                [t.systems.readyAt, <Time iso={a.readyAt} />],
                [t.account.request, a.requestId === null ? t.none : <Link to={`/requests/${encodeURIComponent(a.requestId)}`}>{a.requestId}</Link>],
              ]}
            />
          </section>
        </>
      )}
    </QueryView>
  );
}
