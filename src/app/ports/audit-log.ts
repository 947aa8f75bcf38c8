import type { AuditEntry, AuditRecord } from '../audit/chain.js';

export type AuditFilter = { tenant?: string; from?: Date; to?: Date };

/** The append-only audit trail (src/store/audit-store.ts). */
export interface AuditLog {
  /** Chains and stores one record; appends from every process are serialised, so the chain never forks. */
  append(record: AuditRecord): Promise<AuditEntry>;
  /** Entries with seq > afterSeq, in seq order, at most `limit`, optionally filtered (tenant; from inclusive, to exclusive). */
  read(afterSeq: number, limit: number, filter?: AuditFilter): Promise<AuditEntry[]>;
  /** The last seq and hash as recorded when it was appended (seq 0 and the genesis hash when empty). */
  head(): Promise<{ seq: number; hash: string }>;
}
