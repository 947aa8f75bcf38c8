import type { PersonDetailView } from '../../api/contracts';
import { useI18n } from '../../i18n/i18n';
import { Time } from '../../ui/time';
import { AccessTable } from './access-table';
import { PersonActions } from './person-actions';

/** Each person: roles, whether they signed in, their access summary and rows; actions for a tenant admin. */
export function PeopleList({ people, manage, selfId, onChange }: { people: PersonDetailView[]; manage: boolean; selfId: string; onChange: () => void }) {
  const { t, label } = useI18n();
  if (people.length === 0) return <p>{t.people.noPeople}</p>;
  return (
    <ul className="flex flex-col gap-4">
      {people.map((d) => (
        <li key={d.person.id} className="rounded-8 border border-solid-gray-200 p-4" data-person={d.person.email}>
          <h3 className="text-std-18B-160">
            {d.person.name} {d.person.id === selfId && <span className="text-std-16N-170">{t.people.you}</span>}
          </h3>
          <p className="mb-2 text-dns-16N-130 text-solid-gray-600">
            {d.person.email} ・ {d.person.roleLabels.map(label).join('、')} ・ {d.person.signedIn ? t.people.signedIn : t.people.notSignedIn} ・ <Time iso={d.person.createdAt} />
          </p>
          <p className="mb-2">
            {t.people.summary(d.summary.ready, d.summary.accounts)}
            {d.summary.timeToAccessMs !== null && ` ・ ${t.people.timeToAccess}: ${t.people.duration(d.summary.timeToAccessMs)}`}
          </p>
          {d.person.kind === 'tenant' && <AccessTable detail={d} />}
          {manage && d.person.id !== selfId && d.person.status === 'active' && <PersonActions detail={d} onChange={onChange} />}
        </li>
      ))}
    </ul>
  );
}
