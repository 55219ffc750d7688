/**
 * Pure translations between DM's OpenAPI v1 JSON and what dm-master's {@link MasterService} takes and gives:
 * OpenAPI `Source` ⇄ source.yaml text, OpenAPI `Task` ⇄ task.yaml text, `ListMember` → cluster lists,
 * `QueryStatus` → `SubTaskStatus` list, DM-coded error texts → the error body `{error_msg, error_code}`.
 *
 * Invariants:
 * - Nothing here does I/O; bad input throws a {@link DmError} (49001 `OpenAPICommonError` for malformed requests,
 *   49002 for unknown task sources, 54001 for what dm-ts does not support yet) whose text is the `error_msg`.
 * - Every JSON answer built here carries passwords as `******` and no TLS certificate or key contents.
 * - The YAML written is YAML 1.1 (what DM's Go parser and our config parsers read), keys in DM's spelling.
 */
import { stringify } from 'yaml';
import type { ListMemberResponse, QueryStatusResponse, SubTaskStatusJson, SourceResult } from '../master/master-api.js';
import { parseSourceConfig } from '../config/source-config.js';
import type { BinlogEventRule, RouteRule } from '../config/rules.js';
import { parseTaskConfig, type TaskConfig } from '../config/task-config.js';
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';

/** How passwords are shown in every answer. */
export const PASSWORD_MASK = '******';

// ---------------------------------------------------------------------------------------------------------
// OpenAPI JSON shapes (DM's `openapi/spec/dm.yaml`, snake_case keys)

export interface ErrorWithMessage {
  error_msg: string;
  error_code: number;
}

export interface OpenApiSecurity {
  ssl_ca_content: string;
  ssl_cert_content: string;
  ssl_key_content: string;
  cert_allowed_cn?: string[];
}

export interface OpenApiPurge {
  interval?: number | null;
  expires?: number | null;
  remain_space?: number | null;
}

export interface OpenApiRelayStatus {
  master_binlog: string;
  master_binlog_gtid: string;
  relay_dir: string;
  relay_binlog_gtid: string;
  relay_catch_up_master: boolean;
  stage: string;
}

export interface OpenApiSourceStatus {
  source_name: string;
  worker_name: string;
  relay_status?: OpenApiRelayStatus;
  error_msg?: string;
}

export interface OpenApiSource {
  source_name: string;
  host: string;
  port: number;
  user: string;
  password: string;
  enable_gtid: boolean;
  security?: OpenApiSecurity | null;
  purge?: OpenApiPurge | null;
  status_list?: OpenApiSourceStatus[];
}

export interface OpenApiTargetDatabase {
  host: string;
  port: number;
  user: string;
  password: string;
  security?: OpenApiSecurity | null;
}

export interface OpenApiBinlogFilterRule {
  ignore_event?: string[];
  ignore_sql?: string[];
}

export interface OpenApiTableMigrateRule {
  source: { source_name: string; schema: string; table: string };
  target?: { schema: string; table: string };
  binlog_filter_rule?: string[];
}

export interface OpenApiFullMigrateConf {
  export_threads?: number;
  import_threads?: number;
  data_dir?: string;
  consistency?: string;
}

export interface OpenApiIncrMigrateConf {
  repl_threads?: number;
  repl_batch?: number;
}

export interface OpenApiTaskSourceConf {
  source_name: string;
  binlog_name?: string;
  binlog_pos?: number;
  binlog_gtid?: string;
}

export interface OpenApiTaskSourceConfig {
  full_migrate_conf?: OpenApiFullMigrateConf;
  incr_migrate_conf?: OpenApiIncrMigrateConf;
  source_conf: OpenApiTaskSourceConf[];
}

export type OpenApiTaskMode = 'full' | 'incremental' | 'all';
export type OpenApiShardMode = 'pessimistic' | 'optimistic';
export type OpenApiOnDuplicate = 'overwrite' | 'error';

export interface OpenApiTask {
  name: string;
  task_mode: OpenApiTaskMode;
  shard_mode?: OpenApiShardMode;
  meta_schema?: string;
  enhance_online_schema_change: boolean;
  on_duplicate: OpenApiOnDuplicate;
  /** dm-ts extension (later DM versions have it): `ignore-checking-items`. */
  ignore_checking_items?: string[];
  target_config: OpenApiTargetDatabase;
  binlog_filter_rule?: Record<string, OpenApiBinlogFilterRule>;
  table_migrate_rule: OpenApiTableMigrateRule[];
  source_config: OpenApiTaskSourceConfig;
}

export interface CreateTaskRequest {
  remove_meta: boolean;
  task: OpenApiTask;
  source_name_list?: string[];
}

export interface OpenApiShardingGroup {
  target: string;
  ddl_list: string[];
  first_location: string;
  synced: string[];
  unsynced: string[];
}

export interface OpenApiLoadStatus {
  finished_bytes: number;
  total_bytes: number;
  progress: string;
  meta_binlog: string;
  meta_binlog_gtid: string;
}

export interface OpenApiSyncStatus {
  total_events: number;
  total_tps: number;
  recent_tps: number;
  master_binlog: string;
  master_binlog_gtid: string;
  syncer_binlog: string;
  syncer_binlog_gtid: string;
  blocking_ddls: string[];
  unresolved_groups: OpenApiShardingGroup[];
  synced: boolean;
  binlog_type: string;
  seconds_behind_master: number;
}

