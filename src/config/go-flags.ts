/**
 * Command-line flags with the rules of Go's `flag` package, as DM's binaries parse them: `-name` and `--name`,
 * `=value` or a separate value, booleans without a value, `--` ends the flags; plus the help text layout.
 * Shared by dm-master and dm-worker (DM's single-dash long flags such as `-master-addr` must keep working).
 */


export type FlagKind = 'bool' | 'string' | 'int' | 'uint' | 'float' | 'list';

export interface FlagDef {
  /** The flag name without dashes (`master-addr`, `L`, `V`). */
  readonly name: string;
  readonly kind: FlagKind;
  /** DM's usage text, shown by `--help`. */
  readonly usage: string;
  /** The default as `--help` shows it (Go prints non-zero defaults). */
  readonly defaultText?: string;
}

/** What the command line said: the flags actually given (last one wins; list flags accumulate). */
export interface GivenFlags {
  readonly values: ReadonlyMap<string, string | boolean | number | readonly string[]>;
  readonly help: boolean;
  /** Arguments left after the first non-flag argument (DM rejects the first as an invalid flag). */
  readonly rest: readonly string[];
}

const GO_BOOL: Readonly<Record<string, boolean>> = {
  '1': true, t: true, T: true, true: true, TRUE: true, True: true,
  '0': false, f: false, F: false, false: false, FALSE: false, False: false,
};

/** Go's strconv.ParseInt(s, 0, 64): decimal, 0x/0o/0b/0 prefixes, `_` separators; undefined if invalid. */
export function parseGoInt(s: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(s);
  if (!m) return undefined;
  let body = (m[2] ?? '').replace(/_/g, '');
  if (/^0[0-7]+$/.test(body)) body = `0o${body.slice(1)}`;
  const v = Number(body);
  if (!Number.isSafeInteger(v)) return undefined;
  return m[1] === '-' ? -v : v;
}

/**
 * Parses `argv` as Go's `flag.FlagSet.Parse` does: `-name`, `--name`, `-name=value`, `-name value` (not for
 * booleans), parsing stops at the first non-flag argument or after `--`; `-h`/`-help` ask for help.
 * Errors are plain `Error`s with Go's messages; callers wrap them in their component's code.
 */
export function parseGoFlags(argv: readonly string[], defs: readonly FlagDef[]): GivenFlags {
  const byName = new Map(defs.map((d) => [d.name, d]));
  const values = new Map<string, string | boolean | number | readonly string[]>();
  let help = false;
  let i = 0;
  while (i < argv.length) {
    const s = argv[i] ?? '';
    if (s.length < 2 || s[0] !== '-') break;
    let minuses = 1;
    if (s[1] === '-') {
      minuses = 2;
      if (s.length === 2) {
        i++;
        break;
      }
    }
    let name = s.slice(minuses);
    if (name.length === 0 || name[0] === '-' || name[0] === '=') throw new Error(`bad flag syntax: ${s}`);
    i++;
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq > 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const def = byName.get(name);
    if (!def) {
      if (name === 'help' || name === 'h') {
        help = true;
        continue;
      }
      throw new Error(`flag provided but not defined: -${name}`);
    }
    if (def.kind === 'bool') {
      if (value === undefined) values.set(name, true);
      else {
        const b = GO_BOOL[value];
        if (b === undefined) throw new Error(`invalid boolean value ${JSON.stringify(value)} for -${name}: parse error`);
        values.set(name, b);
      }
      continue;
    }
    if (value === undefined) {
      if (i >= argv.length) throw new Error(`flag needs an argument: -${name}`);
      value = argv[i++] ?? '';
    }
    values.set(name, convertFlagValue(def, value, values.get(name)));
  }
  return { values, help, rest: argv.slice(i) };
}

function convertFlagValue(def: FlagDef, value: string, previous: unknown): string | number | readonly string[] {
  const bad = (): Error => new Error(`invalid value ${JSON.stringify(value)} for flag -${def.name}: parse error`);
  switch (def.kind) {
    case 'string':
      return value;
    case 'list':
      return [...(Array.isArray(previous) ? (previous as string[]) : []), value];
    case 'int':
    case 'uint': {
      const n = parseGoInt(value);
      if (n === undefined || (def.kind === 'uint' && n < 0)) throw bad();
      return n;
    }
    case 'float': {
      if (!/^[+-]?(\d[\d_]*(\.[\d_]*)?|\.\d[\d_]*)([eE][+-]?\d+)?$/.test(value) && !/^[+-]?(inf|infinity)$/i.test(value)) throw bad();
      return Number(value.replace(/_/g, ''));
    }
    default:
      throw bad();
  }
}

/** `--help` text in Go's `flag.PrintDefaults` layout. */
export function formatFlagHelp(command: string, defs: readonly FlagDef[]): string {
  const lines = [`Usage of ${command}:`];
  for (const d of [...defs].sort((a, b) => a.name.localeCompare(b.name))) {
    const arg = d.kind === 'bool' ? '' : d.kind === 'string' || d.kind === 'list' ? ' string' : d.kind === 'float' ? ' float' : d.kind === 'uint' ? ' uint' : ' int';
    lines.push(`  -${d.name}${arg}`);
    lines.push(`    \t${d.usage}${d.defaultText !== undefined ? ` (default ${d.defaultText})` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

