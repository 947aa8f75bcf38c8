import type { PersonDetailView } from '../../api/contracts';
import { useI18n } from '../../i18n/i18n';
import { mono, table } from '../../ui/classes';
import { environmentLabel } from '../../ui/vocabulary';

/** One row per account of the tenant: the permission set, whether they can sign in, and how long it took. */
export function AccessTable({ detail }: { detail: PersonDetailView }) {
  const { t, label } = useI18n();
  if (detail.access.length === 0) return <p>{t.people.noAccess}</p>;
  return (
    <div className={table.wrap}>
      <table className={table.table}>
        <caption className="sr-only">
          {t.people.access}: {detail.person.name}
        </caption>
        <thead>
          <tr>
            <th scope="col" className={table.th}>{t.people.account}</th>
            <th scope="col" className={table.th}>{t.systems.environment}</th>
            <th scope="col" className={table.th}>{t.people.permissionSet}</th>
            <th scope="col" className={table.th}>{t.people.accessStatus}</th>
            <th scope="col" className={table.th}>{t.people.timeToAccess}</th>
          </tr>
        </thead>
        <tbody>
          {detail.access.map((a) => (
            <tr key={`${a.accountId}-${a.permissionSet}`} data-access-status={a.status}>
              <th scope="row" className={`${table.td} font-normal`}>
                {a.accountName} <span className={`${mono} text-solid-gray-600`}>{a.providerAccountId ?? ''}</span>
              </th>
              <td className={table.td}>{label(environmentLabel(a.environment))}</td>
              <td className={table.td}>{label(a.permissionSetLabel)}</td>
              <td className={table.td}>
                {label(a.statusLabel)}
                {a.failure !== null && <span className="block text-error-2">{a.failure}</span>}
              </td>
              <td className={table.td}>{a.timeToAccessMs === null ? t.none : t.people.duration(a.timeToAccessMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
