/**
 * The operations of dm-master (DM's `Master` gRPC service), as request/response types shaped like DM's
 * protobuf messages in JSON (what dmctl prints), and the one interface both front ends call: dmctl over
 * `POST /dm/v1/{Method}` (body = request JSON, reply = response JSON) and the OpenAPI v1 routes, which
 * translate to and from these shapes.
 *
 * Invariants: every operation answers with `result` + `msg` (a DM-style coded error text when `result` is
 * false), never throws for bad input; passwords are never part of a response (masked `******`).
 */
import type { CheckResults } from '../checker/check-result.js';

/** The path prefix of the dmctl transport: `POST /dm/v1/QueryStatus`. */
export const RPC_PREFIX = '/dm/v1/';

export interface CommonResponse {
  result: boolean;
  msg: string;
}

/** One source's part of an answer (DM's `CommonWorkerResponse`). */
export interface SourceResult {
  result: boolean;
  msg: string;
  source: string;
  worker: string;
}

export interface SourcesResponse extends CommonResponse {
  sources: SourceResult[];
}

// ---- operate-source ----
export type SourceOp = 'create' | 'update' | 'stop' | 'show';
export interface OperateSourceRequest {
  op: SourceOp;
  /** source.yaml texts (create, update, stop by file). */
  config: string[];
  /** Source ids (stop, show filter). */
  sourceID: string[];
}

// ---- start-task / operate-task ----
export interface StartTaskRequest {
  /** task.yaml text. */
  task: string;
  /** Only these sources' subtasks (`-s`); empty = all. */
  sources: string[];
  removeMeta: boolean;
}
export interface StartTaskResponse extends SourcesResponse {
  /** The precheck report when the precheck failed (printed by dmctl after the envelope). */
  checkResult?: CheckResults | undefined;
}

export type TaskOp = 'Stop' | 'Pause' | 'Resume';
export interface OperateTaskRequest {
  op: TaskOp;
  /** Task name; empty = every task of `sources` (DM v5.3 `pause-task -s source`). */
  name: string;
  sources: string[];
}
export interface OperateTaskResponse extends SourcesResponse {
  op: TaskOp;
}

// ---- query-status ----
export type SubtaskStageName = 'New' | 'Running' | 'Paused' | 'Stopped' | 'Finished' | 'InvalidStage';
export type UnitName = 'InvalidUnit' | 'Check' | 'Dump' | 'Load' | 'Sync';

export interface ProcessErrorJson {
  ErrCode: number;
  ErrClass: string;
  ErrScope: string;
  ErrLevel: string;
  Message: string;
  RawCause: string;
  Workaround: string;
}

export interface ProcessResultJson {
  isCanceled: boolean;
  errors: ProcessErrorJson[];
  detail: string | null;
}

export interface DumpStatusJson {
  totalTables: string;
  completedTables: number;
  finishedBytes: number;
  finishedRows: number;
  estimateTotalRows: number;
  bps: string;
  progress: string;
}

export interface LoadStatusJson {
  finishedBytes: string;
  totalBytes: string;
  progress: string;
  metaBinlog: string;
  metaBinlogGTID: string;
  bps: string;
}

export interface SyncStatusJson {
  totalEvents: string;
  totalTps: string;
  recentTps: string;
  masterBinlog: string;
  masterBinlogGtid: string;
  syncerBinlog: string;
  syncerBinlogGtid: string;
  blockingDDLs: string[];
  unresolvedGroups: unknown[];
  synced: boolean;
  binlogType: string;
  secondsBehindMaster: string;
}

export interface SubTaskStatusJson {
  name: string;
  stage: SubtaskStageName;
  unit: UnitName;
  result: ProcessResultJson | null;
  unresolvedDDLLockID: string;
  dump?: DumpStatusJson;
  load?: LoadStatusJson;
  sync?: SyncStatusJson;
}

export interface SourceStatusJson {
  source: string;
  worker: string;
  result: ProcessResultJson | null;
  relayStatus: null;
}

export interface QueryStatusSourceJson {
  result: boolean;
  msg: string;
  sourceStatus: SourceStatusJson;
  subTaskStatus: SubTaskStatusJson[];
}

export interface QueryStatusRequest {
  /** Task name; empty = the summary of every task. */
  name: string;
  sources: string[];
}

export interface TaskSummaryJson {
  taskName: string;
  /** `Running`, `Paused`, `Stopped`, `Finished`, `New`, `Error - Some error occurred in subtask`. */
  taskStatus: string;
  sources: string[];
}

export interface QueryStatusResponse extends CommonResponse {
  /** Detail (with a task name). */
  sources?: QueryStatusSourceJson[];
  /** Summary (without a task name). */
  tasks?: TaskSummaryJson[];
}