export interface OpenApiSubTaskStatus {
  name: string;
  source_name: string;
  worker_name: string;
  stage: string;
  unit: string;
  unresolved_ddl_lock_id?: string;
  load_status?: OpenApiLoadStatus | null;
  sync_status?: OpenApiSyncStatus | null;
  /** dm-ts extension (later DM versions have it): the subtask's or the source's error, when there is one. */
  error_msg?: string;
}

export interface ClusterMaster {
  name: string;
  alive: boolean;
  leader: boolean;
  addr: string;
}

export interface ClusterWorker {
  name: string;
  addr: string;
  bound_stage: string;
  bound_source_name: string;
}

export interface ListResponse<T> {
  total: number;
  data: T[];
}

export interface TableStructure {
  schema_name: string;
  table_name: string;
  schema_create_sql: string;
}

export interface OperateTableStructureRequest {
  sql_content: string;
  flush: boolean;
  sync: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Errors

/** A coded error for a malformed request: `field` names the JSON path, e.g. `task.target_config.port`. */
export function badRequest(what: string): DmError {
  return DmError.of(E.OpenAPICommonError, [what]);
}

export function notSupported(what: string): DmError {
  return DmError.of(E.OpenAPINotSupported, [what]);
}

export function taskSourceNotFound(source: string): DmError {
  return DmError.of(E.OpenAPITaskSourceNotFound, [source]);
}

const CODE_PREFIX = /^\s*\[code=(\d+):/;

/** DM's code from a coded error text (`[code=NNNNN:...] ...`); 49001 when the text has none. */
export function errorCodeOf(msg: string): number {
  const m = CODE_PREFIX.exec(msg);
  return m ? Number(m[1]) : E.OpenAPICommonError.code;
}

/** The OpenAPI error body for a service `msg` (kept verbatim) or any thrown value. */
export function errorBody(err: unknown): ErrorWithMessage {
  if (err instanceof DmError) return { error_msg: err.message, error_code: err.code };
  if (typeof err === 'string') {
    const msg = err.trim() === '' ? formatCommon('unknown error') : err;
    return { error_msg: msg, error_code: errorCodeOf(msg) };
  }
  const msg = err instanceof Error ? err.message : String(err);
  return { error_msg: CODE_PREFIX.test(msg) ? msg : formatCommon(msg), error_code: errorCodeOf(msg) };
}

function formatCommon(detail: string): string {
  return DmError.of(E.OpenAPICommonError, [detail]).message;
}

/**
 * The first failure in a service answer: the envelope's `msg` when `result` is false, else the first failing
 * per-source result's `msg` (prefixed with the source when the text does not say it). `undefined` = success.
 */
export function failureOf(resp: { result: boolean; msg: string; sources?: unknown }): string | undefined {
  if (!resp.result) return resp.msg.trim() === '' ? formatCommon('the master reported a failure without a message') : resp.msg;
  const sources = Array.isArray(resp.sources) ? (resp.sources as unknown[]) : [];
  for (const s of sources) {
    if (isSourceResult(s) && !s.result) return s.msg.trim() === '' ? formatCommon(`source ${s.source} failed without a message`) : s.msg;
  }
  return undefined;
}

function isSourceResult(v: unknown): v is SourceResult {
  return typeof v === 'object' && v !== null && typeof (v as SourceResult).result === 'boolean' && typeof (v as SourceResult).msg === 'string';
}

// ---------------------------------------------------------------------------------------------------------
// Request validation (bodies are `unknown` JSON; every problem names its field)

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(v: unknown, field: string): Json {
  if (!isObject(v)) throw badRequest(`\`${field}\` must be a JSON object`);
  return v;
}

function str(o: Json, key: string, field: string, required = true): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw badRequest(`\`${field}${key}\` is required`);
    return undefined;
  }
  if (typeof v !== 'string') throw badRequest(`\`${field}${key}\` must be a string`);
  return v;
}

function reqStr(o: Json, key: string, field: string): string {
  return str(o, key, field, true)!;
}

function int(o: Json, key: string, field: string, required: boolean, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw badRequest(`\`${field}${key}\` is required`);
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw badRequest(`\`${field}${key}\` must be an integer between ${min} and ${max}`);
  }
  return v;
}

function bool(o: Json, key: string, field: string, required: boolean): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw badRequest(`\`${field}${key}\` is required`);
    return undefined;
  }
  if (typeof v !== 'boolean') throw badRequest(`\`${field}${key}\` must be true or false`);
  return v;
}

function strList(v: unknown, field: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw badRequest(`\`${field}\` must be an array of strings`);
  return [...(v as string[])];
}

function optStrList(o: Json, key: string, field: string): string[] | undefined {
  const v = o[key];
  return v === undefined || v === null ? undefined : strList(v, `${field}${key}`);
}

function oneOf<T extends string>(o: Json, key: string, field: string, allowed: readonly T[], required: boolean): T | undefined {
  const v = str(o, key, field, required);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw badRequest(`\`${field}${key}\` must be one of ${allowed.join(', ')} (got '${v}')`);
  return v as T;
}

