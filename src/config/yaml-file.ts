/**
 * Reading DM's YAML config files as DM reads them (Go, `gopkg.in/yaml.v2`, `UnmarshalStrict`), with errors a
 * DBA can act on: every problem names the file, the line, the key path, what was found and what is allowed.
 *
 * The pipeline is: YAML 1.1 text → a plain tree (null-prototype objects, arrays, {@link YamlScalar} leaves that
 * keep the scalar's source text) → a zod schema built from the `y*` leaf helpers below → typed raw values the
 * config modules validate further with DM's coded checks.
 *
 * Invariants (DM compatibility):
 * - YAML 1.1 scalars: `yes`/`no`/`on`/`off` are booleans, `<<` merge keys and anchors work, duplicate keys fail.
 * - A string-typed key takes the scalar's text as written, whatever YAML would resolve it to: `password: 123456`
 *   is the string "123456", `password: yes` is "yes" (yaml.v2 does the same).
 * - `key:` with no value (null) means "not set", so the key's default applies.
 * - Unknown keys are errors (strict decoding).
 * - No message ever contains a password: values under a `password` key are shown as `******`, and YAML syntax
 *   errors on a line that mentions a password are reported without quoting the line.
 */
import { readFileSync } from 'node:fs';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { DmError, type ErrorDef } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';
import { closest } from './go-compat.js';

export type KeyPath = readonly (string | number)[];

/** A YAML scalar as written: its YAML 1.1 value (string, number, boolean, null, Date...) and its source text. */
export class YamlScalar {
  constructor(
    readonly value: unknown,
    readonly text: string,
  ) {}
}

export interface LinePos {
  readonly line: number;
  readonly col: number;
}

/** A parsed config file: the plain tree plus where each key was written. */
export class ParsedYaml {
  constructor(
    readonly fileName: string,
    /** Null-prototype objects, arrays and YamlScalar leaves; an empty document is an empty object. */
    readonly root: unknown,
    private readonly positions: ReadonlyMap<string, LinePos>,
  ) {}

  /** Line and column (1-based) of the key (map entries) or item (lists) at `path`. */
  position(path: KeyPath): LinePos | undefined {
    for (let n = path.length; n >= 0; n--) {
      const p = this.positions.get(pathKey(path.slice(0, n)));
      if (p) return p;
    }
    return undefined;
  }

  /** The raw tree value at `path`, or undefined. */
  at(path: KeyPath): unknown {
    let cur: unknown = this.root;
    for (const seg of path) {
      if (Array.isArray(cur) && typeof seg === 'number') cur = cur[seg];
      else if (isTreeObject(cur) && typeof seg === 'string' && Object.hasOwn(cur, seg)) cur = cur[seg];
      else return undefined;
    }
    return cur;
  }

  /** `file:line:col` of a key path (just the file when the key is not in the file). */
  locate(path: KeyPath): string {
    const p = this.position(path);
    return p ? `${this.fileName}:${p.line}:${p.col}` : this.fileName;
  }
}

function pathKey(path: KeyPath): string {
  return JSON.stringify(path);
}

function isTreeObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof YamlScalar);
}

/** `mysql-instances[0].route-rules[1]`; the empty path is "(top level)". */
export function formatPath(path: KeyPath): string {
  if (path.length === 0) return '(top level)';
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

/** Whether the value at this path may be a secret and must never be shown. */
export function isSecretPath(path: KeyPath): boolean {
  const last = path[path.length - 1];
  if (typeof last === 'string' && /password|secret/i.test(last)) return true;
  // a DB block written as one scalar (`from: user:pw@host`) could hold a password
  return path.length === 1 && (last === 'from' || last === 'target-database');
}

/** How a raw tree value is shown in a message: quoted text, masked for secrets. */
export function showValue(v: unknown, path: KeyPath): string {
  if (v === undefined) return 'nothing';
  if (v instanceof YamlScalar) {
    if (v.value === null) return 'an empty value';
    return isSecretPath(path) ? '******' : JSON.stringify(v.text);
  }
  if (Array.isArray(v)) return 'a list';
  return 'a mapping';
}

/** Reads a config file; a missing or unreadable file is DM's 20018 ConfigReadCfgFromFile. */
export function readConfigFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : e instanceof Error ? e.message : String(e);
    throw new DmError(E.ConfigReadCfgFromFile, `${E.ConfigReadCfgFromFile.message.replace('%s', path)}: ${why}`, { cause: e });
  }
}

