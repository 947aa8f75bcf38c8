import { useEffect, useRef, useState, type FormEvent } from 'react';
import { apiPost, query } from '../../api/client';
import { PersonResult, ROLE_LABELS, type PersonDetailView } from '../../api/contracts';
import type { ApiFailure } from '../../api/problem';
import { useI18n } from '../../i18n/i18n';
import { useAnnounce } from '../../ui/announcer';
import { button, mono } from '../../ui/classes';
import { DefinitionList } from '../../ui/definition-list';
import { FailureMessage } from '../../ui/failure';
import { TextField } from '../../ui/fields';
import { Section } from '../../ui/section';
import { Time } from '../../ui/time';
import { firstAdminBody, firstAdminPath, firstAdminProblems, type FirstAdminValues } from './first-admin';

type Values = FirstAdminValues;
const EMPTY: Values = { tenant: '', email: '', name: '' };

type Phase =
  | { kind: 'edit' }
  | { kind: 'busy' }
  | { kind: 'noTenant' }
  | { kind: 'checked'; accounts: number }
  | { kind: 'failed'; failure: ApiFailure }
  | { kind: 'added'; detail: PersonDetailView; accounts: number };

/**
 * For operators: a tenant's first admin, checked with a dry run first, then added. The API refuses a
 * tenant that already has an admin (from then on its admins add its people). Central roles cannot
 * read a tenant's people, so the creation is confirmed here and its access followed by the tenant.
 */
export function FirstAdminForm() {
  const { t, label } = useI18n();
  const f = t.people.firstAdmin;
  const announce = useAnnounce();
  const [values, setValues] = useState<Values>(EMPTY);
  const [phase, setPhase] = useState<Phase>({ kind: 'edit' });
  const summary = useRef<HTMLDivElement>(null);
  const plan = useRef<HTMLHeadingElement>(null);
  const done = useRef<HTMLHeadingElement>(null);
  const failure = phase.kind === 'failed' ? phase.failure : undefined;
  const { byField, other } = firstAdminProblems(failure);
  const tenantErrors = phase.kind === 'noTenant' ? [f.tenantRequired] : byField['tenant'];

  useEffect(() => {
    if (phase.kind === 'failed') summary.current?.focus();
    if (phase.kind === 'checked') plan.current?.focus();
    if (phase.kind === 'added') done.current?.focus();
  }, [phase]);

  const set = (field: keyof Values) => (value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    if (phase.kind === 'checked' || phase.kind === 'noTenant') setPhase({ kind: 'edit' });
  };

  const check = async (event: FormEvent) => {
    event.preventDefault();
    if (values.tenant.trim() === '') return setPhase({ kind: 'noTenant' });
    setPhase({ kind: 'busy' });
    const result = await apiPost(`${firstAdminPath(values.tenant)}${query({ dryRun: 'true' })}`, PersonResult, firstAdminBody(values));
    if (!result.ok) return setPhase({ kind: 'failed', failure: result.failure });
    setPhase({ kind: 'checked', accounts: result.data.person.access.length });
    announce(f.checked);
  };

  const add = async (accounts: number) => {
    setPhase({ kind: 'busy' });
    const result = await apiPost(firstAdminPath(values.tenant), PersonResult, firstAdminBody(values));
    if (!result.ok) return setPhase({ kind: 'failed', failure: result.failure });
    const { person } = result.data.person;
    setValues(EMPTY);
    setPhase({ kind: 'added', detail: result.data.person, accounts });
    announce(f.added(person.name, person.tenant?.code ?? ''));
  };

  return (
    <Section id="first-admin" title={f.title} help={f.help}>
      {phase.kind === 'added' && (
        <div className="mb-6 rounded-8 border-2 border-success-1 p-4" data-testid="first-admin-added">
          <h3 ref={done} tabIndex={-1} className="mb-2 text-std-18B-160">
            {f.added(phase.detail.person.name, phase.detail.person.tenant?.code ?? '')}
          </h3>
          <DefinitionList
            rows={[
              [t.people.name, phase.detail.person.name],
              [t.people.email, <span className={mono}>{phase.detail.person.email}</span>],
              [f.tenant, <span className={mono}>{phase.detail.person.tenant?.code ?? ''}</span>],
              [t.people.role, phase.detail.person.roleLabels.map(label).join('、')],
              [f.addedAt, <Time iso={phase.detail.person.createdAt} />],
            ]}
          />
          <p className="mt-4">{f.afterAdded(phase.accounts)}</p>
        </div>
      )}
      {failure !== undefined && (
        <div ref={summary} tabIndex={-1}>
          <FailureMessage failure={failure} issues={other} />
          {Object.keys(byField).length > 0 && <p className="mb-4 text-error-2">{t.errors.summary}</p>}
        </div>
      )}
      <form noValidate onSubmit={(e) => void check(e)} aria-describedby="first-admin">
        <TextField name="tenant" label={f.tenant} hint={f.tenantHint} required value={values.tenant} onChange={set('tenant')} errors={tenantErrors} />
        <TextField name="email" type="email" label={t.people.email} required value={values.email} onChange={set('email')} errors={byField['email']} />
        <TextField name="name" label={t.people.name} required value={values.name} onChange={set('name')} errors={byField['name']} />
        <p className="mb-6 text-std-16N-170">
          {t.people.role}: {label(ROLE_LABELS.tenant_admin)}
        </p>
        <button type="submit" className={phase.kind === 'checked' ? button.secondary : button.primary} disabled={phase.kind === 'busy'}>
          {t.people.check}
        </button>
      </form>
      {phase.kind === 'checked' && (
        <div className="mt-6 rounded-8 border-2 border-success-1 p-4" data-testid="first-admin-plan">
          <h3 ref={plan} tabIndex={-1} className="mb-2 text-std-18B-160">
            {t.people.planTitle}
          </h3>
          <p className="mb-4">{f.planHelp(values.tenant.trim(), phase.accounts)}</p>
          <button type="button" className={button.primary} onClick={() => void add(phase.accounts)}>
            {f.add}
          </button>
        </div>
      )}
    </Section>
  );
}