function parseSecurity(v: unknown, field: string): OpenApiSecurity | undefined {
  if (v === undefined || v === null) return undefined;
  const o = obj(v, field);
  const f = `${field}.`;
  const sec: OpenApiSecurity = {
    ssl_ca_content: str(o, 'ssl_ca_content', f, false) ?? '',
    ssl_cert_content: str(o, 'ssl_cert_content', f, false) ?? '',
    ssl_key_content: str(o, 'ssl_key_content', f, false) ?? '',
  };
  const cn = optStrList(o, 'cert_allowed_cn', f);
  if (cn) sec.cert_allowed_cn = cn;
  return sec;
}

/** Validates a `POST /api/v1/sources` body. */
export function parseSourceBody(body: unknown): OpenApiSource {
  const o = obj(body, 'request body');
  const src: OpenApiSource = {
    source_name: reqStr(o, 'source_name', ''),
    host: reqStr(o, 'host', ''),
    port: int(o, 'port', '', true, 1, 65535)!,
    user: reqStr(o, 'user', ''),
    password: str(o, 'password', '', false) ?? '',
    enable_gtid: bool(o, 'enable_gtid', '', false) ?? false,
  };
  if (src.source_name === '') throw badRequest('`source_name` must not be empty');
  const sec = parseSecurity(o.security, 'security');
  if (sec) src.security = sec;
  if (o.purge !== undefined && o.purge !== null) {
    const p = obj(o.purge, 'purge');
    const purge: OpenApiPurge = {};
    const interval = int(p, 'interval', 'purge.', false);
    const expires = int(p, 'expires', 'purge.', false);
    const remain = int(p, 'remain_space', 'purge.', false);
    if (interval !== undefined) purge.interval = interval;
    if (expires !== undefined) purge.expires = expires;
    if (remain !== undefined) purge.remain_space = remain;
    src.purge = purge;
  }
  return src;
}

function parseTarget(v: unknown): OpenApiTargetDatabase {
  const o = obj(v, 'task.target_config');
  const f = 'task.target_config.';
  const t: OpenApiTargetDatabase = {
    host: reqStr(o, 'host', f),
    port: int(o, 'port', f, true, 1, 65535)!,
    user: reqStr(o, 'user', f),
    password: str(o, 'password', f, false) ?? '',
  };
  const sec = parseSecurity(o.security, 'task.target_config.security');
  if (sec) t.security = sec;
  return t;
}

/** Validates an OpenAPI `Task` (the `task` of `POST /api/v1/tasks`). */
export function parseTask(v: unknown, field = 'task'): OpenApiTask {
  const o = obj(v, field);
  const f = `${field}.`;
  const task: OpenApiTask = {
    name: reqStr(o, 'name', f),
    task_mode: oneOf(o, 'task_mode', f, ['full', 'incremental', 'all'] as const, true)!,
    enhance_online_schema_change: bool(o, 'enhance_online_schema_change', f, true)!,
    on_duplicate: oneOf(o, 'on_duplicate', f, ['overwrite', 'error'] as const, true)!,
    target_config: parseTarget(o.target_config),
    table_migrate_rule: [],
    source_config: { source_conf: [] },
  };
  if (task.name === '') throw badRequest(`\`${f}name\` must not be empty`);
  const shard = oneOf(o, 'shard_mode', f, ['pessimistic', 'optimistic'] as const, false);
  if (shard) task.shard_mode = shard;
  const meta = str(o, 'meta_schema', f, false);
  if (meta !== undefined) task.meta_schema = meta;
  const ignore = optStrList(o, 'ignore_checking_items', f);
  if (ignore) task.ignore_checking_items = ignore;

  if (o.binlog_filter_rule !== undefined && o.binlog_filter_rule !== null) {
    const rules = obj(o.binlog_filter_rule, `${f}binlog_filter_rule`);
    const out: Record<string, OpenApiBinlogFilterRule> = Object.create(null) as Record<string, OpenApiBinlogFilterRule>;
    for (const [name, r] of Object.entries(rules)) {
      const rf = `${f}binlog_filter_rule.${name}`;
      const ro = obj(r, rf);
      const rule: OpenApiBinlogFilterRule = {};
      const ev = optStrList(ro, 'ignore_event', `${rf}.`);
      const sql = optStrList(ro, 'ignore_sql', `${rf}.`);
      if (ev) rule.ignore_event = ev;
      if (sql) rule.ignore_sql = sql;
      out[name] = rule;
    }
    task.binlog_filter_rule = out;
  }

  const tmr = o.table_migrate_rule;
  if (!Array.isArray(tmr)) throw badRequest(`\`${f}table_migrate_rule\` must be an array`);
  tmr.forEach((r, i) => {
    const rf = `${f}table_migrate_rule[${i}]`;
    const ro = obj(r, rf);
    const so = obj(ro.source, `${rf}.source`);
    const rule: OpenApiTableMigrateRule = {
      source: { source_name: reqStr(so, 'source_name', `${rf}.source.`), schema: reqStr(so, 'schema', `${rf}.source.`), table: reqStr(so, 'table', `${rf}.source.`) },
    };
    if (ro.target !== undefined && ro.target !== null) {
      const to = obj(ro.target, `${rf}.target`);
      rule.target = { schema: reqStr(to, 'schema', `${rf}.target.`), table: str(to, 'table', `${rf}.target.`, false) ?? '' };
    }
    const names = optStrList(ro, 'binlog_filter_rule', `${rf}.`);
    if (names) rule.binlog_filter_rule = names;
    task.table_migrate_rule.push(rule);
  });

  const sc = obj(o.source_config, `${f}source_config`);
  const scf = `${f}source_config.`;
  if (!Array.isArray(sc.source_conf)) throw badRequest(`\`${scf}source_conf\` must be an array`);
  sc.source_conf.forEach((c, i) => {
    const cf = `${scf}source_conf[${i}].`;
    const co = obj(c, cf.slice(0, -1));
    const conf: OpenApiTaskSourceConf = { source_name: reqStr(co, 'source_name', cf) };
    const bn = str(co, 'binlog_name', cf, false);
    const bp = int(co, 'binlog_pos', cf, false, 0, 0xffffffff);
    const bg = str(co, 'binlog_gtid', cf, false);
    if (bn !== undefined) conf.binlog_name = bn;
    if (bp !== undefined) conf.binlog_pos = bp;
    if (bg !== undefined) conf.binlog_gtid = bg;
    task.source_config.source_conf.push(conf);
  });
  if (sc.full_migrate_conf !== undefined && sc.full_migrate_conf !== null) {
    const fo = obj(sc.full_migrate_conf, `${scf}full_migrate_conf`);
    const ff = `${scf}full_migrate_conf.`;
    const full: OpenApiFullMigrateConf = {};
    const et = int(fo, 'export_threads', ff, false, 0);
    const it = int(fo, 'import_threads', ff, false, 0);
    const dd = str(fo, 'data_dir', ff, false);
    const cs = str(fo, 'consistency', ff, false);
    if (et !== undefined) full.export_threads = et;
    if (it !== undefined) full.import_threads = it;
    if (dd !== undefined) full.data_dir = dd;
    if (cs !== undefined) full.consistency = cs;
    task.source_config.full_migrate_conf = full;
  }
  if (sc.incr_migrate_conf !== undefined && sc.incr_migrate_conf !== null) {
    const io = obj(sc.incr_migrate_conf, `${scf}incr_migrate_conf`);
    const inf = `${scf}incr_migrate_conf.`;
    const incr: OpenApiIncrMigrateConf = {};
    const rt = int(io, 'repl_threads', inf, false, 0);
    const rb = int(io, 'repl_batch', inf, false, 0);
    if (rt !== undefined) incr.repl_threads = rt;
    if (rb !== undefined) incr.repl_batch = rb;
    task.source_config.incr_migrate_conf = incr;
  }
  return task;
}

