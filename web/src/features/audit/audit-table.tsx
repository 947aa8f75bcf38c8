import type { AuditEntryView } from '../../api/contracts';
import { useI18n } from '../../i18n/i18n';
import { lookup } from '../../i18n/language';
import { mono } from '../../ui/classes';
import { DataTable, type Column } from '../../ui/data-table';
import { Time } from '../../ui/time';

export function AuditTable({ entries }: { entries: AuditEntryView[] }) {
  const { t } = useI18n();
  const columns: Column<AuditEntryView>[] = [
    { header: t.audit.seq, rowHeader: true, cell: (e) => e.seq },
    { header: t.audit.at, cell: (e) => <Time iso={e.at} /> },
    { header: t.audit.actor, className: 'break-all', cell: (e) => e.actor },
    {
      header: t.audit.action,
      cell: (e) => (
        <>
          <span className={mono}>{e.action}</span>
          {Object.keys(e.target).length > 0 && (
            <span className={`block ${mono} text-solid-gray-600`}>
              {Object.entries(e.target)
                .map(([k, v]) => `${k}=${v}`)
                .join(' ')}
            </span>
          )}
          {e.dryRun && <span className="block text-dns-14N-130">{t.audit.dryRun}</span>}
        </>
      ),
    },
    { header: t.audit.tenantColumn, className: mono, cell: (e) => e.tenant ?? t.none },
    {
      header: t.audit.result,
      cell: (e) => (
        <>
          {lookup(t.audit.outcomes, e.result.outcome)} ({e.result.status})
        </>
      ),
    },
    { header: t.audit.source, className: mono, cell: (e) => e.source.ip ?? t.none },
  ];
  return <DataTable columns={columns} rows={entries} rowKey={(e) => e.seq} caption={{ text: t.audit.title, hidden: true }} />;
}
