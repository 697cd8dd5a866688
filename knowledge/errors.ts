/** Stable codes callers switch on; the routes map them to HTTP statuses. */
export type KnowledgeErrorCode = 'invalid_input' | 'not_found' | 'conflict';

/** One problem in an input, located by line (1-based; 0 when the input has no lines) and field. */
export interface FieldProblem {
  line: number;
  field: string;
  message: string;
}

export abstract class KnowledgeError extends Error {
  abstract readonly code: KnowledgeErrorCode;
}

/**
 * The input was wrong. `details` lists every problem found, not just the first, so an editor
 * fixes a file in one pass.
 */
export class InvalidInputError extends KnowledgeError {
  readonly code = 'invalid_input';
  constructor(
    message: string,
    readonly details: readonly FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

export class NotFoundError extends KnowledgeError {
  readonly code = 'not_found';
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends KnowledgeError {
  readonly code = 'conflict';
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/**
 * One error for a whole file: the message lists every problem as
 * `faq.csv line 14: "answer" is empty — every entry needs an answer`.
 */
export function invalidFile(source: string, problems: readonly FieldProblem[]): InvalidInputError {
  const lines = problems.map(
    (p) => `${source}${p.line > 0 ? ` line ${p.line}` : ''}: ${p.message}`,
  );
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return new InvalidInputError(`${source} has ${count}:\n${lines.join('\n')}`, problems);
}
