/**
 * DM's source configuration (`source.yaml`, the file `operate-source create` takes): one upstream MySQL/MariaDB
 * instance or replication group. Parsing applies DM's defaults and DM's checks (`SourceConfig.Verify`) with
 * DM's error codes; checks that need the upstream (flavor/server-id auto-detection, `gtid_mode`,
 * `lower_case_table_names`) belong to the code that connects.
 *
 * Invariants: the result is deeply frozen; `from.password` is the decrypted plaintext; printing the config
 * (`JSON.stringify`, `console.log`) shows the password as `******`.
 */
import { z } from 'zod';
import type { DbConfig } from '../mysql/db-config.js';
import { parseGtidSet } from '../binlog/gtid/gtid-set.js';
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';
import { addRedactedPrinting, dbSchema, deepFreeze, toDbConfig } from './db-section.js';
import { formatGoDuration, isValidBinlogFilename, parseGoDuration } from './go-compat.js';
import { filterSchema, findDuplicatePattern, toFilterRule, validateFilterRule, type BinlogEventRule } from './rules.js';
import { ConfigProblems, decodeWith, parseYaml, readConfigFile, yAnyMapping, yBool, yInt, yList, yNumber, yObject, yString } from './yaml-file.js';

/** DM's limit on `source-id` length. */
export const MAX_SOURCE_ID_LENGTH = 32;

export interface PurgeConfig {
  /** Seconds between relay-log purge checks (default 3600). */
  readonly interval: number;
  /** Hours after which unused relay files are purged; 0 = no time-based purge (default 0). */
  readonly expires: number;
  /** GB of free disk below which relay files are purged (default 15). */
  readonly remainSpace: number;
}

export interface CheckerConfig {
  /** Automatic resume of paused tasks (default true). */
  readonly checkEnable: boolean;
  readonly backoffRollbackMs: number;
  readonly backoffMaxMs: number;
  /** Fixed by DM whatever the file says (5s / 1s / true / 2), as here. */
  readonly checkIntervalMs: number;
  readonly backoffMinMs: number;
  readonly backoffJitter: boolean;
  readonly backoffFactor: number;
}

export interface SourceConfig {
  /** The file the config came from (for messages). */
  readonly fileName: string;
  readonly sourceId: string;
  readonly enableGtid: boolean;
  /** Deprecated since DM v2.0.2 (`start-relay`), still honoured as "this source wants relay". */
  readonly enableRelay: boolean;
  /** Deprecated, no effect. */
  readonly autoFixGtid: boolean;
  readonly relayBinlogName: string;
  readonly relayBinlogGtid: string;
  /** Default `relay-dir` (relative to the worker's working directory). */
  readonly relayDir: string;
  /** Legacy, unused. */
  readonly metaDir: string;
  /** Absent: detected from the upstream at connect time. */
  readonly flavor?: 'mysql' | 'mariadb' | undefined;
  /** Absent: a random id not used by the upstream's replicas is chosen at connect time. */
  readonly serverId?: number | undefined;
  /** Connection charset ('' = default). */
  readonly charset: string;
  readonly from: DbConfig;
  readonly purge: PurgeConfig;
  readonly checker: CheckerConfig;
  /** Case sensitivity of the source-level filters (DM adjusts it from `lower_case_table_names` on create). */
  readonly caseSensitive: boolean;
  /** Source-level binlog event filters, named `source-filter-<index>`. */
  readonly filters: readonly BinlogEventRule[];
  /** Deprecated keys that were set, and what DM does about them. */
  readonly warnings: readonly string[];
}

const DEFAULTS = {
  relayDir: 'relay-dir',
  purge: { interval: 3600, expires: 0, remainSpace: 15 },
  backoffRollbackMs: 5 * 60_000,
  backoffMaxMs: 5 * 60_000,
  checkIntervalMs: 5_000,
  backoffMinMs: 1_000,
  backoffJitter: true,
  backoffFactor: 2,
} as const;

