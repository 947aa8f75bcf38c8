import { useState, type FormEvent } from 'react';
import { apiGet, apiPost, query } from '../../api/client';
import { AccountPage, GrantView, MAX_GRANT_MINUTES, MIN_GRANT_MINUTES } from '../../api/contracts';
import { issuesByField, type ApiFailure } from '../../api/problem';
import { useQuery } from '../../api/use-query';
import { useI18n } from '../../i18n/i18n';
import { useAnnounce } from '../../ui/announcer';
import { button } from '../../ui/classes';
import { FailureMessage } from '../../ui/failure';
import { SelectField, TextAreaField, TextField } from '../../ui/fields';
import { Section } from '../../ui/section';

const FIELDS = ['accountId', 'reason', 'durationMinutes'] as const;
const DURATIONS = [15, 60, 240, 480, 1440].filter((m) => m >= MIN_GRANT_MINUTES && m <= MAX_GRANT_MINUTES);

/** For operators: ask for access to one ready account of a tenant, with a reason and a duration. */
export function RequestGrantForm({ onRequested }: { onRequested: () => void }) {
  const { t, label } = useI18n();
  const announce = useAnnounce();
  const [tenant, setTenant] = useState('');
  const [values, setValues] = useState({ accountId: '', reason: '', durationMinutes: '60' });
  const [failure, setFailure] = useState<ApiFailure | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const code = tenant.trim();
  const accounts = useQuery(`bg-accounts:${code}`, () =>
    code === '' ? Promise.resolve({ ok: true as const, status: 200, data: { items: [] } }) : apiGet(`/api/accounts${query({ tenant: code, status: 'ready', limit: 500 })}`, AccountPage),
  );
  const { byField, other } = issuesByField(failure, FIELDS);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await apiPost('/api/break-glass/requests', GrantView, { accountId: values.accountId, reason: values.reason, durationMinutes: Number(values.durationMinutes) });
    setBusy(false);
    if (!result.ok) return setFailure(result.failure);
    setFailure(undefined);
    setValues({ accountId: '', reason: '', durationMinutes: values.durationMinutes });
    announce(t.breakGlass.submitted);
    onRequested();
  };

  const options = accounts.status === 'ok' ? accounts.data.items.map((a) => ({ value: a.id, label: `${a.name} (${a.providerAccountId ?? a.id}) ${label({ ja: a.tenant.nameJa, en: a.tenant.nameEn })}` })) : [];
  return (
    <Section id="bg-request" title={t.breakGlass.requestTitle}>
      {failure !== undefined && <FailureMessage failure={failure} issues={other} />}
      <form noValidate onSubmit={(e) => void submit(e)}>
        <TextField name="tenant" label={t.breakGlass.tenant} hint={t.breakGlass.tenantHelp2} value={tenant} onChange={setTenant} />
        <SelectField name="accountId" label={t.breakGlass.account} placeholder={t.breakGlass.chooseAccount} required value={values.accountId} options={options} errors={byField['accountId']} onChange={(accountId) => setValues((v) => ({ ...v, accountId }))} />
        <TextAreaField name="reason" label={t.breakGlass.reason} hint={t.breakGlass.reasonHelp} required value={values.reason} errors={byField['reason']} onChange={(reason) => setValues((v) => ({ ...v, reason }))} />
        <SelectField
          name="durationMinutes"
          label={t.breakGlass.duration}
          placeholder={t.breakGlass.duration}
          required
          value={values.durationMinutes}
          options={DURATIONS.map((m) => ({ value: String(m), label: t.breakGlass.minutes(m) }))}
          errors={byField['durationMinutes']}
          onChange={(durationMinutes) => setValues((v) => ({ ...v, durationMinutes }))}
        />
        <button type="submit" className={button.primary} disabled={busy}>
          {t.breakGlass.submit}
        </button>
      </form>
    </Section>
  );
}