/** Validates a `POST /api/v1/tasks` body; `source_name_list` entries must be sources of the task (49002). */
export function parseCreateTaskBody(body: unknown): CreateTaskRequest {
  const o = obj(body, 'request body');
  const req: CreateTaskRequest = { remove_meta: bool(o, 'remove_meta', '', false) ?? false, task: parseTask(o.task) };
  const list = optStrList(o, 'source_name_list', '');
  if (list) {
    const known = new Set(req.task.source_config.source_conf.map((c) => c.source_name));
    for (const s of list) if (!known.has(s)) throw taskSourceNotFound(s);
    req.source_name_list = list;
  }
  return req;
}

/** A pause/resume body: an array of source names; absent, `null` or empty = every source. */
export function parseSourceNameList(body: unknown): string[] {
  if (body === undefined || body === null || body === '') return [];
  return strList(body, 'request body (source name list)');
}

/** `?name=a&name=b` or `?name=a,b` (absent = empty). */
export function queryList(v: unknown): string[] {
  const items = v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
  return items.flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter((x) => x !== '');
}

/** `?flag=true` / `1` (absent or anything else = false). */
export function queryBool(v: unknown): boolean {
  const s: unknown = Array.isArray(v) ? (v as unknown[])[v.length - 1] : v;
  return s === true || s === 'true' || s === '1' || s === '';
}

export function parseWorkerNameBody(body: unknown): string {
  const o = obj(body, 'request body');
  const w = reqStr(o, 'worker_name', '');
  if (w === '') throw badRequest('`worker_name` must not be empty');
  return w;
}

export function parseOperateTableStructureBody(body: unknown): OperateTableStructureRequest {
  const o = obj(body, 'request body');
  const sql = reqStr(o, 'sql_content', '');
  if (sql.trim() === '') throw badRequest('`sql_content` must not be empty');
  return { sql_content: sql, flush: bool(o, 'flush', '', false) ?? true, sync: bool(o, 'sync', '', false) ?? false };
}

// ---------------------------------------------------------------------------------------------------------
// YAML

function toYaml(doc: Record<string, unknown>): string {
  return stringify(doc, { version: '1.1', lineWidth: 0 });
}

function securityYaml(sec: OpenApiSecurity | null | undefined, field: string): Record<string, unknown> | undefined {
  if (!sec) return undefined;
  if (sec.ssl_ca_content || sec.ssl_cert_content || sec.ssl_key_content) {
    throw notSupported(`\`${field}\` with certificate contents (ssl_ca_content, ssl_cert_content, ssl_key_content)`);
  }
  return sec.cert_allowed_cn && sec.cert_allowed_cn.length > 0 ? { 'cert-allowed-cn': [...sec.cert_allowed_cn] } : undefined;
}

