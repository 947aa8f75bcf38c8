import { useState } from 'react';
import { apiGet } from '../../api/client';
import { GrantActivityView } from '../../api/contracts';
import { useQuery } from '../../api/use-query';
import { useI18n } from '../../i18n/i18n';
import { button, mono, table } from '../../ui/classes';
import { QueryView } from '../../ui/query-view';
import { Time } from '../../ui/time';

function ActivityTable({ id }: { id: string }) {
  const { t } = useI18n();
  const activity = useQuery(`grant-activity:${id}`, () => apiGet(`/api/break-glass/grants/${encodeURIComponent(id)}/activity`, GrantActivityView));
  return (
    <QueryView query={activity}>
      {(a) =>
        a.events.length === 0 ? (
          <p>{t.breakGlass.noActivity}</p>
        ) : (
          <>
            {a.truncated && <p className="mb-2">{t.breakGlass.truncated}</p>}
            <div className={table.wrap}>
              <table className={table.table}>
                <caption className={table.caption}>{t.breakGlass.activity}</caption>
                <thead>
                  <tr>
                    <th scope="col" className={table.th}>{t.breakGlass.eventTime}</th>
                    <th scope="col" className={table.th}>{t.breakGlass.eventName}</th>
                    <th scope="col" className={table.th}>{t.breakGlass.eventSource}</th>
                    <th scope="col" className={table.th}>{t.breakGlass.principal}</th>
                    <th scope="col" className={table.th}>{t.breakGlass.eventError}</th>
                  </tr>
                </thead>
                <tbody>
                  {a.events.map((e) => (
                    <tr key={e.eventId}>
                      <td className={table.td}>
                        <Time iso={e.eventTime} />
                      </td>
                      <th scope="row" className={`${table.td} ${mono} font-normal`}>{e.eventName}</th>
                      <td className={`${table.td} ${mono}`}>{e.eventSource}</td>
                      <td className={`${table.td} ${mono}`}>{e.principal}</td>
                      <td className={`${table.td} ${mono}`}>{e.errorCode ?? t.none}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )
      }
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