const MAX_DEPTH = 64;

/** Parses YAML 1.1 text into the plain tree; syntax errors are DM's 20003 ConfigYamlTransform. */
export function parseYaml(text: string, fileName: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { version: '1.1', merge: true, uniqueKeys: true, prettyErrors: false, lineCounter, keepSourceTokens: false });
  const lines = text.split(/\r?\n/);
  const toPos = (offset: number): LinePos => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, col };
  };
  if (doc.errors.length > 0) {
    const msgs = doc.errors.slice(0, 5).map((err) => {
      const pos = toPos(err.pos[0]);
      const srcLine = lines[pos.line - 1] ?? '';
      // the parser may quote a fragment of the offending scalar; never let that be a password
      const msg = /password|secret/i.test(srcLine)
        ? `${err.code} (details hidden: this line holds a password)`
        : err.code === 'MULTIPLE_DOCS'
          ? 'the file holds more than one YAML document ("---"); a config file holds exactly one'
          : err.message.split('\n')[0];
      return `${fileName}:${pos.line}:${pos.col}: ${msg}`;
    });
    throw yamlError(fileName, msgs);
  }
  const positions = new Map<string, LinePos>();
  const root: unknown = doc.contents === null ? (Object.create(null) as object) : convert(doc, doc.contents, [], positions, toPos, 0, fileName);
  return new ParsedYaml(fileName, root, positions);
}

function yamlError(fileName: string, lines: readonly string[]): DmError {
  return DmError.of(E.ConfigYamlTransform, [`decode ${fileName}:\n  ${lines.join('\n  ')}`]);
}

function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  const v = key.value;
  return (typeof v === 'symbol' && v.description === '<<') || (v === '<<' && key.type === 'PLAIN');
}

function convert(
  doc: Document.Parsed,
  node: unknown,
  path: (string | number)[],
  positions: Map<string, LinePos>,
  toPos: (offset: number) => LinePos,
  depth: number,
  fileName: string,
): unknown {
  if (depth > MAX_DEPTH) throw yamlError(fileName, [`${formatPath(path)}: nested too deeply (recursive alias?)`]);
  if (node === null || node === undefined) return new YamlScalar(null, '');
  if (isAlias(node)) {
    const target = node.resolve(doc);
    if (!target) throw yamlError(fileName, [`${formatPath(path)}: alias *${node.source} has no anchor`]);
    return convert(doc, target, path, positions, toPos, depth + 1, fileName);
  }
  const range = (node as YamlNode).range;
  if (range && !positions.has(pathKey(path))) positions.set(pathKey(path), toPos(range[0]));
  if (isScalar(node)) {
    const v = node.value;
    const text = node.source ?? plainText(v);
    return new YamlScalar(v, text);
  }
  if (isSeq(node)) {
    return node.items.map((item, i) => convert(doc, item, [...path, i], positions, toPos, depth + 1, fileName));
  }
  if (isMap(node)) {
    const obj: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    const merges: unknown[] = [];
    for (const pair of node.items) {
      if (isMergeKey(pair.key)) {
        merges.push(pair.value);
        continue;
      }
      const key = keyText(pair.key);
      if (key === undefined) {
        const at = isScalar(pair.key) || isMap(pair.key) || isSeq(pair.key) ? pair.key.range : undefined;
        const where = at ? `${fileName}:${toPos(at[0]).line}:${toPos(at[0]).col}` : fileName;
        throw yamlError(fileName, [`${where}: ${formatPath(path)}: a key must be a plain string`]);
      }
      const keyRange = (pair.key as YamlNode | null)?.range;
      if (keyRange) positions.set(pathKey([...path, key]), toPos(keyRange[0]));
      obj[key] = convert(doc, pair.value, [...path, key], positions, toPos, depth + 1, fileName);
    }
    // `<<: *base` / `<<: [*a, *b]`: keys written in this mapping win, then earlier merge sources win
    for (const m of merges) {
      const src = isAlias(m) ? m.resolve(doc) : m;
      const sources = isSeq(src) ? src.items.map((it) => (isAlias(it) ? it.resolve(doc) : it)) : [src];
      for (const s of sources) {
        const merged = convert(doc, s, path, positions, toPos, depth + 1, fileName);
        if (!isTreeObject(merged)) throw yamlError(fileName, [`${formatPath(path)}: a << merge source must be a mapping`]);
        for (const [k, v] of Object.entries(merged)) if (!Object.hasOwn(obj, k)) obj[k] = v;
      }
    }
    return obj;
  }
  throw yamlError(fileName, [`${formatPath(path)}: unsupported YAML node`]);
}