function securityJson(sec: { certAllowedCn?: readonly string[] } | undefined): OpenApiSecurity | undefined {
  if (!sec) return undefined;
  const out: OpenApiSecurity = { ssl_ca_content: '', ssl_cert_content: '', ssl_key_content: '' };
  if (sec.certAllowedCn && sec.certAllowedCn.length > 0) out.cert_allowed_cn = [...sec.certAllowedCn];
  return out;
}

/** OpenAPI `Source` → source.yaml text (what `OperateSource create` takes). */
export function sourceToYaml(src: OpenApiSource): string {
  const from: Record<string, unknown> = { host: src.host, port: src.port, user: src.user, password: src.password };
  const sec = securityYaml(src.security, 'security');
  if (sec) from.security = sec;
  const doc: Record<string, unknown> = { 'source-id': src.source_name, 'enable-gtid': src.enable_gtid, from };
  if (src.purge) {
    const purge: Record<string, number> = {};
    if (src.purge.interval !== undefined && src.purge.interval !== null) purge.interval = src.purge.interval;
    if (src.purge.expires !== undefined && src.purge.expires !== null) purge.expires = src.purge.expires;
    if (src.purge.remain_space !== undefined && src.purge.remain_space !== null) purge['remain-space'] = src.purge.remain_space;
    if (Object.keys(purge).length > 0) doc.purge = purge;
  }
  return toYaml(doc);
}

/** source.yaml text (as `GetCfg` gives it) → OpenAPI `Source`, password masked. */
export function sourceFromYaml(text: string, fileName = 'source.yaml'): OpenApiSource {
  const cfg = parseSourceConfig(text, fileName);
  const out: OpenApiSource = {
    source_name: cfg.sourceId,
    host: cfg.from.host,
    port: cfg.from.port,
    user: cfg.from.user,
    password: PASSWORD_MASK,
    enable_gtid: cfg.enableGtid,
    purge: { interval: cfg.purge.interval, expires: cfg.purge.expires, remain_space: cfg.purge.remainSpace },
  };
  const sec = securityJson(cfg.from.security as { certAllowedCn?: readonly string[] } | undefined);
  if (sec) out.security = sec;
  return out;
}

/** The answer form of a source: password masked, certificate contents dropped. */
export function maskSource(src: OpenApiSource): OpenApiSource {
  const out: OpenApiSource = { ...src, password: PASSWORD_MASK };
  if (src.security) out.security = hideSecurity(src.security);
  return out;
}

function hideSecurity(sec: OpenApiSecurity): OpenApiSecurity {
  const out: OpenApiSecurity = { ssl_ca_content: '', ssl_cert_content: '', ssl_key_content: '' };
  if (sec.cert_allowed_cn) out.cert_allowed_cn = [...sec.cert_allowed_cn];
  return out;
}

/** The answer form of a task: target password masked, certificate contents dropped. */
export function maskTask(task: OpenApiTask): OpenApiTask {
  const target: OpenApiTargetDatabase = { ...task.target_config, password: PASSWORD_MASK };
  if (task.target_config.security) target.security = hideSecurity(task.target_config.security);
  return { ...task, target_config: target };
}

interface YamlFilter {
  'schema-pattern': string;
  'table-pattern': string;
  events: string[];
  'sql-pattern': string[];
  action: 'Ignore';
}

/** The name of the one dump/load/sync config set every instance of a translated task refers to. */
const GLOBAL_SET = 'global';

/**
 * OpenAPI `Task` → task.yaml text, as DM's `OpenAPITaskToSubTaskConfigs` builds subtasks: per source, the
 * `table_migrate_rule`s of that source become its block-allow list (`do-dbs` + `do-tables`), its routes (rules
 * with a `target`) and its binlog event filters (the named `binlog_filter_rule` templates applied to the rule's
 * schema/table patterns); `source_config` gives `mysql-instances` (+ `meta`) and the dump/load/sync threads.
 */
