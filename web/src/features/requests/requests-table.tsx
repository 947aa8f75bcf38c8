import type { AccountRequest } from '../../api/contracts';
import { useI18n } from '../../i18n/i18n';
import { lookup } from '../../i18n/language';
import { Link } from '../../router/router';
import { DataTable, type Column } from '../../ui/data-table';
import { Time } from '../../ui/time';
import { environmentLabel } from '../../ui/vocabulary';

/** Account requests, each linked to its progress, with who asked where `requester` is set. */
export function RequestsTable({ requests, requester, empty }: { requests: AccountRequest[]; requester: boolean; empty: string }) {
  const { t, label } = useI18n();
  const columns: Column<AccountRequest>[] = [
    { header: t.systems.accountName, rowHeader: true, cell: (r) => <Link to={`/requests/${encodeURIComponent(r.id)}`}>{r.accountName}</Link> },
    { header: t.systems.environment, cell: (r) => label(environmentLabel(r.environment)) },
    { header: t.requests.status, cell: (r) => label(r.statusLabel) },
    { header: t.requests.currentStep, cell: (r) => (r.currentStep === null ? t.none : lookup(t.requests.stepNames, r.currentStep)) },
    ...(requester ? [{ header: t.requests.requestedBy, cell: (r: AccountRequest) => r.requestedBy }] : []),
    { header: t.requests.createdAt, cell: (r) => <Time iso={r.createdAt} /> },
  ];
  return <DataTable columns={columns} rows={requests} rowKey={(r) => r.id} empty={empty} />;
}
