/** Accounts counted by OU path and status, OUs in path order; accounts not yet placed under `null`. */
export type OuRow = { ouPath: string | null; counts: Record<string, number>; total: number };

export function countByOu(accounts: readonly { ouPath: string | null; status: string }[]): { rows: OuRow[]; statuses: string[] } {
  const rows = new Map<string | null, OuRow>();
  const statuses = new Set<string>();
  for (const a of accounts) {
    const row = rows.get(a.ouPath) ?? { ouPath: a.ouPath, counts: {}, total: 0 };
    row.counts[a.status] = (row.counts[a.status] ?? 0) + 1;
    row.total += 1;
    rows.set(a.ouPath, row);
    statuses.add(a.status);
  }
  const sorted = [...rows.values()].sort((x, y) => (x.ouPath === null ? 1 : y.ouPath === null ? -1 : x.ouPath.localeCompare(y.ouPath)));
  return { rows: sorted, statuses: STATUS_ORDER.filter((s) => statuses.has(s)).concat([...statuses].filter((s) => !STATUS_ORDER.includes(s))) };
}

const STATUS_ORDER = ['provisioning', 'ready', 'failed', 'suspended', 'closed'];
