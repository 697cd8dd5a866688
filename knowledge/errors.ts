import type { BrokenGoldenQuestion } from './types';

/** Stable codes callers switch on; the routes map them to HTTP statuses. */
export type KnowledgeErrorCode = 'invalid_input' | 'not_found' | 'conflict' | 'golden_broken';

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
 * The change would take away answers the golden questions pin down (see golden.ts): nothing
 * was written. `broken` names each question and what the bot would answer instead; writing
 * again with `force` goes ahead.
 */
export class GoldenQuestionsBrokenError extends KnowledgeError {
  readonly code = 'golden_broken';
  constructor(readonly broken: readonly BrokenGoldenQuestion[]) {
    const first = broken[0];
    super(
      `This change breaks ${broken.length} golden question${broken.length === 1 ? '' : 's'}` +
        (first
          ? ` (e.g. "${first.q}" would get ${first.after ?? 'no direct answer'} instead of ${first.expected ?? 'no direct answer'})`
          : '') +
        ' — nothing was saved; change the entries, or save anyway (force)',
    );
    this.name = 'GoldenQuestionsBrokenError';
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
