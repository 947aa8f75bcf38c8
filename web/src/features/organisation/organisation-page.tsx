import { apiGet } from '../../api/client';
import { Tenant } from '../../api/contracts';
import { useQuery } from '../../api/use-query';
import { useI18n } from '../../i18n/i18n';
import { card, heading2, table } from '../../ui/classes';
import { PageTitle } from '../../ui/page-title';
import { QueryView } from '../../ui/query-view';
import { DefinitionList } from '../../ui/definition-list';
import { contactRoleLabel } from '../../ui/vocabulary';

/** The signed-in person's organisation as the registry holds it. */
export function OrganisationPage({ tenantCode }: { tenantCode: string }) {
  const { t, label } = useI18n();
  const tenant = useQuery(`tenant:${tenantCode}`, () => apiGet(`/api/tenants/${encodeURIComponent(tenantCode)}`, Tenant));
  return (
    <>
      <PageTitle>{t.organisation.title}</PageTitle>
      <QueryView query={tenant}>
        {(o) => (
          <div className="flex flex-col gap-6">
            <section className={card} aria-labelledby="org-name">
              <h2 id="org-name" className={`${heading2} mb-4`}>
                {label({ ja: o.nameJa, en: o.nameEn })}
              </h2>
              <DefinitionList
                rows={[
                  [t.organisation.code, o.code],
                  [t.organisation.kind, label(o.kindLabel)],
                  [t.organisation.nameJa, o.nameJa],
                  [t.organisation.nameEn, o.nameEn],
                  [t.organisation.prefecture, o.prefecture ?? t.notSet],
                  [t.organisation.parent, o.parentCode ?? t.none],
                  [t.organisation.billingEmail, o.billingEmail],
                ]}
              />
            </section>
            <section className={card} aria-labelledby="org-contacts">
              <h2 id="org-contacts" className={`${heading2} mb-4`}>
                {t.organisation.contacts}
              </h2>
              {o.contacts.length === 0 ? (
                <p>{t.organisation.noContacts}</p>
              ) : (
                <div className={table.wrap}>
                  <table className={table.table}>
                    <thead>
                      <tr>
                        <th scope="col" className={table.th}>{t.organisation.contactName}</th>
                        <th scope="col" className={table.th}>{t.organisation.contactEmail}</th>
                        <th scope="col" className={table.th}>{t.organisation.contactRole}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {o.contacts.map((c) => (
                        <tr key={`${c.email}-${c.role}`}>
                          <td className={table.td}>{c.name}</td>
                          <td className={table.td}>{c.email}</td>
                          <td className={table.td}>{label(contactRoleLabel(c.role))}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
          </div>
        )}
      </QueryView>
    </>
  );
}