// ---- check-task ----
export interface CheckTaskRequest {
  task: string;
  errCnt: number;
  warnCnt: number;
}

// ---- get-config ----
export type CfgType = 'task' | 'master' | 'worker' | 'source';
export interface GetCfgRequest {
  type: CfgType;
  name: string;
}
export interface GetCfgResponse extends CommonResponse {
  /** YAML (task, source) or TOML (master, worker) text, passwords masked `******`. */
  cfg: string;
}

/** Every source and task config, for `config export` (passwords encrypted, as DM exports them). */
export interface ExportConfigsResponse extends CommonResponse {
  sources: Array<{ name: string; cfg: string }>;
  tasks: Array<{ name: string; cfg: string }>;
}

// ---- list-member / offline-member ----
export interface ListMemberRequest {
  leader: boolean;
  master: boolean;
  worker: boolean;
  names: string[];
}
export interface MasterInfoJson {
  name: string;
  memberID: string;
  alive: boolean;
  peerURLs: string[];
  clientURLs: string[];
}
export type WorkerStage = 'free' | 'bound' | 'offline' | 'relay';
export interface WorkerInfoJson {
  name: string;
  addr: string;
  stage: WorkerStage;
  source: string;
}
export type MemberJson =
  | { leader: { msg: string; name: string; addr: string } }
  | { master: { msg: string; masters: MasterInfoJson[] } }
  | { worker: { msg: string; workers: WorkerInfoJson[] } };
export interface ListMemberResponse extends CommonResponse {
  members: MemberJson[];
}
export interface OfflineMemberRequest {
  type: 'master' | 'worker';
  name: string;
}

export interface TransferSourceRequest {
  source: string;
  worker: string;
}

// ---- handle-error / binlog ----
export type ErrorOp = 'skip' | 'replace' | 'revert' | 'list' | 'inject';
export interface HandleErrorRequest {
  op: ErrorOp;
  task: string;
  sources: string[];
  /** `file:pos` (DM `-b`); empty = the current error. */
  binlogPos: string;
  sqls: string[];
}

// ---- binlog-schema (operate-schema) ----
export type SchemaOp = 'list' | 'get' | 'set' | 'remove';
export interface OperateSchemaRequest {
  op: SchemaOp;
  task: string;
  sources: string[];
  database: string;
  table: string;
  /** `set`: the CREATE TABLE text. */
  schema: string;
  flush: boolean;
  sync: boolean;
  fromSource: boolean;
  fromTarget: boolean;
}

// ---- upstream catalogue (OpenAPI `/sources/{name}/schemas…`) ----
export interface ListSourceSchemasRequest {
  source: string;
  /** Empty: the schemas; else the tables of this schema. */
  schema: string;
}
export interface ListSourceSchemasResponse extends CommonResponse {
  names: string[];
}

/**
 * What dm-master does. Every method resolves (bad input is `result: false` with a coded `msg`); a rejected
 * promise means the master itself failed.
 */
export interface MasterService {
  OperateSource(req: OperateSourceRequest): Promise<SourcesResponse>;
  StartTask(req: StartTaskRequest): Promise<StartTaskResponse>;
  OperateTask(req: OperateTaskRequest): Promise<OperateTaskResponse>;
  QueryStatus(req: QueryStatusRequest): Promise<QueryStatusResponse>;
  CheckTask(req: CheckTaskRequest): Promise<CommonResponse & { checkResult?: CheckResults }>;
  GetCfg(req: GetCfgRequest): Promise<GetCfgResponse>;
  ExportConfigs(req: Record<string, never>): Promise<ExportConfigsResponse>;
  ListMember(req: ListMemberRequest): Promise<ListMemberResponse>;
  OfflineMember(req: OfflineMemberRequest): Promise<CommonResponse>;
  TransferSource(req: TransferSourceRequest): Promise<CommonResponse>;
  HandleError(req: HandleErrorRequest): Promise<SourcesResponse>;
  OperateSchema(req: OperateSchemaRequest): Promise<SourcesResponse>;
  ListSourceSchemas(req: ListSourceSchemasRequest): Promise<ListSourceSchemasResponse>;
}

export type MasterMethod = keyof MasterService;

export const MASTER_METHODS: readonly MasterMethod[] = [
  'OperateSource',
  'StartTask',
  'OperateTask',
  'QueryStatus',
  'CheckTask',
  'GetCfg',
  'ExportConfigs',
  'ListMember',
  'OfflineMember',
  'TransferSource',
  'HandleError',
  'OperateSchema',
  'ListSourceSchemas',
];
