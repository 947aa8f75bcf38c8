import { useEffect, useRef, useState, type FormEvent } from 'react';
import { apiGet, apiPost, query } from '../../api/client';
import { REGISTRY_VOCABULARY, SubmitResult, SystemPage } from '../../api/contracts';
import { issuesByField, type ApiFailure } from '../../api/problem';
import { useQuery } from '../../api/use-query';
import { useI18n } from '../../i18n/i18n';
import { useAnnounce } from '../../ui/announcer';
import { button, card, heading2, mono } from '../../ui/classes';
import { DefinitionList } from '../../ui/definition-list';
import { FailureMessage } from '../../ui/failure';
import { SelectField, TextField } from '../../ui/fields';
import { environmentLabel } from '../../ui/vocabulary';

const FIELDS = ['systemId', 'environment', 'accountName', 'email'] as const;
type Values = Record<(typeof FIELDS)[number], string>;
const EMPTY: Values = { systemId: '', environment: '', accountName: '', email: '' };

type Phase = { kind: 'edit' } | { kind: 'busy' } | { kind: 'checked'; plan: SubmitResult['requests'][number] } | { kind: 'failed'; failure: ApiFailure };

const bodyOf = (v: Values) => ({
  systemId: v.systemId === '' ? undefined : v.systemId,
  environment: v.environment,
  ...(v.accountName.trim() === '' ? {} : { accountName: v.accountName.trim() }),
  ...(v.email.trim() === '' ? {} : { email: v.email.trim() }),
});

/**
 * The account request: checked first with `?dryRun=true` (every problem shown at its field), then
 * sent as checked. Editing after the check asks for a new one.
 */
export function RequestForm({ tenantCode, onSubmitted }: { tenantCode: string; onSubmitted: (id: string) => void }) {
  const { t, label } = useI18n();
  const announce = useAnnounce();
  const [values, setValues] = useState<Values>(EMPTY);
  const [phase, setPhase] = useState<Phase>({ kind: 'edit' });
  const summary = useRef<HTMLDivElement>(null);
  const planHeading = useRef<HTMLHeadingElement>(null);
  const systems = useQuery(`systems:${tenantCode}`, () => apiGet(`/api/tenants/${encodeURIComponent(tenantCode)}/systems${query({ limit: 500 })}`, SystemPage));
  const failure = phase.kind === 'failed' ? phase.failure : undefined;
  const { byField, other } = issuesByField(failure, FIELDS);

  useEffect(() => {
    if (phase.kind === 'failed') summary.current?.focus();
    if (phase.kind === 'checked') planHeading.current?.focus();
  }, [phase]);

  const set = (field: keyof Values) => (value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    if (phase.kind === 'checked') setPhase({ kind: 'edit' });
  };

  const check = async (event: FormEvent) => {
    event.preventDefault();
    setPhase({ kind: 'busy' });
    const result = await apiPost(`/api/account-requests${query({ dryRun: 'true' })}`, SubmitResult, bodyOf(values));
    const plan = result.ok ? result.data.requests[0] : undefined;
    if (!result.ok) setPhase({ kind: 'failed', failure: result.failure });
    else if (plan === undefined) setPhase({ kind: 'failed', failure: { kind: 'unexpected', status: result.status } });
    else {
      setPhase({ kind: 'checked', plan });
      announce(t.requests.checked);
    }
  };

  const send = async () => {
    setPhase({ kind: 'busy' });
    const result = await apiPost('/api/account-requests', SubmitResult, bodyOf(values));
    const sent = result.ok ? result.data.requests[0] : undefined;
    if (!result.ok) return setPhase({ kind: 'failed', failure: result.failure });
    if (sent === undefined) return setPhase({ kind: 'failed', failure: { kind: 'unexpected', status: result.status } });
    setValues(EMPTY);
    setPhase({ kind: 'edit' });
    announce(t.requests.submitted(sent.accountName));
    onSubmitted(sent.id);
  };

  const systemOptions = systems.status === 'ok' ? systems.data.items.map((s) => ({ value: s.id, label: `${label({ ja: s.nameJa, en: s.nameEn })} (${s.slug})` })) : [];
  const environments = REGISTRY_VOCABULARY.environments.map((e) => ({ value: e.value, label: label(environmentLabel(e.value)) }));
  const busy = phase.kind === 'busy';

  return (
    <section className={card} aria-labelledby="request-form-heading">
      <h2 id="request-form-heading" className={`${heading2} mb-2`}>
        {t.requests.formTitle}
      </h2>
      <p className="mb-6 text-std-16N-170">{t.requests.formHelp}</p>
      {failure !== undefined && (
        <div ref={summary} tabIndex={-1}>
          <FailureMessage failure={failure} issues={other} />
          {Object.keys(byField).length > 0 && <p className="mb-4 text-error-2">{t.errors.summary}</p>}
        </div>
      )}
      <form noValidate onSubmit={(e) => void check(e)} aria-describedby="request-form-heading">
        <SelectField name="systemId" label={t.requests.system} placeholder={t.requests.chooseSystem} required value={values.systemId} onChange={set('systemId')} options={systemOptions} errors={byField['systemId']} />
        <SelectField name="environment" label={t.requests.environment} placeholder={t.requests.chooseEnvironment} required value={values.environment} onChange={set('environment')} options={environments} errors={byField['environment']} />
        <TextField name="accountName" label={t.requests.accountName} hint={t.requests.accountNameHelp} value={values.accountName} onChange={set('accountName')} errors={byField['accountName']} />
        <TextField name="email" type="email" label={t.requests.email} hint={t.requests.emailHelp} value={values.email} onChange={set('email')} errors={byField['email']} />
        <button type="submit" className={phase.kind === 'checked' ? button.secondary : button.primary} disabled={busy}>
          {busy ? t.requests.checking : t.requests.check}
        </button>
      </form>
      {phase.kind === 'checked' && (
        <div className="mt-6 rounded-8 border-2 border-success-1 p-4" data-testid="request-plan">
          <h3 ref={planHeading} tabIndex={-1} className="mb-2 text-std-18B-160">
            {t.requests.planTitle}
          </h3>
          <p className="mb-4">{t.requests.planHelp}</p>
          <DefinitionList
            rows={[
              [t.systems.accountName, <span className={mono}>{phase.plan.accountName}</span>],
              [t.account.email, <span className={mono}>{phase.plan.email}</span>],
              [t.systems.environment, label(environmentLabel(phase.plan.environment))],
              [t.requests.planOu, <span className={mono}>{phase.plan.ouPath}</span>],
            ]}
          />
          <button type="button" className={`${button.primary} mt-4`} onClick={() => void send()}>
            {t.requests.submit}
          </button>
        </div>
      )}
    </section>
  );
}
