import { validationFailed, type Issue } from '../../domain/errors.js';
import { prefectureCodeFor } from '../../domain/registry/codes.js';
import { OrganisationInput, parentProblem, type NewOrganisation, type Organisation } from '../../domain/registry/organisation.js';
import type { RegistryDeps } from './deps.js';
import { readOrganisationCsv } from './organisation-csv.js';

export type ImportOrganisationsCommand = {
  /** The CSV text (see organisation-csv.ts for the columns). */
  csv: string;
  dryRun: boolean;
  /**
   * Existing codes are refused unless `update` is set; then their names, contacts, billing e-mail and
   * parent are replaced by the file's. The kind never changes: it decides the code scheme and the
   * hierarchy below the organisation.
   */
  update: boolean;
};

export type ImportedRow = { row: number; code: string; nameJa: string; action: 'create' | 'update' };
export type ImportOrganisationsResult = { dryRun: boolean; created: number; updated: number; rows: ImportedRow[] };

type ValidRow = { row: number; organisation: NewOrganisation };

/**
 * Imports organisations from CSV, all or nothing. Every row is validated before anything is written,
 * and every problem of every row is reported with its row and column: codes and check digits, kinds,
 * names, e-mails, duplicate codes within the file, codes already registered, parents that exist
 * neither in the file nor in the registry, parent kinds, cycles. Parents may come later in the file:
 * rows are inserted parents first.
 */
export async function importOrganisations(deps: RegistryDeps, command: ImportOrganisationsCommand): Promise<ImportOrganisationsResult> {
  const { rows, issues } = readOrganisationCsv(command.csv);
  const at = (row: number, column?: string): (string | number)[] => (column === undefined ? ['row', row] : ['row', row, column]);

  // 1. Each row on its own.
  const valid: ValidRow[] = [];
  for (const { row, input, columnOf } of rows) {
    const result = OrganisationInput.safeParse(input);
    if (result.success) valid.push({ row, organisation: result.data });
    else for (const issue of result.error.issues) issues.push({ path: at(row, columnOf(issue.path)), message: issue.message });
  }

  // 2. Codes within the file: the first occurrence is the row, later ones are duplicates.
  const firstRowOf = new Map<string, number>();
  for (const { row, code } of rows) if (code !== '' && !firstRowOf.has(code)) firstRowOf.set(code, row);
  const inFile = new Map<string, ValidRow>();
  for (const candidate of valid) {
    const first = firstRowOf.get(candidate.organisation.code);
    if (first !== undefined && first !== candidate.row) {
      issues.push({ path: at(candidate.row, 'code'), message: `${candidate.organisation.code} already appears on row ${first}` });
    } else inFile.set(candidate.organisation.code, candidate);
  }

  // 3. Against the registry: existing codes and parents.
  const wanted = new Set<string>();
  for (const { organisation } of inFile.values()) {
    wanted.add(organisation.code);
    if (organisation.parentCode !== null) wanted.add(organisation.parentCode);
  }
  const registered = new Map((await deps.store.findOrganisationsByCodes([...wanted])).map((o) => [o.code, o]));
  for (const { row, organisation } of inFile.values()) {
    const existing = registered.get(organisation.code);
    if (existing !== undefined && !command.update) {
      issues.push({ path: at(row, 'code'), message: `${organisation.code} is already registered (${existing.nameJa}); import with update to change it` });
    } else if (existing !== undefined && existing.kind !== organisation.kind) {
      issues.push({ path: at(row, 'kind'), message: `${organisation.code} is registered as ${existing.kind}; the kind of an organisation cannot change` });
    }
    issues.push(...parentIssues(row, organisation, inFile, firstRowOf, registered));
  }
  issues.push(...cycleIssues(inFile));

  if (issues.length > 0) {
    const rowCount = new Set(issues.map((i) => i.path[1])).size;
    throw validationFailed(`the file has ${issues.length} problem(s) in ${rowCount} row(s); nothing was imported`, sortByRow(issues));
  }

  // 4. Build and write, parents first.
  const now = deps.clock.now();
  const insert: Organisation[] = [];
  const update: Organisation[] = [];
  const result: ImportedRow[] = [];
  for (const { row, organisation } of parentsFirst([...inFile.values()])) {
    const existing = registered.get(organisation.code);
    if (existing === undefined) insert.push({ ...organisation, id: deps.ids('org'), createdAt: now, updatedAt: now });
    else update.push({ ...organisation, id: existing.id, createdAt: existing.createdAt, updatedAt: now });
    result.push({ row, code: organisation.code, nameJa: organisation.nameJa, action: existing === undefined ? 'create' : 'update' });
  }
  if (!command.dryRun) await deps.store.saveOrganisations({ insert, update });
  return { dryRun: command.dryRun, created: insert.length, updated: update.length, rows: result.sort((a, b) => a.row - b.row) };
}

