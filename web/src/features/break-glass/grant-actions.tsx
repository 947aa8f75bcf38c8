import { useId, useState } from 'react';
import { apiPost } from '../../api/client';
import { GrantView } from '../../api/contracts';
import { issuesByField, type ApiFailure } from '../../api/problem';
import { useI18n } from '../../i18n/i18n';
import { useAnnounce } from '../../ui/announcer';
import { button } from '../../ui/classes';
import { FailureMessage } from '../../ui/failure';
import { TextAreaField } from '../../ui/fields';

type Verb = 'approve' | 'deny' | 'revoke' | 'cancel';

/** What the person may do with the grant now: a tenant admin decides or revokes, the requester withdraws. */
export function GrantActions({ grant, verbs, onDone }: { grant: GrantView; verbs: readonly Verb[]; onDone: () => void }) {
  const { t, label } = useI18n();
  const announce = useAnnounce();
  const group = useId();
  const [note, setNote] = useState('');
  const [failure, setFailure] = useState<ApiFailure | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  if (verbs.length === 0) return null;
  const { byField, other } = issuesByField(failure, ['note']);
  const act = async (verb: Verb) => {
    setBusy(true);
    const body = verb === 'cancel' ? {} : note.trim() === '' ? {} : { note: note.trim() };
    const result = await apiPost(`/api/break-glass/grants/${encodeURIComponent(grant.id)}/${verb}`, GrantView, body);
    setBusy(false);
    if (!result.ok) return setFailure(result.failure);
    setFailure(undefined);
    setNote('');
    announce(t.breakGlass.became(label(result.data.statusLabel)));
    onDone();
  };
  const texts: Record<Verb, string> = { approve: t.breakGlass.approve, deny: t.breakGlass.deny, revoke: t.breakGlass.revoke, cancel: t.breakGlass.cancel };
  return (
    <div className="mt-4" role="group" aria-labelledby={group}>
      <span id={group} className="sr-only">
        {grant.account.providerAccountId}
      </span>
      {failure !== undefined && <FailureMessage failure={failure} issues={other} />}
      {verbs.some((v) => v !== 'cancel') && <TextAreaField name="note" label={t.breakGlass.note} hint={t.breakGlass.noteHelp} value={note} onChange={setNote} errors={byField['note']} rows={2} />}
      <div className="flex flex-wrap gap-4">
        {verbs.map((verb) => (
          <button key={verb} type="button" className={verb === 'approve' ? button.primary : button.secondary} disabled={busy} onClick={() => void act(verb)}>
            {texts[verb]}
          </button>
        ))}
      </div>
    </div>
  );
}
