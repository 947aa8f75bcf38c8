import type { AccountView } from '../../api/contracts';
import { useI18n } from '../../i18n/i18n';
import { Link } from '../../router/router';
import { mono } from '../../ui/classes';
import { DataTable, type Column } from '../../ui/data-table';
import { Time } from '../../ui/time';
import { environmentLabel } from '../../ui/vocabulary';

export function AccountsTable({ accounts, caption, empty }: { accounts: AccountView[]; caption: string; empty: string }) {
  const { t, label } = useI18n();
  const columns: Column<AccountView>[] = [
    { header: t.systems.accountName, rowHeader: true, cell: (a) => <Link to={`/accounts/${encodeURIComponent(a.id)}`}>{a.name}</Link> },
    { header: t.systems.system, cell: (a) => label({ ja: a.system.nameJa, en: a.system.nameEn }) },
    { header: t.systems.environment, cell: (a) => label(environmentLabel(a.environment)) },
    { header: t.systems.status, cell: (a) => label(a.statusLabel) },
    { header: t.systems.ouPath, className: mono, cell: (a) => a.ouPath ?? t.none },
    { header: t.systems.providerAccountId, className: mono, cell: (a) => a.providerAccountId ?? t.none },
    { header: t.systems.readyAt, cell: (a) => <Time iso={a.readyAt} /> },
  ];
  return <DataTable columns={columns} rows={accounts} rowKey={(a) => a.id} caption={{ text: caption }} empty={empty} />;
}