export function taskToYaml(task: OpenApiTask): string {
  const templates = task.binlog_filter_rule ?? {};
  const routes: Record<string, unknown> = {};
  const filters: Record<string, unknown> = {};
  const baLists: Record<string, unknown> = {};
  const instances: Record<string, unknown>[] = [];

  const full = task.source_config.full_migrate_conf;
  const incr = task.source_config.incr_migrate_conf;
  const mydumper: Record<string, unknown> = {};
  if (full?.export_threads !== undefined) mydumper.threads = full.export_threads;
  if (full?.consistency !== undefined && full.consistency !== '') mydumper['extra-args'] = `--consistency ${full.consistency}`;
  const loader: Record<string, unknown> = { 'on-duplicate': task.on_duplicate === 'error' ? 'error' : 'replace' };
  if (full?.import_threads !== undefined) loader['pool-size'] = full.import_threads;
  if (full?.data_dir !== undefined && full.data_dir !== '') loader.dir = full.data_dir;
  const syncer: Record<string, unknown> = {};
  if (incr?.repl_threads !== undefined) syncer['worker-count'] = incr.repl_threads;
  if (incr?.repl_batch !== undefined) syncer.batch = incr.repl_batch;

  const seen = new Set<string>();
  for (const conf of task.source_config.source_conf) {
    const source = conf.source_name;
    if (seen.has(source)) throw badRequest(`source \`${source}\` is listed twice in \`task.source_config.source_conf\``);
    seen.add(source);
    const inst: Record<string, unknown> = { 'source-id': source };
    if (conf.binlog_name !== undefined || conf.binlog_pos !== undefined || conf.binlog_gtid !== undefined) {
      const meta: Record<string, unknown> = {};
      if (conf.binlog_name !== undefined) meta['binlog-name'] = conf.binlog_name;
      if (conf.binlog_pos !== undefined) meta['binlog-pos'] = conf.binlog_pos;
      if (conf.binlog_gtid !== undefined) meta['binlog-gtid'] = conf.binlog_gtid;
      inst.meta = meta;
    }
    const rules = task.table_migrate_rule.filter((r) => r.source.source_name === source);
    const routeNames: string[] = [];
    const filterNames: string[] = [];
    const doDbs: string[] = [];
    const doTables: Array<{ 'db-name': string; 'tbl-name': string }> = [];
    const filterByPattern = new Map<string, YamlFilter>();
    for (const rule of rules) {
      const { schema, table } = rule.source;
      if (rule.target) {
        const name = `${source}-route-rule-${routeNames.length}`;
        const r: Record<string, unknown> = { 'schema-pattern': schema, 'table-pattern': table, 'target-schema': rule.target.schema };
        if (rule.target.table !== '') r['target-table'] = rule.target.table;
        routes[name] = r;
        routeNames.push(name);
      }
      for (const tmpl of rule.binlog_filter_rule ?? []) {
        const t = Object.prototype.hasOwnProperty.call(templates, tmpl) ? templates[tmpl] : undefined;
        if (!t) throw badRequest(`filter rule name ${tmpl} not found.`);
        // one filter per schema/table pattern (a binlog filter rejects two rules with the same patterns):
        // several templates on the same tables ignore the union of their events and statements
        const key = `${schema}\u0000${table}`;
        let fr = filterByPattern.get(key);
        if (!fr) {
          fr = { 'schema-pattern': schema, 'table-pattern': table, events: [], 'sql-pattern': [], action: 'Ignore' };
          filterByPattern.set(key, fr);
          const name = `${source}-filter-rule-${filterNames.length}`;
          filters[name] = fr;
          filterNames.push(name);
        }
        for (const e of t.ignore_event ?? []) if (!fr.events.includes(e)) fr.events.push(e);
        for (const q of t.ignore_sql ?? []) if (!fr['sql-pattern'].includes(q)) fr['sql-pattern'].push(q);
      }
      if (!doDbs.includes(schema)) doDbs.push(schema);
      if (!doTables.some((t) => t['db-name'] === schema && t['tbl-name'] === table)) doTables.push({ 'db-name': schema, 'tbl-name': table });
    }
    for (const fr of filterByPattern.values()) {
      // DM writes no empty lists
      if (fr.events.length === 0) delete (fr as Partial<YamlFilter>).events;
      if (fr['sql-pattern'].length === 0) delete (fr as Partial<YamlFilter>)['sql-pattern'];
    }
    if (rules.length > 0) {
      const name = `${source}-ba-list`;
      baLists[name] = { 'do-dbs': doDbs, 'do-tables': doTables };
      inst['block-allow-list'] = name;
    }
    if (routeNames.length > 0) inst['route-rules'] = routeNames;
    if (filterNames.length > 0) inst['filter-rules'] = filterNames;
    if (Object.keys(mydumper).length > 0) inst['mydumper-config-name'] = GLOBAL_SET;
    inst['loader-config-name'] = GLOBAL_SET;
    if (Object.keys(syncer).length > 0) inst['syncer-config-name'] = GLOBAL_SET;
    instances.push(inst);
  }

  const target: Record<string, unknown> = {
    host: task.target_config.host,
    port: task.target_config.port,
    user: task.target_config.user,
    password: task.target_config.password,
  };
  const sec = securityYaml(task.target_config.security, 'task.target_config.security');
  if (sec) target.security = sec;

  const doc: Record<string, unknown> = { name: task.name, 'task-mode': task.task_mode };
  if (task.shard_mode) doc['shard-mode'] = task.shard_mode;
  doc['meta-schema'] = task.meta_schema === undefined || task.meta_schema === '' ? 'dm-meta' : task.meta_schema;
  doc['online-ddl'] = task.enhance_online_schema_change;
  if (task.ignore_checking_items && task.ignore_checking_items.length > 0) doc['ignore-checking-items'] = [...task.ignore_checking_items];
  doc['target-database'] = target;
  doc['mysql-instances'] = instances;
  if (Object.keys(baLists).length > 0) doc['block-allow-list'] = baLists;
  if (Object.keys(routes).length > 0) doc.routes = routes;
  if (Object.keys(filters).length > 0) doc.filters = filters;
  if (instances.length > 0) {
    if (Object.keys(mydumper).length > 0) doc.mydumpers = { [GLOBAL_SET]: mydumper };
    doc.loaders = { [GLOBAL_SET]: loader };
    if (Object.keys(syncer).length > 0) doc.syncers = { [GLOBAL_SET]: syncer };
  }
  return toYaml(doc);
}

