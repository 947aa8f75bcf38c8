import type { AuditEntryView } from '../../api/contracts';
import { useI18n } from '../../i18n/i18n';
import { lookup } from '../../i18n/language';
import { mono, table } from '../../ui/classes';
import { Time } from '../../ui/time';

export function AuditTable({ entries }: { entries: AuditEntryView[] }) {
  const { t } = useI18n();
  return (
    <div className={table.wrap}>
      <table className={table.table}>
        <caption className="sr-only">{t.audit.title}</caption>
        <thead>
          <tr>
            <th scope="col" className={table.th}>{t.audit.seq}</th>
            <th scope="col" className={table.th}>{t.audit.at}</th>
            <th scope="col" className={table.th}>{t.audit.actor}</th>
            <th scope="col" className={table.th}>{t.audit.action}</th>
            <th scope="col" className={table.th}>{t.audit.tenantColumn}</th>
            <th scope="col" className={table.th}>{t.audit.result}</th>
            <th scope="col" className={table.th}>{t.audit.source}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq}>
              <th scope="row" className={`${table.td} font-normal`}>{e.seq}</th>
              <td className={table.td}>
                <Time iso={e.at} />
              </td>
              <td className={`${table.td} break-all`}>{e.actor}</td>
              <td className={table.td}>
                <span className={mono}>{e.action}</span>
                {Object.keys(e.target).length > 0 && (
                  <span className={`block ${mono} text-solid-gray-600`}>
                    {Object.entries(e.target)
                      .map(([k, v]) => `${k}=${v}`)
                      .join(' ')}
                  </span>
                )}
                {e.dryRun && <span className="block text-dns-14N-130">{t.audit.dryRun}</span>}
              </td>
              <td className={`${table.td} ${mono}`}>{e.tenant ?? t.none}</td>
              <td className={table.td}>
                {lookup(t.audit.outcomes, e.result.outcome)} ({e.result.status})
              </td>
              <td className={`${table.td} ${mono}`}>{e.source.ip ?? t.none}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
