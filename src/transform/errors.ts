import { HttpError } from '../http/errors';

/** A transformation parameter with a value outside its grammar or bounds: always the client's mistake. */
export class BadParam extends HttpError {
  constructor(
    readonly param: string,
    readonly value: string | undefined,
    readonly accepts: string,
  ) {
    super(
      400,
      value === undefined
        ? `Invalid transformation parameter "${param}": a value is required. Accepted: ${accepts}.`
        : `Invalid transformation parameter "${param}": "${value}". Accepted: ${accepts}.`,
      'See the transformation parameters in the README; values are bounded and case-sensitive.',
    );
    this.name = 'BadParam';
  }
}

export class UnknownParam extends HttpError {
  constructor(token: string, known: readonly string[]) {
    super(
      400,
      `Unknown transformation parameter in "${token}". Accepted parameters: ${known.join(', ')}.`,
      'Parameters are written key-value, separated by "," within a step and ":" between chained steps.',
    );
    this.name = 'UnknownParam';
  }
}

/** A transformation too long or with too many chained steps: its parameters may all be valid. */
export class TransformationTooLarge extends HttpError {
  constructor(what: string, limit: string) {
    super(
      400,
      `The transformation ${what}; the limit is ${limit}.`,
      'Split the work over fewer chained steps, or use a named transformation for a long one.',
    );
    this.name = 'TransformationTooLarge';
  }
}

/** An if- / if-else / if-end block written wrong: unbalanced, nested, or holding an output parameter. */
export class ConditionalError extends HttpError {
  constructor(problem: string) {
    super(
      400,
      `Invalid conditional transformation: ${problem}.`,
      'Write if-<property>_<operator>_<number>,<steps>[,if-else,<steps>],if-end (see the if parameter in the README).',
    );
    this.name = 'ConditionalError';
  }
}
