/**
 * Strict TOML reading for DM's `.toml` configs: unknown keys and wrong types are errors naming the key and its
 * `file:line:col` (with a "did you mean" hint), as DM's `ErrMasterConfigUnknownItem` / worker equivalents.
 */
import { readFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { DmError, type ErrorDef } from '../observability/dm-error.js';
import { closest } from './go-compat.js';
import type { GivenFlags } from './go-flags.js';


export type TomlKind = 'string' | 'int' | 'uint' | 'float' | 'bool' | 'string-list';

/** The keys a TOML file may hold: a kind per key, or a nested table. */
export interface TomlShape {
  readonly [key: string]: TomlKind | TomlShape;
}

export interface TomlErrors {
  /** Unreadable file, syntax error or a value of the wrong type. */
  readonly decode: ErrorDef;
  /** Keys the shape does not have. */
  readonly unknown: ErrorDef;
}

/** The file's values, flattened to dotted keys (`experimental.openapi`) with JS types per {@link TomlKind}. */
export type TomlValues = ReadonlyMap<string, string | number | boolean | readonly string[]>;

/** Line/column (1-based) where `dotted` is written, found by scanning the text (smol-toml keeps no positions). */
export function locateTomlKey(text: string, dotted: string): { line: number; col: number } | undefined {
  const lines = text.split(/\r?\n/);
  let table = '';
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n] ?? '';
    const header = /^\s*\[\s*([^\]]+?)\s*\]/.exec(raw);
    if (header) {
      table = (header[1] ?? '').replace(/\s*\.\s*/g, '.').replace(/"/g, '');
      if (table === dotted) return { line: n + 1, col: raw.indexOf('[') + 1 };
      continue;
    }
    const kv = /^(\s*)("?)([A-Za-z0-9_.-]+)\2\s*=/.exec(raw);
    if (kv) {
      const key = table ? `${table}.${kv[3] ?? ''}` : (kv[3] ?? '');
      if (key === dotted || dotted.startsWith(`${key}.`)) return { line: n + 1, col: (kv[1] ?? '').length + 1 };
    }
  }
  return undefined;
}

function allowedKeys(shape: TomlShape, prefix = ''): string[] {
  return Object.entries(shape).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : allowedKeys(v, `${prefix}${k}.`)));
}

/**
 * Reads a TOML config file strictly: syntax errors and wrong types are `errors.decode`, unknown keys
 * `errors.unknown` (all of them, comma-separated as DM lists them, each with `file:line:col`).
 */
export function readStrictToml(path: string, shape: TomlShape, errors: TomlErrors): TomlValues {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : e instanceof Error ? e.message : String(e);
    throw DmError.of(errors.decode, [`open ${path}: ${why}`], { cause: e });
  }
  return parseStrictToml(text, path, shape, errors);
}

/** {@link readStrictToml} on text already read; `fileName` is for messages. */
export function parseStrictToml(text: string, fileName: string, shape: TomlShape, errors: TomlErrors): TomlValues {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text, { integersAsBigInt: true });
  } catch (e) {
    const err = e as { line?: number; column?: number; message?: string };
    const first = (err.message ?? String(e)).split('\n')[0] ?? '';
    const where = err.line !== undefined ? `${fileName}:${err.line}:${err.column ?? 0}` : fileName;
    throw DmError.of(errors.decode, [`${where}: ${first}`]);
  }
  const out = new Map<string, string | number | boolean | readonly string[]>();
  const unknown: string[] = [];
  const where = (key: string): string => {
    const p = locateTomlKey(text, key);
    return p ? `${fileName}:${p.line}:${p.col}` : fileName;
  };
  const walk = (obj: Record<string, unknown>, sh: TomlShape, prefix: string): void => {
    for (const [k, v] of Object.entries(obj)) {
      const key = prefix + k;
      const kind = Object.hasOwn(sh, k) ? sh[k] : undefined;
      if (kind === undefined) {
        unknown.push(key);
        continue;
      }
      if (typeof kind !== 'string') {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) throw DmError.of(errors.decode, [`${where(key)}: ${key}: expected a table ([${key}])`]);
        walk(v as Record<string, unknown>, kind, `${key}.`);
        continue;
      }
      out.set(key, convertTomlValue(v, kind, () => `${where(key)}: ${key}`, errors.decode));
    }
  };
  walk(doc, shape, '');
  if (unknown.length > 0) {
    const all = allowedKeys(shape);
    const detail = unknown
      .map((k) => {
        const hint = closest(k, all);
        return `${k} (${where(k)}${hint ? `; did you mean "${hint}"?` : ''})`;
      })
      .join(',');
    throw DmError.of(errors.unknown, [detail]);
  }
  return out;
}

function describeToml(v: unknown): string {
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  if (typeof v === 'bigint') return `the integer ${v}`;
  if (typeof v === 'number') return `the float ${v}`;
  if (typeof v === 'boolean') return `the boolean ${v}`;
  if (Array.isArray(v)) return 'an array';
  return 'a table or date';
}

function convertTomlValue(v: unknown, kind: TomlKind, at: () => string, decode: ErrorDef): string | number | boolean | readonly string[] {
  const fail = (what: string): never => {
    throw DmError.of(decode, [`${at()}: expected ${what}, got ${describeToml(v)}`]);
  };
  switch (kind) {
    case 'string':
      return typeof v === 'string' ? v : fail('a string');
    case 'bool':
      return typeof v === 'boolean' ? v : fail('true or false');
    case 'int':
    case 'uint': {
      if (typeof v !== 'bigint') return fail(kind === 'uint' ? 'a non-negative integer' : 'an integer');
      if (kind === 'uint' && v < 0n) return fail('a non-negative integer');
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) return fail('an integer of at most 2^53');
      return Number(v);
    }
    case 'float':
      // BurntSushi/toml decodes an integer literal into a float64 field too
      return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : fail('a number');
    case 'string-list':
      return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : fail('an array of strings, e.g. ["dm"]');
  }
}

/** Flags given on the command line override the file's values (DM parses the flags a second time). */
export function mergeSources(file: TomlValues, flags: GivenFlags, flagToKey: Readonly<Record<string, string>>): TomlValues {
  const out = new Map(file);
  for (const [name, v] of flags.values) {
    if (name === 'V' || name === 'print-sample-config' || name === 'config') continue;
    out.set(flagToKey[name] ?? name, v);
  }
  return out;
}
