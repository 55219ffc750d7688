/**
 * DM's precheck result shapes (`dm/pkg/checker`: Result, Error, Summary, Results) and the one way to build a
 * result: a {@link ResultBuilder} collects errors and warnings, and the state follows from them — any
 * failure makes the item `fail`, otherwise any warning makes it `warn`, otherwise `success`. States use DM's
 * JSON spellings (`success`, `fail`, `warn`), so tools reading DM's `check-task` output read ours.
 */

export type CheckState = 'success' | 'fail' | 'warn';

/** One problem found by a check item (DM's checker.Error; `short_error` is DM's JSON key). */
export interface CheckError {
  readonly severity: CheckState;
  readonly short_error: string;
  /** Shard consistency: the first table's side of a difference. */
  readonly self?: string;
  /** Shard consistency: the other table's side. */
  readonly other?: string;
}

/** The outcome of one check item on one source (or one shard group), before it is numbered. */
export interface ItemResult {
  readonly name: string;
  readonly desc: string;
  readonly state: CheckState;
  readonly errors?: readonly CheckError[];
  readonly instruction?: string;
  readonly extra?: string;
}

/** A numbered result as printed. */
export interface CheckResult extends ItemResult {
  readonly id: number;
}

export interface CheckSummary {
  readonly passed: boolean;
  readonly total: number;
  readonly successful: number;
  readonly failed: number;
  readonly warning: number;
}

export interface CheckResults {
  readonly summary: CheckSummary;
  readonly results: readonly CheckResult[];
}

/** Accumulates the errors of one result; the state is derived when it is built. */
export class ResultBuilder {
  private readonly errors: CheckError[] = [];
  private instruction = '';

  constructor(
    private readonly name: string,
    private readonly desc: string,
    private extra = '',
  ) {}

  /** A failure; `instruction` (what to do) replaces any earlier one. */
  fail(message: string, instruction?: string, sides?: { self: string; other: string }): this {
    this.errors.push({ severity: 'fail', short_error: message, ...sides });
    if (instruction) this.instruction = instruction;
    return this;
  }

  warn(message: string, instruction?: string): this {
    this.errors.push({ severity: 'warn', short_error: message });
    if (instruction) this.instruction = instruction;
    return this;
  }

  /** The check itself could not run (a query failed): a failure carrying the error text. */
  error(e: unknown): this {
    return this.fail(e instanceof Error ? e.message : String(e));
  }

  setExtra(extra: string): this {
    this.extra = extra;
    return this;
  }

  get failed(): boolean {
    return this.errors.some((e) => e.severity === 'fail');
  }

  build(): ItemResult {
    const state: CheckState = this.failed ? 'fail' : this.errors.length > 0 ? 'warn' : 'success';
    return {
      name: this.name,
      desc: this.desc,
      state,
      ...(this.errors.length > 0 ? { errors: [...this.errors] } : {}),
      ...(this.instruction && state !== 'success' ? { instruction: this.instruction } : {}),
      ...(this.extra ? { extra: this.extra } : {}),
    };
  }
}

export interface SummariseOptions {
  /** Failed results shown at most (DM's `check-task --error`, default 10). */
  readonly errorLimit?: number;
  /** Warning results shown at most (DM's `check-task --warn`, default 10). */
  readonly warnLimit?: number;
  /** Keep passed results in the list (DM omits them). */
  readonly showPassed?: boolean;
}

/**
 * Numbers the results in order (ids from 0 as DM), counts them, and keeps what is shown: failures and
 * warnings up to their limits, passed results only when asked. The summary always counts everything.
 */
export function summarise(items: readonly ItemResult[], opts: SummariseOptions = {}): CheckResults {
  const errorLimit = opts.errorLimit ?? 10;
  const warnLimit = opts.warnLimit ?? 10;
  const numbered = items.map((r, id): CheckResult => ({ id, ...r }));
  const failed = numbered.filter((r) => r.state === 'fail').length;
  const warning = numbered.filter((r) => r.state === 'warn').length;
  let shownErrors = 0;
  let shownWarnings = 0;
  const results = numbered.filter((r) => {
    if (r.state === 'fail') return shownErrors++ < errorLimit;
    if (r.state === 'warn') return shownWarnings++ < warnLimit;
    return opts.showPassed === true;
  });
  return {
    summary: { passed: failed === 0, total: numbered.length, successful: numbered.length - failed - warning, failed, warning },
    results,
  };
}
