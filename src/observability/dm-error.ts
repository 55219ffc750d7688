/**
 * DM-style coded errors. Every error a user can see carries DM's code, class, scope and level and,
 * where there is one, a workaround; it prints as DM prints it:
 * `[code=11126:class=binlog-op:scope=upstream:level=high] message, Workaround: ...`.
 *
 * Errors are values built from a catalogue entry ({@link ErrorDef}); see error-catalogue.ts.
 */

export type ErrorClass =
  | 'database'
  | 'functional'
  | 'binlog-op'
  | 'config'
  | 'checkpoint'
  | 'task-check'
  | 'source-check'
  | 'relay-event-lib'
  | 'relay-unit'
  | 'dump-unit'
  | 'load-unit'
  | 'sync-unit'
  | 'dm-master'
  | 'dm-worker'
  | 'dm-tracer'
  | 'schema-tracker'
  | 'scheduler'
  | 'dmctl'
  | 'openapi'
  | 'not-set';

export type ErrorScope = 'internal' | 'upstream' | 'downstream' | 'not-set';
export type ErrorLevel = 'low' | 'medium' | 'high';

export interface ErrorDef {
  readonly code: number;
  /** DM's name without the `Err` prefix, e.g. `BinlogNotLogColumn`. */
  readonly name: string;
  readonly cls: ErrorClass;
  readonly scope: ErrorScope;
  readonly level: ErrorLevel;
  /** Message template: `%s` placeholders are filled in order by {@link DmError.of}. */
  readonly message: string;
  readonly workaround: string;
}

export class DmError extends Error {
  constructor(
    readonly def: ErrorDef,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(formatDmError(def, detail), options);
    this.name = 'DmError';
  }

  /** Builds an error from a catalogue entry, filling `%s` placeholders with `args` in order. */
  static of(def: ErrorDef, args: readonly unknown[] = [], options?: { cause?: unknown }): DmError {
    let i = 0;
    const detail = def.message.replace(/%s/g, () => (i < args.length ? String(args[i++]) : '?'));
    return new DmError(def, detail, options);
  }

  get code(): number {
    return this.def.code;
  }

  get workaround(): string {
    return this.def.workaround;
  }

  /** The shape query-status and the API show. */
  toJSON(): { ErrCode: number; ErrClass: string; ErrScope: string; ErrLevel: string; Message: string; RawCause: string; Workaround: string } {
    const c: unknown = this.cause;
    const cause = c instanceof Error ? c.message : typeof c === 'string' ? c : c === undefined ? '' : JSON.stringify(c);
    return {
      ErrCode: this.def.code,
      ErrClass: this.def.cls,
      ErrScope: this.def.scope,
      ErrLevel: this.def.level,
      Message: this.detail,
      RawCause: cause,
      Workaround: this.def.workaround,
    };
  }
}

export function formatDmError(def: ErrorDef, detail: string): string {
  const head = `[code=${def.code}:class=${def.cls}:scope=${def.scope}:level=${def.level}] ${detail}`;
  return def.workaround ? `${head}, Workaround: ${def.workaround}` : head;
}

export function isDmError(e: unknown): e is DmError {
  return e instanceof DmError;
}
