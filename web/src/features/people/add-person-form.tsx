import { useEffect, useRef, useState, type FormEvent } from 'react';
import { apiPost, query } from '../../api/client';
import { PersonResult, ROLE_LABELS } from '../../api/contracts';
import { issuesByField, type ApiFailure } from '../../api/problem';
import { useI18n } from '../../i18n/i18n';
import { useAnnounce } from '../../ui/announcer';
import { button } from '../../ui/classes';
import { FailureMessage } from '../../ui/failure';
import { SelectField, TextField } from '../../ui/fields';
import { Section } from '../../ui/section';

const FIELDS = ['email', 'name', 'role'] as const;
const EMPTY = { email: '', name: '', role: 'tenant_member' };

type Phase = { kind: 'edit' } | { kind: 'busy' } | { kind: 'checked'; accounts: number } | { kind: 'failed'; failure: ApiFailure };

/** A tenant admin adds a person: checked with a dry run first (every problem at its field), then added. */
export function AddPersonForm({ tenantCode, onAdded }: { tenantCode: string; onAdded: () => void }) {
  const { t, label } = useI18n();
  const announce = useAnnounce();
  const [values, setValues] = useState(EMPTY);
  const [phase, setPhase] = useState<Phase>({ kind: 'edit' });
  const plan = useRef<HTMLHeadingElement>(null);
  const { byField, other } = issuesByField(phase.kind === 'failed' ? phase.failure : undefined, FIELDS);
  const path = `/api/tenants/${encodeURIComponent(tenantCode)}/people`;
  useEffect(() => {
    if (phase.kind === 'checked') plan.current?.focus();
  }, [phase]);

  const set = (field: keyof typeof EMPTY) => (value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    if (phase.kind === 'checked') setPhase({ kind: 'edit' });
  };
  const check = async (event: FormEvent) => {
    event.preventDefault();
    setPhase({ kind: 'busy' });
    const result = await apiPost(`${path}${query({ dryRun: 'true' })}`, PersonResult, values);
    setPhase(result.ok ? { kind: 'checked', accounts: result.data.person.access.length } : { kind: 'failed', failure: result.failure });
  };
  const add = async () => {
    setPhase({ kind: 'busy' });
    const result = await apiPost(path, PersonResult, values);
    if (!result.ok) return setPhase({ kind: 'failed', failure: result.failure });
    announce(t.people.added(result.data.person.person.name));
    setValues(EMPTY);
    setPhase({ kind: 'edit' });
    onAdded();
  };

  return (
    <Section id="add-person" title={t.people.addTitle}>
      {phase.kind === 'failed' && <FailureMessage failure={phase.failure} issues={other} />}
      <form noValidate onSubmit={(e) => void check(e)}>
        <TextField name="email" type="email" label={t.people.email} required value={values.email} onChange={set('email')} errors={byField['email']} autoComplete="off" />
        <TextField name="name" label={t.people.name} required value={values.name} onChange={set('name')} errors={byField['name']} />
        <SelectField
          name="role"
          label={t.people.role}
          placeholder={t.people.role}
          required
          value={values.role}
          onChange={set('role')}
          errors={byField['role']}
          options={(['tenant_member', 'tenant_admin'] as const).map((r) => ({ value: r, label: label(ROLE_LABELS[r]) }))}
        />
        <button type="submit" className={phase.kind === 'checked' ? button.secondary : button.primary} disabled={phase.kind === 'busy'}>
          {t.people.check}
        </button>
      </form>
      {phase.kind === 'checked' && (
        <div className="mt-6 rounded-8 border-2 border-success-1 p-4">
          <h3 ref={plan} tabIndex={-1} className="mb-2 text-std-18B-160">
            {t.people.planTitle}
          </h3>
          <p className="mb-4">{t.people.planHelp(phase.accounts)}</p>
          <button type="button" className={button.primary} onClick={() => void add()}>
            {t.people.add}
          </button>
        </div>
      )}
    </Section>
  );
}
