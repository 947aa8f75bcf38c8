/** The audit log's filters as they travel in the page's address (`?tenant=&from=&to=`), times in ISO 8601. */
export type AuditFilters = { tenant: string; from: string; to: string };

export function filtersFrom(search: string): AuditFilters {
  const params = new URLSearchParams(search);
  return { tenant: params.get('tenant') ?? '', from: params.get('from') ?? '', to: params.get('to') ?? '' };
}

/** A `datetime-local` value (the person's own time zone) as ISO 8601 in UTC; empty stays empty. */
export function localToIso(value: string): string {
  if (value === '') return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/** ISO 8601 back to a `datetime-local` value in the person's time zone, to the minute. */
export function isoToLocal(iso: string): string {
  if (iso === '') return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