function consistencyOf(extraArgs: string): string {
  const m = /--consistency(?:=|\s+)(\S+)/.exec(extraArgs);
  return m ? m[1]! : 'auto';
}

/**
 * task.yaml text (as `GetCfg` gives it) → OpenAPI `Task`, target password masked. What the OpenAPI `Task` cannot
 * say (column mappings, expression filters, ignore-lists, filters whose action is not `Ignore`) is left out;
 * filters are named as in the YAML.
 */
export function taskFromYaml(text: string, fileName = 'task.yaml'): OpenApiTask {
  return taskFromConfig(parseTaskConfig(text, fileName));
}

export function taskFromConfig(cfg: TaskConfig): OpenApiTask {
  const first = cfg.mysqlInstances[0];
  const task: OpenApiTask = {
    name: cfg.name,
    task_mode: cfg.taskMode,
    ...(cfg.shardMode !== '' ? { shard_mode: cfg.shardMode } : {}),
    meta_schema: cfg.metaSchema,
    enhance_online_schema_change: cfg.onlineDdl,
    on_duplicate: first?.loader.onDuplicateLogical === 'error' ? 'error' : 'overwrite',
    target_config: {
      host: cfg.targetDatabase.host,
      port: cfg.targetDatabase.port,
      user: cfg.targetDatabase.user,
      password: PASSWORD_MASK,
    },
    table_migrate_rule: [],
    source_config: { source_conf: [] },
  };
  if (cfg.ignoreCheckingItems.length > 0) task.ignore_checking_items = [...cfg.ignoreCheckingItems];
  const sec = securityJson(cfg.targetDatabase.security as { certAllowedCn?: readonly string[] } | undefined);
  if (sec) task.target_config.security = sec;

  const usedFilters: Record<string, OpenApiBinlogFilterRule> = {};
  for (const inst of cfg.mysqlInstances) {
    const source = inst.sourceId;
    const conf: OpenApiTaskSourceConf = { source_name: source };
    if (inst.meta) {
      if (inst.meta.binlogName !== '') conf.binlog_name = inst.meta.binlogName;
      if (inst.meta.binlogName !== '') conf.binlog_pos = inst.meta.binlogPos;
      if (inst.meta.binlogGtid !== '') conf.binlog_gtid = inst.meta.binlogGtid;
    }
    task.source_config.source_conf.push(conf);

    const routes = inst.routeRules.map((n) => cfg.routes[n]).filter((r): r is RouteRule => r !== undefined);
    const filters = inst.filterRules.map((n) => cfg.filters[n]).filter((r): r is BinlogEventRule => r !== undefined && r.action === 'Ignore');
    const ba = inst.blockAllowList ? cfg.blockAllowList[inst.blockAllowList] : undefined;
    const pairs: Array<{ schema: string; table: string }> = [];
    const addPair = (schema: string, table: string): void => {
      if (!pairs.some((p) => p.schema === schema && p.table === table)) pairs.push({ schema, table });
    };
    for (const t of ba?.doTables ?? []) addPair(t.dbName, t.tblName);
    for (const db of ba?.doDbs ?? []) if (!pairs.some((p) => p.schema === db)) addPair(db, '*');
    for (const r of routes) if (!pairs.some((p) => p.schema === r.schemaPattern && p.table === (r.tablePattern || '*'))) addPair(r.schemaPattern, r.tablePattern || '*');
    for (const { schema, table } of pairs) {
      const rule: OpenApiTableMigrateRule = { source: { source_name: source, schema, table } };
      const route = routes.find((r) => r.schemaPattern === schema && (r.tablePattern || '*') === table);
      if (route) rule.target = { schema: route.targetSchema, table: route.targetTable };
      const names = filters.filter((f) => f.schemaPattern === schema && (f.tablePattern || '*') === table).map((f) => f.name);
      if (names.length > 0) rule.binlog_filter_rule = names;
      task.table_migrate_rule.push(rule);
    }
    for (const f of filters) {
      const tmpl: OpenApiBinlogFilterRule = {};
      if (f.events.length > 0) tmpl.ignore_event = [...f.events];
      if (f.sqlPattern.length > 0) tmpl.ignore_sql = [...f.sqlPattern];
      usedFilters[f.name] = tmpl;
    }
  }
  if (first) {
    task.source_config.full_migrate_conf = {
      export_threads: first.mydumper.threads,
      import_threads: first.loader.poolSize,
      data_dir: first.loader.dir,
      consistency: consistencyOf(first.mydumper.extraArgs),
    };
    task.source_config.incr_migrate_conf = { repl_threads: first.syncer.workerCount, repl_batch: first.syncer.batch };
  }
  if (Object.keys(usedFilters).length === 0) return task;
  // DM's field order: binlog_filter_rule comes before table_migrate_rule
  const { table_migrate_rule, source_config, ...head } = task;
  return { ...head, binlog_filter_rule: usedFilters, table_migrate_rule, source_config };
}

// ---------------------------------------------------------------------------------------------------------
// Answers

