import { sha256Hex } from '../../guardrails/detective/sha256.js';

/**
 * The audit trail's hash chain, defined in one place: what an entry is, its canonical form, its
 * hash, and how a run of entries is checked. Pure, so the server, the CLI and an auditor's script
 * (re-implementing `canonicalForm`) all agree on the same bytes.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** What happened, before it is chained. Never request bodies or secrets: ids, a status, small facts. */
export type AuditRecord = {
  at: Date;
  /** Who: the signed-in person's e-mail address (session or API token); `anonymous` for a refused caller without credentials. */
  actor: string;
  /** What: the route's `METHOD /path/{template}`. */
  action: string;
  /** Which things: the route's path parameters (ids, codes). */
  target: Record<string, string>;
  tenant: string | null;
  /** From where: the socket's address, the `x-forwarded-for` header as sent (not trusted), the user agent. */
  source: { ip: string | null; forwardedFor: string | null; userAgent: string | null };
  /** The HTTP status and what it amounts to. */
  result: { status: number; outcome: AuditOutcome };
  dryRun: boolean;
  details: Record<string, JsonValue>;
};
export type AuditOutcome = 'succeeded' | 'refused' | 'failed';
export type AuditEntry = AuditRecord & { seq: number; prevHash: string; hash: string };

/** The previous hash of entry 1. */
export const GENESIS_HASH = '0'.repeat(64);

export const outcomeOf = (status: number): AuditOutcome => (status >= 500 ? 'failed' : status >= 400 ? 'refused' : 'succeeded');

/** JSON with object keys sorted (by UTF-16 code units) at every level, no spaces. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] ?? null)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The canonical form hashed for an entry: every field but `hash`, `at` as ISO 8601 with
 * milliseconds in UTC, as canonical JSON (sorted keys). hash = hex(SHA-256(UTF-8 of this)).
 */
export function canonicalForm(entry: AuditRecord & { seq: number; prevHash: string }): string {
  return canonicalJson({
    seq: entry.seq,
    at: entry.at.toISOString(),
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    tenant: entry.tenant,
    source: entry.source,
    result: entry.result,
    dryRun: entry.dryRun,
    details: entry.details,
    prevHash: entry.prevHash,
  });
}

export const entryHash = (entry: AuditRecord & { seq: number; prevHash: string }): string => sha256Hex(canonicalForm(entry));

/** Chains a record after the entry whose seq and hash are given. */
export const chainAfter = (record: AuditRecord, head: { seq: number; hash: string }): AuditEntry => {
  const linked = { ...record, seq: head.seq + 1, prevHash: head.hash };
  return { ...linked, hash: entryHash(linked) };
};

export type ChainBreak = { seq: number; kind: 'missing' | 'altered' };

/** The first break at `entry`, given the seq and hash the chain expects next; null when it links. */
export function checkLink(entry: AuditEntry, expected: { seq: number; prevHash: string }): ChainBreak | null {
  if (entry.seq > expected.seq) return { seq: expected.seq, kind: 'missing' };
  if (entry.seq < expected.seq) return { seq: entry.seq, kind: 'altered' };
  if (entryHash(entry) !== entry.hash || entry.prevHash !== expected.prevHash) return { seq: entry.seq, kind: 'altered' };
  return null;
}

/** The message naming a break, in Japanese and English. */
export function describeBreak(b: ChainBreak): { ja: string; en: string } {
  return b.kind === 'missing'
    ? { ja: `監査ログのエントリ ${b.seq} が欠落しています`, en: `entry ${b.seq} is missing` }
    : { ja: `監査ログのエントリ ${b.seq} が改ざんされています`, en: `entry ${b.seq} was altered` };
}
