import { useState } from 'react';
import { apiGet } from '../../api/client';
import { GrantActivityView } from '../../api/contracts';
import { useQuery } from '../../api/use-query';
import { useI18n } from '../../i18n/i18n';
import { button, mono } from '../../ui/classes';
import { DataTable, type Column } from '../../ui/data-table';
import { QueryView } from '../../ui/query-view';
import { Time } from '../../ui/time';

type ActivityEvent = GrantActivityView['events'][number];

function ActivityTable({ id }: { id: string }) {
  const { t } = useI18n();
  const activity = useQuery(`grant-activity:${id}`, () => apiGet(`/api/break-glass/grants/${encodeURIComponent(id)}/activity`, GrantActivityView));
  const columns: Column<ActivityEvent>[] = [
    { header: t.breakGlass.eventTime, cell: (e) => <Time iso={e.eventTime} /> },
    { header: t.breakGlass.eventName, rowHeader: true, className: mono, cell: (e) => e.eventName },
    { header: t.breakGlass.eventSource, className: mono, cell: (e) => e.eventSource },
    { header: t.breakGlass.principal, className: mono, cell: (e) => e.principal },
    { header: t.breakGlass.eventError, className: mono, cell: (e) => e.errorCode ?? t.none },
  ];
  return (
    <QueryView query={activity}>
      {(a) => (
        <>
          {a.truncated && a.events.length > 0 && <p className="mb-2">{t.breakGlass.truncated}</p>}
          <DataTable columns={columns} rows={a.events} rowKey={(e) => e.eventId} caption={{ text: t.breakGlass.activity }} empty={t.breakGlass.noActivity} />
        </>
      )}
    </QueryView>
  );
}

/** The activity under a grant, loaded when asked for. */
export function GrantActivity({ id }: { id: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <div className="mt-4">
      <button type="button" className={button.text} aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {t.breakGlass.showActivity}
      </button>
      {open && <ActivityTable id={id} />}
    </div>
  );
}