function parentIssues(
  row: number,
  organisation: NewOrganisation,
  inFile: Map<string, ValidRow>,
  firstRowOf: Map<string, number>,
  registered: Map<string, Organisation>,
): Issue[] {
  const parentCode = organisation.parentCode;
  if (parentCode === null) return [];
  const parent = inFile.get(parentCode)?.organisation ?? registered.get(parentCode);
  if (parent === undefined) {
    // A parent row that is in the file but invalid has its own issues; do not report its children too.
    if (firstRowOf.has(parentCode)) return [];
    const derived = organisation.prefecture !== null && parentCode === prefectureCodeFor(organisation.code);
    const message = derived
      ? `its prefecture ${parentCode} is neither in this file nor registered; add the prefecture's row`
      : `no organisation with code ${parentCode} is in this file or registered`;
    return [{ path: ['row', row, 'parent_code'], message }];
  }
  const problem = parentProblem(organisation.kind, parent);
  return problem === undefined ? [] : [{ path: ['row', row, 'parent_code'], message: problem }];
}

/** Parent chains within the file must end outside it or at a root; a loop can never be inserted. */
function cycleIssues(inFile: Map<string, ValidRow>): Issue[] {
  const issues: Issue[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (code: string, chain: string[]): void => {
    const current = state.get(code);
    if (current === 'done') return;
    if (current === 'visiting') {
      const loop = chain.slice(chain.indexOf(code));
      for (const member of loop) {
        const row = inFile.get(member)?.row;
        if (row !== undefined) issues.push({ path: ['row', row, 'parent_code'], message: `parents form a loop: ${[...loop, code].join(' → ')}` });
      }
      return;
    }
    state.set(code, 'visiting');
    const parent = inFile.get(code)?.organisation.parentCode;
    if (parent !== undefined && parent !== null && inFile.has(parent)) visit(parent, [...chain, code]);
    state.set(code, 'done');
  };
  for (const code of inFile.keys()) visit(code, []);
  return issues;
}

/** Orders rows so that every parent in the file precedes its children (the file has no loops by now). */
function parentsFirst(rows: ValidRow[]): ValidRow[] {
  const byCode = new Map(rows.map((r) => [r.organisation.code, r]));
  const placed = new Set<string>();
  const ordered: ValidRow[] = [];
  const place = (row: ValidRow): void => {
    if (placed.has(row.organisation.code)) return;
    placed.add(row.organisation.code);
    const parent = row.organisation.parentCode === null ? undefined : byCode.get(row.organisation.parentCode);
    if (parent !== undefined) place(parent);
    ordered.push(row);
  };
  for (const row of rows) place(row);
  return ordered;
}

function sortByRow(issues: Issue[]): Issue[] {
  const rowOf = (issue: Issue) => (typeof issue.path[1] === 'number' ? issue.path[1] : 0);
  return [...issues].sort((a, b) => rowOf(a) - rowOf(b));
}
