/**
 * Typed domain errors. Every error the product raises on purpose carries a stable `code`;
 * the edges (HTTP, CLI) map codes to statuses and exit codes in exactly one place each.
 */
export type Issue = {
  /** Where the problem is: a JSON path, or ["row", 12, "email"] for a CSV cell. */
  path: (string | number)[];
  message: string;
};

export type DomainErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'conflict'
  | 'unauthenticated'
  | 'forbidden'
  | 'invalid_state'
  | 'locked';

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly issues: Issue[];

  constructor(code: DomainErrorCode, message: string, options: { issues?: Issue[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'DomainError';
    this.code = code;
    this.issues = options.issues ?? [];
  }
}

export const validationFailed = (message: string, issues: Issue[]): DomainError =>
  new DomainError('validation_failed', message, { issues });

export const notFound = (what: string, id: string): DomainError =>
  new DomainError('not_found', `${what} ${id} was not found`);

export const conflict = (message: string): DomainError => new DomainError('conflict', message);

export const invalidState = (message: string): DomainError => new DomainError('invalid_state', message);
