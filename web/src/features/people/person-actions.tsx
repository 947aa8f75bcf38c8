import { useState } from 'react';
import { apiDelete, apiPatch } from '../../api/client';
import { PersonResult, ROLE_LABELS, type PersonDetailView } from '../../api/contracts';
import type { ApiFailure } from '../../api/problem';
import { useI18n } from '../../i18n/i18n';
import { useAnnounce } from '../../ui/announcer';
import { button } from '../../ui/classes';
import { FailureMessage } from '../../ui/failure';
import { SelectField } from '../../ui/fields';

/** A tenant admin changes a person's role (their permission set follows) or removes them. */
export function PersonActions({ detail, onChange }: { detail: PersonDetailView; onChange: () => void }) {
  const { t, label } = useI18n();
  const announce = useAnnounce();
  const [role, setRole] = useState<string>(detail.person.tenantRole ?? 'tenant_member');
  const [failure, setFailure] = useState<ApiFailure | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const { id, name } = detail.person;
  const path = `/api/people/${encodeURIComponent(id)}`;
  const done = (message: string) => {
    setFailure(undefined);
    announce(message);
    onChange();
  };
  const change = async () => {
    setBusy(true);
    const result = await apiPatch(path, PersonResult, { role });
    setBusy(false);
    if (result.ok) done(t.people.roleChanged(name));
    else setFailure(result.failure);
  };
  const remove = async () => {
    if (!window.confirm(t.people.confirmRemove(name))) return;
    setBusy(true);
    const result = await apiDelete(path, PersonResult);
    setBusy(false);
    if (result.ok) done(t.people.removed(name));
    else setFailure(result.failure);
  };
  return (
    <div className="mt-4 flex flex-col gap-2">
      {failure !== undefined && <FailureMessage failure={failure} />}
      <div className="flex flex-wrap items-end gap-4">
        <div className="min-w-[14rem]">
          <SelectField
            name={`role-${id}`}
            label={`${t.people.role}: ${name}`}
            placeholder={t.people.role}
            value={role}
            onChange={setRole}
            options={(['tenant_member', 'tenant_admin'] as const).map((r) => ({ value: r, label: label(ROLE_LABELS[r]) }))}
          />
        </div>
        <button type="button" className={`${button.secondary} mb-6`} disabled={busy || role === detail.person.tenantRole} onClick={() => void change()}>
          {t.people.changeRole}
        </button>
        <button type="button" className={`${button.secondary} mb-6`} disabled={busy} onClick={() => void remove()}>
          {t.people.remove}
        </button>
      </div>
    </div>
  );
}
