import { useState, type FormEvent } from 'react';
import { apiGet, query } from '../../api/client';
import { AuditEntryPage } from '../../api/contracts';
import { useQuery } from '../../api/use-query';
import { issuesByField } from '../../api/problem';
import { useI18n } from '../../i18n/i18n';
import { navigate, useLocation } from '../../router/router';
import { button } from '../../ui/classes';
import { TextField } from '../../ui/fields';
import { FailureMessage } from '../../ui/failure';
import { Loading } from '../../ui/loading';
import { PageTitle } from '../../ui/page-title';
import { Pager } from '../../ui/pager';
import { Section } from '../../ui/section';
import { AuditTable } from './audit-table';
import { filtersFrom, isoToLocal, localToIso } from './filters';
import { VerifyChain } from './verify-chain';

const FIELDS = ['tenant', 'from', 'to'] as const;
const PAGE = 50;

/** For auditors: the trail page by page, filtered by tenant and period (kept in the address), verify, export. */
export function AuditPage() {
  const { t } = useI18n();
  const location = useLocation();
  const search = location.includes('?') ? location.slice(location.indexOf('?')) : '';
  const filters = filtersFrom(search);
  const [draft, setDraft] = useState({ tenant: filters.tenant, from: isoToLocal(filters.from), to: isoToLocal(filters.to) });
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const entries = useQuery(`audit:${search}:${cursor ?? ''}`, () => apiGet(`/api/audit/entries${query({ ...filters, limit: PAGE, cursor })}`, AuditEntryPage));
  const { byField, other } = issuesByField(entries.status === 'error' ? entries.failure : undefined, FIELDS, 'query');

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setCursors([]);
    navigate(`/audit${query({ tenant: draft.tenant.trim(), from: localToIso(draft.from), to: localToIso(draft.to) })}`, { replace: true });
  };
  const exportHref = (format: 'jsonl' | 'csv') => `/api/audit/export${query({ format, ...filters })}`;
  const next = entries.status === 'ok' ? entries.data.nextCursor : undefined;

  return (
    <>
      <PageTitle>{t.audit.title}</PageTitle>
      <p className="mb-6 text-std-16N-170">{t.audit.help}</p>
      <div className="flex flex-col gap-6">
        <Section id="audit-filters" title={t.audit.filters}>
          <form noValidate onSubmit={apply} className="grid grid-cols-1 gap-x-6 lg:grid-cols-3">
            <TextField name="tenant" label={t.audit.tenant} value={draft.tenant} onChange={(tenant) => setDraft((d) => ({ ...d, tenant }))} errors={byField['tenant']} />
            <TextField name="from" type="datetime-local" label={t.audit.from} value={draft.from} onChange={(from) => setDraft((d) => ({ ...d, from }))} errors={byField['from']} />
            <TextField name="to" type="datetime-local" label={t.audit.to} value={draft.to} onChange={(to) => setDraft((d) => ({ ...d, to }))} errors={byField['to']} />
            <div className="lg:col-span-3">
              <button type="submit" className={button.primary}>
                {t.audit.apply}
              </button>
            </div>
          </form>
        </Section>
        <Section id="audit-entries" title={t.audit.title}>
          <div className="mb-4 flex flex-wrap items-start gap-4">
            <VerifyChain />
            <a className={button.text} href={exportHref('jsonl')} download>
              {t.audit.exportJsonl}
            </a>
            <a className={button.text} href={exportHref('csv')} download>
              {t.audit.exportCsv}
            </a>
          </div>
          {entries.status === 'loading' && <Loading />}
          {entries.status === 'error' && <FailureMessage failure={entries.failure} issues={other} onRetry={entries.reload} />}
          {entries.status === 'ok' && (
            <>
              <p className="mb-2" role="status">
                {entries.data.items.length === 0 ? t.audit.empty : t.audit.shown(entries.data.items.length)}
              </p>
              {entries.data.items.length > 0 && <AuditTable entries={entries.data.items} />}
              <Pager onFirst={cursors.length > 0 ? () => setCursors([]) : undefined} onNext={next === undefined ? undefined : () => setCursors((c) => [...c, next])} />
            </>
          )}
        </Section>
      </div>
    </>
  );
}
