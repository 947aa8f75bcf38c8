import type { Issue } from '../../domain/errors.js';
import { readCsv } from '../csv.js';
import { normaliseCode } from '../../domain/registry/codes.js';
import { ORGANISATION_KIND_LABELS, OrganisationKind } from '../../domain/registry/organisation.js';

/**
 * The organisations CSV. A header row names the columns (any order, case-insensitive); every later
 * row is one organisation. Row numbers are those of the file as a spreadsheet shows it: the header is
 * row 1, blank lines count, and a quoted cell spanning lines is reported at the row it starts on.
 *
 * | column              | required | content                                                                  |
 * |---------------------|----------|--------------------------------------------------------------------------|
 * | code                | yes      | 6-digit 全国地方公共団体コード or 13-digit 法人番号, check digit included;  |
 * |                     |          | full-width digits and hyphens are accepted                               |
 * | kind                | yes      | ministry, prefecture, designated_city, municipality, special_ward,       |
 * |                     |          | quasi_public — or the Japanese label (府省庁, 都道府県, 政令指定都市, …)   |
 * | name_ja, name_en    | yes      | names in Japanese and English                                            |
 * | billing_email       | yes      | where invoices go                                                        |
 * | parent_code         | no       | a municipality's prefecture is derived from its code when left empty;    |
 * |                     |          | otherwise the parent's code (it may appear later in the same file)       |
 * | contact_name, contact_email, contact_role | no | the first contact; role is primary, technical,   |
 * |                     |          | security or billing (default primary)                                    |
 * | contact2_name … contact9_role | no | further contacts, same three columns each                     |
 */
export const REQUIRED_COLUMNS = ['code', 'kind', 'name_ja', 'name_en', 'billing_email'] as const;
const OPTIONAL_COLUMNS = ['parent_code'] as const;
const CONTACT_COLUMN = /^contact([2-9]?)_(name|email|role)$/;

/** Where a field of OrganisationInput lives in the CSV, for reporting. */
const COLUMN_OF_FIELD: Record<string, string> = {
  code: 'code',
  kind: 'kind',
  nameJa: 'name_ja',
  nameEn: 'name_en',
  parentCode: 'parent_code',
  billingEmail: 'billing_email',
};

/** A row's cells under OrganisationInput's field names, not yet validated. */
export type RawOrganisation = {
  code: string;
  kind: string;
  nameJa: string;
  nameEn: string;
  parentCode: string | null;
  billingEmail: string;
  contacts: { name: string; email: string; role?: string }[];
};

export type OrganisationCsvRow = {
  /** The row number in the file (header = 1). */
  row: number;
  input: RawOrganisation;
  /** The code cell, normalised; present even when the row is otherwise invalid. */
  code: string;
  /** Maps an issue path of OrganisationInput to the CSV column it came from. */
  columnOf: (path: readonly PropertyKey[]) => string | undefined;
};

const kindByLabel = new Map<string, string>(
  OrganisationKind.options.flatMap((kind) => [
    [kind, kind],
    [ORGANISATION_KIND_LABELS[kind].ja, kind],
    [ORGANISATION_KIND_LABELS[kind].en.toLowerCase(), kind],
  ]),
);

export function readOrganisationCsv(text: string): { rows: OrganisationCsvRow[]; issues: Issue[] } {
  const { records, issues } = readCsv(text, { required: REQUIRED_COLUMNS, optional: OPTIONAL_COLUMNS, pattern: CONTACT_COLUMN });
  const rows: OrganisationCsvRow[] = [];
  for (const { values, row } of records) {
    const value = (name: string): string => values[name] ?? '';
    const contacts: { name: string; email: string; role?: string }[] = [];
    const contactGroups: string[] = [];
    for (const group of ['', '2', '3', '4', '5', '6', '7', '8', '9']) {
      const [name, email, role] = ['name', 'email', 'role'].map((field) => value(`contact${group}_${field}`));
      if (name === '' && email === '' && role === '') continue;
      contacts.push({ name: name ?? '', email: email ?? '', ...(role === undefined || role === '' ? {} : { role }) });
      contactGroups.push(group);
    }
    const kind = value('kind');
    rows.push({
      row,
      code: normaliseCode(value('code')),
      input: {
        code: value('code'),
        kind: kindByLabel.get(kind) ?? kindByLabel.get(kind.toLowerCase()) ?? kind,
        nameJa: value('name_ja'),
        nameEn: value('name_en'),
        parentCode: value('parent_code') === '' ? null : value('parent_code'),
        billingEmail: value('billing_email'),
        contacts,
      },
      columnOf: (path) => {
        const [field, index, sub] = path;
        if (field === 'contacts' && typeof index === 'number') {
          const group = contactGroups[index];
          return group === undefined ? 'contact_name' : `contact${group}_${typeof sub === 'string' ? sub : 'name'}`;
        }
        return typeof field === 'string' ? COLUMN_OF_FIELD[field] : undefined;
      },
    });
  }
  return { rows, issues };
}
