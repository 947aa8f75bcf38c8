import type { GrantView } from '../../api/contracts';
import { useI18n } from '../../i18n/i18n';
import { DefinitionList } from '../../ui/definition-list';
import { Time } from '../../ui/time';
import { GrantActions } from './grant-actions';
import { GrantActivity } from './grant-activity';

type Viewer = { kind: 'tenant'; admin: boolean } | { kind: 'operator'; personId: string };

const verbsFor = (grant: GrantView, viewer: Viewer) => {
  if (viewer.kind === 'operator') return grant.status === 'requested' && grant.requester.personId === viewer.personId ? (['cancel'] as const) : ([] as const);
  if (!viewer.admin) return [] as const;
  if (grant.status === 'requested') return ['approve', 'deny'] as const;
  if (grant.status === 'approved') return ['revoke'] as const;
  return [] as const;
};

/** Each grant with its state, window and access; the actions the viewer may take; for the tenant, what was done. */
export function GrantsList({ grants, viewer, onChange }: { grants: GrantView[]; viewer: Viewer; onChange: () => void }) {
  const { t, label } = useI18n();
  if (grants.length === 0) return <p>{t.breakGlass.noGrants}</p>;
  return (
    <ul className="flex flex-col gap-4">
      {grants.map((g) => (
        <li key={g.id} className="rounded-8 border border-solid-gray-200 p-4" data-grant={g.id} data-status={g.status}>
          <h3 className="mb-2 text-std-18B-160">
            {g.account.providerAccountId} ・ {label(g.statusLabel)}
          </h3>
          <DefinitionList
            rows={[
              [t.breakGlass.requester, `${g.requester.name} (${g.requester.email})`],
              [t.breakGlass.reason, g.reason],
              [t.breakGlass.duration, t.breakGlass.minutes(g.durationMinutes)],
              [t.breakGlass.requestedAt, <Time iso={g.requestedAt} />],
              [t.breakGlass.startsAt, <Time iso={g.startsAt} />],
              [t.breakGlass.expiresAt, <Time iso={g.expiresAt} />],
              [t.breakGlass.accessState, label(g.access.stateLabel)],
              ...(g.decision === null ? [] : [[t.breakGlass.decidedBy, `${g.decision.by}${g.decision.note === null ? '' : ` — ${g.decision.note}`}`] satisfies [string, string]]),
            ]}
          />
          <GrantActions grant={g} verbs={verbsFor(g, viewer)} onDone={onChange} />
          {viewer.kind === 'tenant' && g.startsAt !== null && <GrantActivity id={g.id} />}
        </li>
      ))}
    </ul>
  );
}
