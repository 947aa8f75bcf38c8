import type { AuditFilter, AuditLog } from '../ports/audit-log.js';
import { GENESIS_HASH, checkLink, describeBreak, type AuditEntry, type ChainBreak } from './chain.js';

export type AuditVerification =
  | { intact: true; entries: number; head: string; message: { ja: string; en: string } }
  | { intact: false; entries: number; broken: ChainBreak; message: { ja: string; en: string } };

const BATCH = 1_000;

/**
 * Walks the whole chain in seq order, in batches, and names the first entry that is missing or
 * altered. The head (the last seq and hash as appended) catches entries removed or rewritten at the end.
 */
export async function verifyAuditChain(log: AuditLog, batchSize = BATCH): Promise<AuditVerification> {
  let expected = { seq: 1, prevHash: GENESIS_HASH };
  let checked = 0;
  const broken = (b: ChainBreak): AuditVerification => ({ intact: false, entries: checked, broken: b, message: describeBreak(b) });
  for (;;) {
    const batch = await log.read(expected.seq - 1, batchSize);
    for (const entry of batch) {
      const found = checkLink(entry, expected);
      if (found !== null) return broken(found);
      checked += 1;
      expected = { seq: entry.seq + 1, prevHash: entry.hash };
    }
    if (batch.length < batchSize) break;
  }
  const head = await log.head();
  const last = expected.seq - 1;
  if (head.seq > last) return broken({ seq: last + 1, kind: 'missing' });
  if (head.seq < last || head.hash !== expected.prevHash) return broken({ seq: last, kind: 'altered' });
  return {
    intact: true,
    entries: checked,
    head: head.hash,
    message: { ja: `監査ログは改ざんされていません (${checked} 件)`, en: `the audit trail is intact (${checked} entries)` },
  };
}

/** Every entry matching the filter, in seq order, read in batches. */
export async function* exportAudit(log: AuditLog, filter: AuditFilter, batchSize = BATCH): AsyncGenerator<AuditEntry> {
  let after = 0;
  for (;;) {
    const batch = await log.read(after, batchSize, filter);
    yield* batch;
    const last = batch.at(-1);
    if (last === undefined || batch.length < batchSize) return;
    after = last.seq;
  }
}

/** An exported entry: every field, with its hash and prev_hash, so an auditor can re-verify a slice. */
export const exportedEntry = (e: AuditEntry) => ({
  seq: e.seq,
  at: e.at.toISOString(),
  actor: e.actor,
  action: e.action,
  target: e.target,
  tenant: e.tenant,
  source: e.source,
  result: e.result,
  dryRun: e.dryRun,
  details: e.details,
  prevHash: e.prevHash,
  hash: e.hash,
});

export const jsonLine = (e: AuditEntry): string => `${JSON.stringify(exportedEntry(e))}\n`;

export const CSV_HEADER = 'seq,at,actor,action,target,tenant,source_ip,forwarded_for,user_agent,status,outcome,dry_run,details,prev_hash,hash\r\n';

/**
 * RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. A field that a
 * spreadsheet would run as a formula (it begins with = + - @, a tab or a carriage return; the actor,
 * user agent and forwarded-for come from callers) gets a leading apostrophe, as OWASP advises. The CSV
 * is for reading; JSON Lines carries the exact values, and `hatoba audit verify` checks the database.
 */
export const csvField = (raw: string): string => {
  const value = /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
};

export function csvLine(e: AuditEntry): string {
  const fields = [
    String(e.seq), e.at.toISOString(), e.actor, e.action, JSON.stringify(e.target), e.tenant ?? '', e.source.ip ?? '', e.source.forwardedFor ?? '',
    e.source.userAgent ?? '', String(e.result.status), e.result.outcome, String(e.dryRun), JSON.stringify(e.details), e.prevHash, e.hash,
  ];
  return `${fields.map(csvField).join(',')}\r\n`;
}
