import type { PersonDetailView } from '../../api/contracts';
import { useI18n } from '../../i18n/i18n';
import { mono } from '../../ui/classes';
import { DataTable, type Column } from '../../ui/data-table';
import { environmentLabel } from '../../ui/vocabulary';

type Access = PersonDetailView['access'][number];

/** One row per account of the tenant: the permission set, whether they can sign in, and how long it took. */
export function AccessTable({ detail }: { detail: PersonDetailView }) {
  const { t, label } = useI18n();
  const columns: Column<Access>[] = [
    {
      header: t.people.account,
      rowHeader: true,
      cell: (a) => (
        <>
          {a.accountName} <span className={`${mono} text-solid-gray-600`}>{a.providerAccountId ?? ''}</span>
        </>
      ),
    },
    { header: t.systems.environment, cell: (a) => label(environmentLabel(a.environment)) },
    { header: t.people.permissionSet, cell: (a) => label(a.permissionSetLabel) },
    {
      header: t.people.accessStatus,
      cell: (a) => (
        <>
          {label(a.statusLabel)}
          {a.failure !== null && <span className="block text-error-2">{a.failure}</span>}
        </>
      ),
    },
    { header: t.people.timeToAccess, cell: (a) => (a.timeToAccessMs === null ? t.none : t.people.duration(a.timeToAccessMs)) },
  ];
  return (
    <DataTable
      columns={columns}
      rows={detail.access}
      rowKey={(a) => `${a.accountId}-${a.permissionSet}`}
      rowData={(a) => ({ 'data-access-status': a.status })}
      caption={{ text: `${t.people.access}: ${detail.person.name}`, hidden: true }}
      empty={t.people.noAccess}
    />
  );
}
