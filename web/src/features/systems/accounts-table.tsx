import type { AccountView } from '../../api/contracts';
import { useI18n } from '../../i18n/i18n';
import { Link } from '../../router/router';
import { mono, table } from '../../ui/classes';
import { Time } from '../../ui/time';
import { environmentLabel } from '../../ui/vocabulary';

export function AccountsTable({ accounts, caption }: { accounts: AccountView[]; caption: string }) {
  const { t, label } = useI18n();
  return (
    <div className={table.wrap}>
      <table className={table.table}>
        <caption className={table.caption}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className={table.th}>{t.systems.accountName}</th>
            <th scope="col" className={table.th}>{t.systems.system}</th>
            <th scope="col" className={table.th}>{t.systems.environment}</th>
            <th scope="col" className={table.th}>{t.systems.status}</th>
            <th scope="col" className={table.th}>{t.systems.ouPath}</th>
            <th scope="col" className={table.th}>{t.systems.providerAccountId}</th>
            <th scope="col" className={table.th}>{t.systems.readyAt}</th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) => (
              <tr key={a.id}>
                <th scope="row" className={`${table.td} font-normal`}>
                  <Link to={`/accounts/${encodeURIComponent(a.id)}`}>{a.name}</Link>
                </th>
                <td className={table.td}>{label({ ja: a.system.nameJa, en: a.system.nameEn })}</td>
                <td className={table.td}>{label(environmentLabel(a.environment))}</td>
                <td className={table.td}>{label(a.statusLabel)}</td>
                <td className={`${table.td} ${mono}`}>{a.ouPath ?? t.none}</td>
                <td className={`${table.td} ${mono}`}>{a.providerAccountId ?? t.none}</td>
                <td className={table.td}>
                  <Time iso={a.readyAt} />
                </td>
              </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