/** `ListMember` (masters + leader) → `ClusterMaster[]`; `addr` is the first client URL without its scheme. */
export function mastersFromListMember(resp: ListMemberResponse): ClusterMaster[] {
  let leader = '';
  const out: ClusterMaster[] = [];
  for (const m of resp.members) {
    if ('leader' in m) leader = m.leader.name;
  }
  for (const m of resp.members) {
    if (!('master' in m)) continue;
    for (const x of m.master.masters) {
      const url = x.clientURLs[0] ?? x.peerURLs[0] ?? '';
      out.push({ name: x.name, alive: x.alive, leader: x.name === leader, addr: url.replace(/^[a-z]+:\/\//i, '') });
    }
  }
  return out;
}

/** `ListMember` (workers) → `ClusterWorker[]`. */
export function workersFromListMember(resp: ListMemberResponse): ClusterWorker[] {
  const out: ClusterWorker[] = [];
  for (const m of resp.members) {
    if (!('worker' in m)) continue;
    for (const w of m.worker.workers) out.push({ name: w.name, addr: w.addr, bound_stage: w.stage, bound_source_name: w.source });
  }
  return out;
}

/** `OperateSource show` answers → `SourceStatus[]` (relay is not built: no `relay_status`). */
export function sourceStatusList(sources: readonly SourceResult[]): OpenApiSourceStatus[] {
  return sources.map((s) => {
    const st: OpenApiSourceStatus = { source_name: s.source, worker_name: s.worker };
    if (!s.result && s.msg) st.error_msg = s.msg;
    return st;
  });
}

function num(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : 0;
  return Number.isFinite(n) ? n : 0;
}

function strs(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => String(x)) : [];
}

function shardingGroup(g: unknown): OpenApiShardingGroup {
  const o = isObject(g) ? g : {};
  const s = (a: string, b: string): unknown => (o[a] !== undefined ? o[a] : o[b]);
  const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
  return {
    target: text(s('target', 'Target')),
    ddl_list: strs(s('DDLs', 'ddl_list')),
    first_location: text(s('firstLocation', 'first_location')),
    synced: strs(s('synced', 'Synced')),
    unsynced: strs(s('unsynced', 'Unsynced')),
  };
}

function subTaskError(st: SubTaskStatusJson): string | undefined {
  const errs = st.result?.errors ?? [];
  if (errs.length === 0) return undefined;
  return errs.map((e) => (e.RawCause ? `${e.Message}: ${e.RawCause}` : e.Message)).join('; ');
}

/**
 * `QueryStatus` (with a task name) → `SubTaskStatus[]`, one per source, in the answer's order. A source that
 * answered with an error and no subtask status still gets an entry (stage `InvalidStage`, `error_msg` set).
 */
export function subTaskStatusList(taskName: string, resp: QueryStatusResponse): OpenApiSubTaskStatus[] {
  const out: OpenApiSubTaskStatus[] = [];
  for (const src of resp.sources ?? []) {
    const sourceName = src.sourceStatus?.source ?? '';
    const workerName = src.sourceStatus?.worker ?? '';
    const st = (src.subTaskStatus ?? []).find((s) => s.name === taskName);
    if (!st) {
      out.push({ name: taskName, source_name: sourceName, worker_name: workerName, stage: 'InvalidStage', unit: 'InvalidUnit', error_msg: src.msg || 'no status of this task from the source' });
      continue;
    }
    const item: OpenApiSubTaskStatus = {
      name: taskName,
      source_name: sourceName,
      worker_name: workerName,
      stage: st.stage,
      unit: st.unit,
      unresolved_ddl_lock_id: st.unresolvedDDLLockID ?? '',
    };
    if (st.load) {
      item.load_status = {
        finished_bytes: num(st.load.finishedBytes),
        total_bytes: num(st.load.totalBytes),
        progress: st.load.progress,
        meta_binlog: st.load.metaBinlog,
        meta_binlog_gtid: st.load.metaBinlogGTID,
      };
    }
    if (st.sync) {
      const s = st.sync;
      item.sync_status = {
        total_events: num(s.totalEvents),
        total_tps: num(s.totalTps),
        recent_tps: num(s.recentTps),
        master_binlog: s.masterBinlog,
        master_binlog_gtid: s.masterBinlogGtid,
        syncer_binlog: s.syncerBinlog,
        syncer_binlog_gtid: s.syncerBinlogGtid,
        blocking_ddls: strs(s.blockingDDLs),
        unresolved_groups: (s.unresolvedGroups ?? []).map(shardingGroup),
        synced: s.synced,
        binlog_type: s.binlogType,
        seconds_behind_master: num(s.secondsBehindMaster),
      };
    }
    const err = subTaskError(st) ?? (!src.result && src.msg ? src.msg : undefined);
    if (err) item.error_msg = err;
    out.push(item);
  }
  return out;
}

/**
 * The names in an `OperateSchema list` answer for one source: its `msg` holds a JSON array of names (as DM's
 * later `binlog-schema list` does); a plain text answer is read as one name per line.
 */
export function namesFromMsg(msg: string): string[] {
  const t = msg.trim();
  if (t === '') return [];
  if (t.startsWith('[')) {
    try {
      const v: unknown = JSON.parse(t);
      if (Array.isArray(v)) return v.map((x) => String(x));
    } catch {
      // fall through to the line form
    }
  }
  return t.split(/\r?\n/).map((x) => x.trim()).filter((x) => x !== '');
}

