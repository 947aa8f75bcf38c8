import { apiGet } from '../../api/client';
import { Tenant } from '../../api/contracts';
import { useQuery } from '../../api/use-query';
import { useI18n } from '../../i18n/i18n';
import { DataTable, type Column } from '../../ui/data-table';
import { PageTitle } from '../../ui/page-title';
import { QueryView } from '../../ui/query-view';
import { DefinitionList } from '../../ui/definition-list';
import { Section } from '../../ui/section';
import { contactRoleLabel } from '../../ui/vocabulary';

type Contact = Tenant['contacts'][number];

/** The signed-in person's organisation as the registry holds it. */
export function OrganisationPage({ tenantCode }: { tenantCode: string }) {
  const { t, label } = useI18n();
  const tenant = useQuery(`tenant:${tenantCode}`, () => apiGet(`/api/tenants/${encodeURIComponent(tenantCode)}`, Tenant));
  const contactColumns: Column<Contact>[] = [
    { header: t.organisation.contactName, cell: (c) => c.name },
    { header: t.organisation.contactEmail, cell: (c) => c.email },
    { header: t.organisation.contactRole, cell: (c) => label(contactRoleLabel(c.role)) },
  ];
  return (
    <>
      <PageTitle>{t.organisation.title}</PageTitle>
      <QueryView query={tenant}>
        {(o) => (
          <div className="flex flex-col gap-6">
            <Section id="org-name" title={label({ ja: o.nameJa, en: o.nameEn })}>
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
            </Section>
            <Section id="org-contacts" title={t.organisation.contacts}>
              <DataTable columns={contactColumns} rows={o.contacts} rowKey={(c) => `${c.email}-${c.role}`} empty={t.organisation.noContacts} />
            </Section>
          </div>
        )}
      </QueryView>
    </>
  );
}