/** Text of a scalar value built without source text (only for nodes not read from a file). */
function plainText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'symbol') return v.description ?? '';
  if (v instanceof Date) return v.toISOString();
  return '';
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) {
    const v = key.value;
    if (v === null || typeof v === 'object' || typeof v === 'symbol') return undefined;
    return key.source ?? plainText(v);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Schema leaves. Every leaf is optional (absent or null → undefined): DM gives every key a default, and the
// config modules apply defaults and "required" checks with DM's own error codes.

function scalarText(v: unknown): unknown {
  if (v instanceof YamlScalar) return v.value === null ? undefined : v.text;
  return v;
}

function scalarValue(v: unknown): unknown {
  if (v instanceof YamlScalar) return v.value === null ? undefined : typeof v.value === 'bigint' ? Number(v.value) : v.value;
  return v;
}

function container(v: unknown): unknown {
  // a scalar where a mapping/list belongs: hand zod the plain value so it reports the type mismatch
  if (v instanceof YamlScalar) return v.value === null ? undefined : v.value;
  return v;
}

/** A string key: any scalar, as written. */
export function yString() {
  return z.preprocess(scalarText, z.string({ error: 'expected a string' }).optional());
}

/** A list item that must be a string; an empty item is the empty string. */
function yStringItem() {
  return z.preprocess((v) => (v instanceof YamlScalar ? (v.value === null ? '' : v.text) : v), z.string({ error: 'expected a string' }));
}

/** One of a fixed set of strings. */
export function yEnum<const T extends readonly [string, ...string[]]>(values: T, opts: { caseInsensitive?: boolean } = {}) {
  const allowed = `expected one of: ${values.map((v) => (v === '' ? '""' : v)).join(', ')}`;
  return z.preprocess(
    (v) => {
      const t = scalarText(v);
      return opts.caseInsensitive && typeof t === 'string' ? (values.find((x) => x.toLowerCase() === t.toLowerCase()) ?? t) : t;
    },
    z.enum(values, { error: allowed }).optional(),
  );
}

function rangeText(min: number, max: number): string {
  if (max >= Number.MAX_SAFE_INTEGER) return min === 0 ? 'a non-negative integer' : `an integer >= ${min}`;
  return `an integer from ${min} to ${max}`;
}

/** An integer key within [min, max]. */
export function yInt(min = 0, max = Number.MAX_SAFE_INTEGER) {
  const what = `expected ${rangeText(min, max)}`;
  return z.preprocess(scalarValue, z.number({ error: what }).int({ error: what }).min(min, { error: what }).max(max, { error: what }).optional());
}

/** A number key (integer or decimal) of at least `min`. */
export function yNumber(min = 0) {
  const what = `expected a number >= ${min}`;
  return z.preprocess(scalarValue, z.number({ error: what }).min(min, { error: what }).optional());
}

/** A boolean key: YAML 1.1 true/false/yes/no/on/off. */
export function yBool() {
  return z.preprocess(scalarValue, z.boolean({ error: 'expected true or false' }).optional());
}

/** A list of strings. */
export function yStringList() {
  return z.preprocess(container, z.array(yStringItem(), { error: 'expected a list of strings, e.g. ["a", "b"]' }).optional());
}

/** A list of items of `item`'s schema. */
export function yList<T extends z.ZodType>(item: T, what: string) {
  return z.preprocess(container, z.array(item, { error: `expected a list of ${what}` }).optional());
}

/** A mapping with exactly these keys (all optional). */
export function yObject<S extends z.ZodRawShape>(shape: S, what = 'a mapping (key: value pairs)') {
  const keys = Object.keys(shape);
  return z.preprocess(
    container,
    z
      .strictObject(shape, {
        error: (iss) => (iss.code === 'unrecognized_keys' ? `allowed keys: ${keys.join(', ')}` : `expected ${what}`),
      })
      .optional(),
  );
}

/** A mapping from user-chosen names to values of `value`'s schema (named rule sets, session variables). */
export function yRecord<T extends z.ZodType>(value: T, what: string) {
  return z.preprocess(container, z.record(z.string(), value, { error: `expected a mapping of ${what}` }).optional());
}

/** A session-variable map: names to scalars, kept as text (DM sends every value quoted). */
export function yStringMap() {
  return yRecord(yStringItem(), 'names to values');
}

/** Any mapping, accepted and not interpreted (DM's legacy `tracer`). */
export function yAnyMapping() {
  return z.preprocess(container, z.record(z.string(), z.unknown(), { error: 'expected a mapping' }).optional());
}

// ---------------------------------------------------------------------------------------------------------

/** Validates the tree against a schema; every issue becomes one line of a 20003 ConfigYamlTransform error. */
export function decodeWith<S extends z.ZodType>(parsed: ParsedYaml, schema: S, kind: string): z.output<S> {
  const r = schema.safeParse(parsed.root);
  if (r.success) return r.data;
  const lines: { at: LinePos | undefined; text: string }[] = [];
  const add = (path: KeyPath, text: string): void => {
    lines.push({ at: parsed.position(path), text: `${parsed.locate(path)}: ${text}` });
  };
  for (const iss of r.error.issues) {
    const path = iss.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (iss.code === 'unrecognized_keys') {
      const allowed = /^allowed keys: (.*)$/.exec(iss.message)?.[1]?.split(', ') ?? [];
      for (const key of iss.keys) {
        const p = [...path, key];
        const hint = closest(key, allowed);
        add(p, `${formatPath(p)}: unknown key${hint ? ` (did you mean "${hint}"?)` : ''}; ${iss.message}`);
      }
    } else {
      add(path, `${formatPath(path)}: ${iss.message}, got ${showValue(parsed.at(path), path)}`);
    }
    if (lines.length >= 20) break;
  }
  // report in file order, as a reader goes through the file
  lines.sort((a, b) => (a.at?.line ?? 0) - (b.at?.line ?? 0) || (a.at?.col ?? 0) - (b.at?.col ?? 0));
  return throwDecode(parsed.fileName, kind, lines.map((l) => l.text));
}

function throwDecode(fileName: string, kind: string, lines: readonly string[]): never {
  throw DmError.of(E.ConfigYamlTransform, [`invalid ${kind} config ${fileName}:\n  ${lines.join('\n  ')}`]);
}

/**
 * Builds DM-coded errors that keep DM's message (so DM's docs and runbooks apply) and add where in which file
 * the problem is: `<DM message> (task.yaml:3:12: task-mode: got "fulll")`.
 */
export class ConfigProblems {
  constructor(readonly parsed: ParsedYaml) {}

  get fileName(): string {
    return this.parsed.fileName;
  }

  /** A coded error pointing at `path`; `value` adds what was found there (masked for secrets). */
  error(def: ErrorDef, args: readonly unknown[], path?: KeyPath, opts: { value?: boolean; note?: string; cause?: unknown } = {}): DmError {
    const base = DmError.of(def, args);
    let where = this.fileName;
    if (path) {
      where = `${this.parsed.locate(path)}: ${formatPath(path)}`;
      if (opts.value) where += `: got ${showValue(this.parsed.at(path), path)}`;
    }
    if (opts.note) where += `; ${opts.note}`;
    return new DmError(def, `${base.detail} (${where})`, opts.cause === undefined ? undefined : { cause: opts.cause });
  }

  /** A 20003 error for a value that has the right type but is not allowed (schema-level rule). */
  invalid(path: KeyPath, what: string): DmError {
    return DmError.of(E.ConfigYamlTransform, [
      `invalid config ${this.parsed.locate(path)}: ${formatPath(path)}: ${what}, got ${showValue(this.parsed.at(path), path)}`,
    ]);
  }
}