const durationString = yString();

const sourceSchema = yObject({
  'source-id': yString(),
  'enable-gtid': yBool(),
  'enable-relay': yBool(),
  'auto-fix-gtid': yBool(),
  'relay-binlog-name': yString(),
  'relay-binlog-gtid': yString(),
  'relay-dir': yString(),
  'meta-dir': yString(),
  flavor: yString(),
  'server-id': yInt(0, 0xffffffff),
  charset: yString(),
  from: dbSchema,
  purge: yObject({ interval: yInt(0), expires: yInt(0), 'remain-space': yInt(0) }),
  checker: yObject({
    'check-enable': yBool(),
    'backoff-rollback': durationString,
    'backoff-max': durationString,
    'check-interval': durationString,
    'backoff-min': durationString,
    'backoff-jitter': yBool(),
    'backoff-factor': yNumber(0),
  }),
  tracer: yAnyMapping(),
  'case-sensitive': yBool(),
  filters: yList(filterSchema, 'filter rules'),
});

type RawSource = NonNullable<z.output<typeof sourceSchema>>;

/** Reads and parses a source.yaml file. */
export function loadSourceConfig(path: string): SourceConfig {
  return parseSourceConfig(readConfigFile(path), path);
}

/** Parses source.yaml text; `fileName` is used in messages only. */
export function parseSourceConfig(text: string, fileName: string): SourceConfig {
  const parsed = parseYaml(text, fileName);
  const raw: RawSource = decodeWith(parsed, sourceSchema, 'source') ?? {};
  const p = new ConfigProblems(parsed);
  const warnings: string[] = [];

  const sourceId = raw['source-id'] ?? '';
  if (!sourceId) throw p.error(E.WorkerNeedSourceID, [], ['source-id']);
  if (sourceId.length > MAX_SOURCE_ID_LENGTH) throw p.error(E.WorkerTooLongSourceID, [sourceId, MAX_SOURCE_ID_LENGTH], ['source-id']);

  const relayBinlogName = raw['relay-binlog-name'] ?? '';
  if (relayBinlogName && !isValidBinlogFilename(relayBinlogName)) {
    throw p.error(E.WorkerRelayBinlogName, [relayBinlogName], ['relay-binlog-name'], { note: 'expected <base>.<positive number>, e.g. mysql-bin.000002' });
  }
  const flavorText = (raw.flavor ?? '').toLowerCase();
  if (flavorText !== '' && flavorText !== 'mysql' && flavorText !== 'mariadb') {
    throw p.error(E.NotSupportedFlavor, [raw.flavor], ['flavor'], { note: 'allowed: mysql (also for Percona, Aurora, RDS), mariadb, or leave it unset to detect' });
  }
  const flavor = flavorText === '' ? undefined : flavorText;
  const relayBinlogGtid = raw['relay-binlog-gtid'] ?? '';
  if (relayBinlogGtid) checkGtid(relayBinlogGtid, flavor, p, ['relay-binlog-gtid']);

  const from = toDbConfig(raw.from, ['from'], p);

  const caseSensitive = raw['case-sensitive'] ?? false;
  const filters = (raw.filters ?? []).map((f, i) => {
    const rule = toFilterRule(`source-filter-${i}`, f);
    validateFilterRule(rule, ['filters', i], p);
    return rule;
  });
  const dup = findDuplicatePattern(filters, caseSensitive);
  if (dup) {
    const i = filters.indexOf(dup[1]);
    throw p.error(E.ConfigBinlogEventFilter, [`pattern ${dup[1].schemaPattern}.${dup[1].tablePattern} already exists (also ${dup[0].name})`], ['filters', i]);
  }

  const dur = (key: 'backoff-rollback' | 'backoff-max' | 'check-interval' | 'backoff-min', dflt: number): number => {
    const v = raw.checker?.[key];
    if (v === undefined) return dflt;
    try {
      return parseGoDuration(v);
    } catch (e) {
      throw p.invalid(['checker', key], (e as Error).message.replace(/^"[^"]*" is not a duration; /, 'expected a duration: '));
    }
  };
  // DM's Checker.Adjust overwrites these four "hidden" keys with fixed values; parse them anyway so a
  // malformed value is still reported, then apply DM's values
  dur('check-interval', DEFAULTS.checkIntervalMs);
  dur('backoff-min', DEFAULTS.backoffMinMs);
  const checker: CheckerConfig = {
    checkEnable: raw.checker?.['check-enable'] ?? true,
    backoffRollbackMs: dur('backoff-rollback', DEFAULTS.backoffRollbackMs),
    backoffMaxMs: dur('backoff-max', DEFAULTS.backoffMaxMs),
    checkIntervalMs: DEFAULTS.checkIntervalMs,
    backoffMinMs: DEFAULTS.backoffMinMs,
    backoffJitter: DEFAULTS.backoffJitter,
    backoffFactor: DEFAULTS.backoffFactor,
  };
  if (checker.backoffMaxMs < checker.backoffMinMs) {
    throw p.error(E.ConfigCheckerMaxTooSmall, [formatGoDuration(checker.backoffMaxMs), formatGoDuration(checker.backoffMinMs)], ['checker', 'backoff-max']);
  }

  if (raw['auto-fix-gtid']) warnings.push('`auto-fix-gtid` is deprecated and has no effect');
  if (raw['meta-dir']) warnings.push('`meta-dir` is a legacy key and has no effect');
  if (raw.tracer && Object.keys(raw.tracer).length > 0) warnings.push('`tracer` is a legacy key and has no effect');
  if (raw['enable-relay']) warnings.push('`enable-relay` is deprecated since DM v2.0.2; prefer `start-relay` (still honoured)');
  if (raw['enable-relay'] && raw['enable-gtid']) {
    warnings.push('`enable-gtid` and `enable-relay` are both true: DM v2.0.1 lost data in this combination; make sure the relay log starts at a known GTID');
  }

  const cfg: SourceConfig = {
    fileName,
    sourceId,
    enableGtid: raw['enable-gtid'] ?? false,
    enableRelay: raw['enable-relay'] ?? false,
    autoFixGtid: raw['auto-fix-gtid'] ?? false,
    relayBinlogName,
    relayBinlogGtid,
    relayDir: raw['relay-dir'] || DEFAULTS.relayDir,
    metaDir: raw['meta-dir'] ?? '',
    flavor,
    serverId: raw['server-id'] || undefined,
    charset: raw.charset ?? '',
    from,
    purge: {
      interval: raw.purge?.interval ?? DEFAULTS.purge.interval,
      expires: raw.purge?.expires ?? DEFAULTS.purge.expires,
      remainSpace: raw.purge?.['remain-space'] ?? DEFAULTS.purge.remainSpace,
    },
    checker,
    caseSensitive,
    filters,
    warnings,
  };
  addRedactedPrinting(cfg);
  return deepFreeze(cfg);
}

/** Parses a GTID set text with the source's flavor, or MySQL then MariaDB syntax when the flavor is not set (as DM). */
export function checkGtid(text: string, flavor: 'mysql' | 'mariadb' | undefined, p: ConfigProblems, path: readonly (string | number)[]): void {
  const flavors = flavor ? [flavor] : (['mysql', 'mariadb'] as const);
  let last: unknown;
  for (const f of flavors) {
    try {
      parseGtidSet(f, text);
      return;
    } catch (e) {
      last = e;
    }
  }
  const why = last instanceof DmError ? last.detail : last instanceof Error ? last.message : String(last);
  throw p.error(E.ParseGTID, [text], path, { note: `${why}; expected ${flavor ?? 'a MySQL (uuid:1-5) or MariaDB (0-1-100)'} GTID set`, cause: last });
}
