/**
 * The OpenAPI 3.0 document of dm-master's `/api/v1` front end, written by hand (spec first): DM's paths,
 * operation ids and component schemas (DM v5.3's `openapi/spec/dm.yaml`, with the cluster and schema paths of
 * later DM versions), served at `GET /api/v1/dm.json` and rendered at `/api/v1/docs`.
 *
 * Invariants: every operation has a unique `operationId`; every `$ref` points into `components.schemas`; errors
 * are answered `400` with `ErrorWithMessage`; operations DM serves as `POST` are also accepted as `PATCH` (the
 * method DM's user docs show), listed as their own operations.
 */

export interface OpenApiSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'boolean' | 'number';
  description?: string;
  format?: string;
  nullable?: boolean;
  enum?: string[];
  default?: unknown;
  example?: unknown;
  properties?: Record<string, OpenApiSchema>;
  additionalProperties?: OpenApiSchema | boolean;
  items?: OpenApiSchema;
  required?: string[];
  $ref?: string;
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query';
  description: string;
  required: boolean;
  schema: OpenApiSchema;
  style?: 'form';
  explode?: boolean;
}

export interface OpenApiMediaType {
  schema: OpenApiSchema;
}

export interface OpenApiResponse {
  description: string;
  content?: Record<string, OpenApiMediaType>;
}

export interface OpenApiOperation {
  tags: string[];
  summary: string;
  description?: string;
  operationId: string;
  parameters?: OpenApiParameter[];
  requestBody?: { description?: string; required: boolean; content: Record<string, OpenApiMediaType> };
  responses: Record<string, OpenApiResponse>;
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type OpenApiPathItem = Partial<Record<HttpMethod, OpenApiOperation>>;

export interface OpenApiDocument {
  openapi: '3.0.0';
  info: { title: string; version: string; description: string };
  externalDocs: { description: string; url: string };
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, OpenApiPathItem>;
  components: { schemas: Record<string, OpenApiSchema> };
}

// ---------------------------------------------------------------------------------------------------------
// Builders

const ref = (name: string): OpenApiSchema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: OpenApiSchema): Record<string, OpenApiMediaType> => ({ 'application/json': { schema } });
const str = (description: string, example?: string): OpenApiSchema => (example === undefined ? { type: 'string', description } : { type: 'string', description, example });
const int = (description: string, extra: Partial<OpenApiSchema> = {}): OpenApiSchema => ({ type: 'integer', description, ...extra });
const bool = (description: string, extra: Partial<OpenApiSchema> = {}): OpenApiSchema => ({ type: 'boolean', description, ...extra });
const strArray = (description: string, example?: string): OpenApiSchema => ({ type: 'array', description, items: example === undefined ? { type: 'string' } : { type: 'string', example } });

const pathParam = (name: string, description: string, example: string): OpenApiParameter => ({ name, in: 'path', description, required: true, schema: { type: 'string', example } });
const SOURCE = pathParam('source-name', 'globally unique data source name', 'mysql-01');
const TASK = pathParam('task-name', 'globally unique task name', 'task-1');
const SCHEMA = pathParam('schema-name', 'schema name', 'db1');
const TABLE = pathParam('table-name', 'table name', 'table1');

const failed: OpenApiResponse = { description: 'failed', content: json(ref('ErrorWithMessage')) };
const ok = (description = 'success', schema?: OpenApiSchema): Record<string, OpenApiResponse> =>
  schema ? { '200': { description, content: json(schema) }, '400': failed } : { '200': { description }, '400': failed };
const created = (schema: OpenApiSchema): Record<string, OpenApiResponse> => ({ '201': { description: 'success', content: json(schema) }, '400': failed });
const noContent: Record<string, OpenApiResponse> = { '204': { description: 'success' }, '400': failed };

function op(tag: string, operationId: string, summary: string, rest: Partial<OpenApiOperation> = {}): OpenApiOperation {
  return { tags: [tag], summary, operationId, responses: ok(), ...rest };
}

/** An operation DM serves as POST, offered as both POST and PATCH (operation id + `Patch` for the latter). */
function postAndPatch(o: OpenApiOperation): OpenApiPathItem {
  return { post: o, patch: { ...o, operationId: `${o.operationId}Patch`, summary: `${o.summary} (PATCH alias of POST)` } };
}

const relayNotSupported = 'dm-ts has no relay log yet: the request is answered 400 with error code 54001 (OpenAPINotSupported).';

// ---------------------------------------------------------------------------------------------------------
// The document

export const OPENAPI_DOCUMENT: OpenApiDocument = {
  openapi: '3.0.0',
  info: {
    title: 'DM OpenAPI DOC (dm-ts)',
    version: '2.1.0',
    description:
      "dm-master's OpenAPI v1, compatible with TiDB Data Migration's. Errors are answered with HTTP 400 and " +
      '`{"error_msg": "[code=NNNNN:...] ...", "error_code": NNNNN}`; passwords are always shown as `******`.',
  },
  externalDocs: { description: 'DM OpenAPI DOC', url: 'https://docs.pingcap.com/tidb/stable/dm-open-api' },
  tags: [
    { name: 'cluster', description: 'dm-master and dm-worker members' },
    { name: 'source', description: 'upstream data sources' },
    { name: 'task', description: 'migration tasks' },
    { name: 'doc', description: 'this document' },
  ],
  paths: {
    '/api/v1/docs': { get: op('doc', 'GetDocHTML', 'get doc html', { responses: { '200': { description: 'HTML content' } } }) },
    '/api/v1/dm.json': { get: op('doc', 'GetDocJSON', 'get doc json', { responses: { '200': { description: 'json content' } } }) },

    '/api/v1/cluster/masters': {
      get: op('cluster', 'DMAPIGetClusterMasterList', 'get cluster master node list', { responses: ok('success', ref('GetClusterMasterListResponse')) }),
    },
    '/api/v1/cluster/masters/{master-name}': {
      delete: op('cluster', 'DMAPIOfflineMasterNode', 'offline master node', { parameters: [pathParam('master-name', 'master node name', 'master1')], responses: noContent }),
    },
    '/api/v1/cluster/workers': {
      get: op('cluster', 'DMAPIGetClusterWorkerList', 'get cluster worker node list', { responses: ok('success', ref('GetClusterWorkerListResponse')) }),
    },
    '/api/v1/cluster/workers/{worker-name}': {
      delete: op('cluster', 'DMAPIOfflineWorkerNode', 'offline worker node', { parameters: [pathParam('worker-name', 'worker node name', 'worker1')], responses: noContent }),
    },

    '/api/v1/sources': {
      post: op('source', 'DMAPICreateSource', 'create new data source', {
        requestBody: { description: 'request body', required: true, content: json(ref('Source')) },
        responses: created(ref('Source')),
      }),
      get: op('source', 'DMAPIGetSourceList', 'get data source list', {
        parameters: [{ name: 'with_status', in: 'query', required: false, description: 'get source with status', schema: { type: 'boolean', example: true } }],
        responses: ok('data source list', ref('GetSourceListResponse')),
      }),
    },
    '/api/v1/sources/{source-name}': {
      delete: op('source', 'DMAPIDeleteSource', 'delete a data source', {
        parameters: [SOURCE, { name: 'force', in: 'query', required: false, description: 'also stop the tasks that use the source', schema: { type: 'boolean', example: true } }],
        responses: noContent,
      }),
    },
    '/api/v1/sources/{source-name}/status': {
      get: op('source', 'DMAPIGetSourceStatus', 'get the current status of the data source', { parameters: [SOURCE], responses: ok('success', ref('GetSourceStatusResponse')) }),
    },
    '/api/v1/sources/{source-name}/start-relay': postAndPatch(
      op('source', 'DMAPIStartRelay', 'enable relay log function for the data source', {
        description: relayNotSupported,
        parameters: [SOURCE],
        requestBody: { required: false, content: json(ref('StartRelayRequest')) },
      }),
    ),
    '/api/v1/sources/{source-name}/stop-relay': postAndPatch(
      op('source', 'DMAPIStopRelay', 'disable relay log function for the data source', {
        description: relayNotSupported,
        parameters: [SOURCE],
        requestBody: { required: false, content: json(ref('StopRelayRequest')) },
      }),
    ),
    '/api/v1/sources/{source-name}/pause-relay': postAndPatch(
      op('source', 'DMAPIPauseRelay', 'pause relay log function for the data source', { description: relayNotSupported, parameters: [SOURCE] }),
    ),
    '/api/v1/sources/{source-name}/resume-relay': postAndPatch(
      op('source', 'DMAPIResumeRelay', 'resume relay log function for the data source', { description: relayNotSupported, parameters: [SOURCE] }),
    ),
    '/api/v1/sources/{source-name}/transfer': postAndPatch(
      op('source', 'DMAPITransferSource', 'transfer source to a free worker', {
        parameters: [SOURCE],
        requestBody: { required: true, content: json(ref('WorkerNameRequest')) },
      }),
    ),
    '/api/v1/sources/{source-name}/schemas': {
      get: op('source', 'DMAPIGetSourceSchemaList', 'get source schema list', { parameters: [SOURCE], responses: ok('success', ref('SchemaNameList')) }),
    },
    '/api/v1/sources/{source-name}/schemas/{schema-name}': {
      get: op('source', 'DMAPIGetSourceTableList', 'get source table list', { parameters: [SOURCE, SCHEMA], responses: ok('success', ref('TableNameList')) }),
    },

    '/api/v1/tasks': {
      post: op('task', 'DMAPIStartTask', 'create and start task', {
        requestBody: { description: 'request body', required: true, content: json(ref('CreateTaskRequest')) },
        responses: created(ref('Task')),
      }),
      get: op('task', 'DMAPIGetTaskList', 'get task list', { responses: ok('task list', ref('GetTaskListResponse')) }),
    },
    '/api/v1/tasks/{task-name}': {
      delete: op('task', 'DMAPIDeleteTask', 'delete and stop task', {
        parameters: [
          TASK,
          { name: 'source_name_list', in: 'query', required: false, description: 'only these sources (repeat the parameter or separate with commas)', style: 'form', explode: true, schema: ref('SourceNameList') },
        ],
        responses: noContent,
      }),
    },
    '/api/v1/tasks/{task-name}/status': {
      get: op('task', 'DMAPIGetTaskStatus', 'get task status', {
        parameters: [
          TASK,
          { name: 'source_name_list', in: 'query', required: false, description: 'only these sources (repeat the parameter or separate with commas)', style: 'form', explode: true, schema: ref('SourceNameList') },
        ],
        responses: ok('success', ref('GetTaskStatusResponse')),
      }),
    },
    '/api/v1/tasks/{task-name}/pause': postAndPatch(
      op('task', 'DMAPPauseTask', 'pause task', {
        description: 'The body lists the sources to pause; absent or empty = every source of the task.',
        parameters: [TASK],
        requestBody: { required: false, content: json(ref('SourceNameList')) },
      }),
    ),
    '/api/v1/tasks/{task-name}/resume': postAndPatch(
      op('task', 'DMAPIResumeTask', 'resume task', {
        description: 'The body lists the sources to resume; absent or empty = every source of the task.',
        parameters: [TASK],
        requestBody: { required: false, content: json(ref('SourceNameList')) },
      }),
    ),
    '/api/v1/tasks/{task-name}/sources/{source-name}/schemas': {
      get: op('task', 'DMAPIGetTaskSourceSchemaList', 'get task source schema list', { parameters: [TASK, SOURCE], responses: ok('success', ref('SchemaNameList')) }),
    },
    '/api/v1/tasks/{task-name}/sources/{source-name}/schemas/{schema-name}': {
      get: op('task', 'DMAPIGetTaskSourceTableList', 'get task source table list', { parameters: [TASK, SOURCE, SCHEMA], responses: ok('success', ref('TableNameList')) }),
    },
    '/api/v1/tasks/{task-name}/sources/{source-name}/schemas/{schema-name}/{table-name}': {
      get: op('task', 'DMAPIGetTaskSourceTableStructure', 'get task source table structure (the table definition the sync unit tracks)', {
        parameters: [TASK, SOURCE, SCHEMA, TABLE],
        responses: ok('success', ref('GetTaskTableStructureResponse')),
      }),
      put: op('task', 'DMAPIOperateTaskSourceTableStructure', 'set task source table structure', {
        parameters: [TASK, SOURCE, SCHEMA, TABLE],
        requestBody: { required: true, content: json(ref('OperateTaskTableStructureRequest')) },
      }),
      patch: op('task', 'DMAPIOperateTaskSourceTableStructurePatch', 'set task source table structure (PATCH alias of PUT)', {
        parameters: [TASK, SOURCE, SCHEMA, TABLE],
        requestBody: { required: true, content: json(ref('OperateTaskTableStructureRequest')) },
      }),
      delete: op('task', 'DMAPIDeleteTaskSourceTableStructure', 'delete task source table structure', { parameters: [TASK, SOURCE, SCHEMA, TABLE], responses: noContent }),
    },
  },
  components: {
    schemas: {
      ErrorWithMessage: {
        type: 'object',
        description: 'operation error',
        properties: {
          error_msg: str('error message, DM-coded: `[code=NNNNN:class=...:scope=...:level=...] ...`'),
          error_code: int('DM error code (49001 when the error has none)'),
        },
        required: ['error_msg', 'error_code'],
      },
      Security: {
        type: 'object',
        description: 'TLS configuration; certificate contents are never shown in answers (dm-ts does not accept contents yet: 54001)',
        nullable: true,
        properties: {
          ssl_ca_content: str('certificate authority file content', ''),
          ssl_cert_content: str('PEM/X509 certificate file content', ''),
          ssl_key_content: str('X509 private key file content', ''),
          cert_allowed_cn: strArray('Common Name of SSL certificates'),
        },
        required: ['ssl_ca_content', 'ssl_cert_content', 'ssl_key_content'],
      },
      Purge: {
        type: 'object',
        description: 'relay log cleanup policy configuration',
        properties: {
          interval: int('seconds between checks whether relay logs expired', { format: 'int64', default: 3600, nullable: true }),
          expires: int('hours after which relay logs expire (0 = never)', { format: 'int64', default: 0, nullable: true }),
          remain_space: int('minimum free disk space, in GB', { format: 'int64', default: 15, nullable: true }),
        },
      },
      RelayStatus: {
        type: 'object',
        description: 'status of relay log',
        properties: {
          master_binlog: str('upstream binlog file information', '(mysql-bin.000001, 1979)'),
          master_binlog_gtid: str('GTID of the upstream', 'e9a1fc22-ec08-11e9-b2ac-0242ac110003:1-7849'),
          relay_dir: str('the directory where the relay log is stored', './sub_dir'),
          relay_binlog_gtid: str('relay current GTID', 'e9a1fc22-ec08-11e9-b2ac-0242ac110003:1-7849'),
          relay_catch_up_master: bool('whether the relay caught up with the upstream'),
          stage: str('current stage', 'Running'),
        },
        required: ['master_binlog', 'master_binlog_gtid', 'relay_dir', 'relay_binlog_gtid', 'relay_catch_up_master', 'stage'],
      },
      SourceStatus: {
        type: 'object',
        description: 'source status',
        properties: {
          source_name: str('source name', 'mysql-replica-01'),
          worker_name: str('the worker the source is bound to ("" = not bound)', 'worker-1'),
          relay_status: ref('RelayStatus'),
          error_msg: str('error message when something is wrong'),
        },
        required: ['source_name', 'worker_name'],
      },
      Source: {
        type: 'object',
        description: 'source',
        properties: {
          source_name: str('source name', 'mysql-01'),
          host: str('source address', '127.0.0.1'),
          port: int('source port', { example: 3306 }),
          user: str('source username', 'root'),
          password: str('source password (answers show `******`)', '123456'),
          enable_gtid: bool('whether to use GTID to pull binlogs from upstream', { default: false, example: false }),
          security: ref('Security'),
          purge: ref('Purge'),
          status_list: { type: 'array', items: ref('SourceStatus') },
        },
        required: ['source_name', 'host', 'port', 'user', 'password', 'enable_gtid'],
      },
      ShardingGroup: {
        type: 'object',
        properties: {
          target: { type: 'string' },
          ddl_list: { type: 'array', items: { type: 'string' } },
          first_location: { type: 'string' },
          synced: { type: 'array', items: { type: 'string' } },
          unsynced: { type: 'array', items: { type: 'string' } },
        },
        required: ['target', 'ddl_list', 'first_location', 'synced', 'unsynced'],
      },
      LoadStatus: {
        type: 'object',
        description: 'status of load unit',
        properties: {
          finished_bytes: { type: 'integer', format: 'int64' },
          total_bytes: { type: 'integer', format: 'int64' },
          progress: { type: 'string' },
          meta_binlog: { type: 'string' },
          meta_binlog_gtid: { type: 'string' },
        },
        required: ['finished_bytes', 'total_bytes', 'progress', 'meta_binlog', 'meta_binlog_gtid'],
      },
      SyncStatus: {
        type: 'object',
        description: 'status of sync unit',
        properties: {
          total_events: { type: 'integer', format: 'int64' },
          total_tps: { type: 'integer', format: 'int64' },
          recent_tps: { type: 'integer', format: 'int64' },
          master_binlog: { type: 'string' },
          master_binlog_gtid: { type: 'string' },
          syncer_binlog: { type: 'string' },
          syncer_binlog_gtid: { type: 'string' },
          blocking_ddls: { type: 'array', items: { type: 'string' }, description: 'sharding DDLs currently blocking' },
          unresolved_groups: { type: 'array', items: ref('ShardingGroup'), description: 'sharding groups not resolved yet' },
          synced: { type: 'boolean' },
          binlog_type: { type: 'string' },
          seconds_behind_master: { type: 'integer', format: 'int64' },
        },
        required: [
          'total_events', 'total_tps', 'recent_tps', 'master_binlog', 'master_binlog_gtid', 'syncer_binlog', 'syncer_binlog_gtid',
          'blocking_ddls', 'unresolved_groups', 'synced', 'binlog_type', 'seconds_behind_master',
        ],
      },
      SubTaskStatus: {
        type: 'object',
        properties: {
          name: str('task name'),
          source_name: str('source name'),
          worker_name: str('worker name'),
          stage: str('current stage of the subtask', 'Running'),
          unit: str('current unit of the subtask', 'Sync'),
          unresolved_ddl_lock_id: { type: 'string' },
          load_status: { ...ref('LoadStatus'), nullable: true },
          sync_status: { ...ref('SyncStatus'), nullable: true },
          error_msg: str('dm-ts extension: the error of the subtask or of its source, when there is one'),
        },
        required: ['name', 'source_name', 'worker_name', 'stage', 'unit'],
      },
      TaskTargetDataBase: {
        type: 'object',
        description: 'downstream database configuration',
        properties: {
          host: str('target address', '127.0.0.1'),
          port: int('target port', { example: 4000 }),
          user: str('target username', 'root'),
          password: str('target password (answers show `******`)', '123456'),
          security: ref('Security'),
        },
        required: ['host', 'port', 'user', 'password'],
      },
      TaskBinLogFilterRule: {
        type: 'object',
        description: 'filtering rules at binlog level (action Ignore)',
        properties: {
          ignore_event: strArray('event types', 'all dml'),
          ignore_sql: strArray('SQL patterns (regular expressions) to filter', '^Drop'),
        },
      },
      TaskTableMigrateRule: {
        type: 'object',
        description: 'upstream table to downstream migrate rules (block-allow list + route + binlog filters)',
        properties: {
          source: {
            type: 'object',
            description: 'source-related configuration',
            properties: {
              source_name: str('source name', 'source-name'),
              schema: str('schema name, wildcard support', 'db-*'),
              table: str('table name, wildcard support', 'tb-*'),
            },
            required: ['source_name', 'schema', 'table'],
          },
          target: {
            type: 'object',
            description: 'downstream-related configuration',
            properties: {
              schema: str('schema name, does not support wildcards', 'db1'),
              table: str('table name, does not support wildcards ("" keeps the upstream name)', 'tb1'),
            },
            required: ['schema', 'table'],
          },
          binlog_filter_rule: strArray('names of `binlog_filter_rule` entries applied to these tables', 'rule-1'),
        },
        required: ['source'],
      },
      TaskFullMigrateConf: {
        type: 'object',
        description: 'configuration of the full (dump + load) migration',
        properties: {
          export_threads: int('dump concurrency', { default: 4 }),
          import_threads: int('load concurrency', { default: 16 }),
          data_dir: str('directory of the dumped files', './exported_data'),
          consistency: str('how the dump keeps a consistent snapshot (auto, flush, lock, snapshot, none)', 'auto'),
        },
      },
      TaskIncrMigrateConf: {
        type: 'object',
        description: 'configuration of the incremental migration',
        properties: {
          repl_threads: int('sync concurrency', { default: 16 }),
          repl_batch: int('statements per transaction in the sync unit', { default: 100 }),
        },
      },
      TaskSourceConf: {
        type: 'object',
        properties: {
          source_name: str('source name', 'mysql-replica-01'),
          binlog_name: str('binlog file to start the incremental migration from', 'binlog.000001'),
          binlog_pos: int('binlog position', { example: 4 }),
          binlog_gtid: str('GTID set to start from', '03fc0263-28c7-11e7-a653-6c0b84d59f30:1-7041423'),
        },
        required: ['source_name'],
      },
      TaskSourceConfig: {
        type: 'object',
        description: 'source-related configuration',
        properties: {
          full_migrate_conf: ref('TaskFullMigrateConf'),
          incr_migrate_conf: ref('TaskIncrMigrateConf'),
          source_conf: { type: 'array', description: 'source configuration', items: ref('TaskSourceConf') },
        },
        required: ['source_conf'],
      },
      Task: {
        type: 'object',
        description: 'task',
        properties: {
          name: str('task name', 'task-1'),
          task_mode: { type: 'string', description: 'migrate mode', example: 'all', enum: ['full', 'incremental', 'all'] },
          shard_mode: { type: 'string', description: 'the way to coordinate DDL', enum: ['pessimistic', 'optimistic'] },
          meta_schema: { type: 'string', description: 'downstream database for storing meta information', example: 'dm-meta', default: 'dm-meta' },
          enhance_online_schema_change: bool('whether to enable support for the online DDL tools (gh-ost, pt-osc)', { example: true, default: true }),
          on_duplicate: { type: 'string', description: 'how the load unit handles conflicting rows', enum: ['overwrite', 'error'] },
          ignore_checking_items: strArray('dm-ts extension: precheck items to skip (task.yaml `ignore-checking-items`)', 'auto_increment_ID'),
          target_config: ref('TaskTargetDataBase'),
          binlog_filter_rule: { type: 'object', additionalProperties: ref('TaskBinLogFilterRule') },
          table_migrate_rule: { type: 'array', description: 'table migrate rule', items: ref('TaskTableMigrateRule') },
          source_config: ref('TaskSourceConfig'),
        },
        required: ['name', 'task_mode', 'enhance_online_schema_change', 'on_duplicate', 'target_config', 'table_migrate_rule', 'source_config'],
      },
      ClusterMaster: {
        type: 'object',
        properties: {
          name: str('master name', 'master1'),
          alive: bool('online status of this master', { example: true }),
          leader: bool('is this master the leader', { example: true }),
          addr: str('address of the master (its first client URL without the scheme)', '127.0.0.1:8261'),
        },
        required: ['name', 'alive', 'leader', 'addr'],
      },
      ClusterWorker: {
        type: 'object',
        properties: {
          name: str('worker name', 'worker1'),
          addr: str('address of the worker', '127.0.0.1:8262'),
          bound_stage: str('bound stage of the worker (free, bound, offline, relay)', 'bound'),
          bound_source_name: str('the source the worker is bound to', 'mysql-01'),
        },
        required: ['name', 'addr', 'bound_stage', 'bound_source_name'],
      },
      WorkerNameList: strArray('worker name list', 'worker-1'),
      SourceNameList: strArray('source name list', 'source-1'),
      SchemaNameList: strArray('schema name list', 'db1'),
      TableNameList: strArray('table name list', 'table1'),
      TaskNameList: strArray('task name list', 'task-1'),
      WorkerNameRequest: {
        type: 'object',
        description: 'requests related to workers',
        properties: { worker_name: str('worker name', 'worker-1') },
        required: ['worker_name'],
      },
      StartRelayRequest: {
        type: 'object',
        description: 'action to start a relay request',
        properties: {
          worker_name_list: ref('WorkerNameList'),
          relay_binlog_name: { type: 'string', description: 'starting filename of the upstream binlog', example: 'mysql-bin.000002', nullable: true },
          relay_binlog_gtid: { type: 'string', description: 'starting GTID of the upstream binlog', nullable: true },
          relay_dir: { type: 'string', description: 'the directory where the relay log is stored', default: './relay_log', nullable: true },
        },
        required: ['worker_name_list'],
      },
      StopRelayRequest: {
        type: 'object',
        description: 'action to stop a relay request',
        properties: { worker_name_list: ref('WorkerNameList') },
        required: ['worker_name_list'],
      },
      CreateTaskRequest: {
        type: 'object',
        properties: {
          remove_meta: bool('whether to remove the meta database in the downstream first', { default: false }),
          task: ref('Task'),
          source_name_list: ref('SourceNameList'),
        },
        required: ['remove_meta', 'task'],
      },
      OperateTaskTableStructureRequest: {
        type: 'object',
        description: 'action to operate table request',
        properties: {
          sql_content: str('the CREATE TABLE statement to set', 'CREATE TABLE `t1` (`c1` int(11) DEFAULT NULL)'),
          flush: bool('write the schema to the checkpoint so that DM can load it after restarting the task', { default: true }),
          sync: bool('update the optimistic sharding metadata with this schema', { default: false }),
        },
        required: ['sql_content'],
      },
      GetSourceListResponse: { type: 'object', properties: { total: { type: 'integer' }, data: { type: 'array', items: ref('Source') } }, required: ['total', 'data'] },
      GetSourceStatusResponse: { type: 'object', properties: { total: { type: 'integer' }, data: { type: 'array', items: ref('SourceStatus') } }, required: ['total', 'data'] },
      GetTaskListResponse: { type: 'object', properties: { total: { type: 'integer' }, data: { type: 'array', items: ref('Task') } }, required: ['total', 'data'] },
      GetTaskStatusResponse: { type: 'object', properties: { total: { type: 'integer' }, data: { type: 'array', items: ref('SubTaskStatus') } }, required: ['total', 'data'] },
      GetTaskTableStructureResponse: {
        type: 'object',
        properties: {
          schema_name: str('schema name', 'db1'),
          table_name: str('table name', 'table1'),
          schema_create_sql: str('the CREATE TABLE statement', 'CREATE TABLE `t1` (`id` int(11) NOT NULL, PRIMARY KEY (`id`))'),
        },
        required: ['schema_name', 'table_name', 'schema_create_sql'],
      },
      GetClusterMasterListResponse: { type: 'object', properties: { total: { type: 'integer' }, data: { type: 'array', items: ref('ClusterMaster') } }, required: ['total', 'data'] },
      GetClusterWorkerListResponse: { type: 'object', properties: { total: { type: 'integer' }, data: { type: 'array', items: ref('ClusterWorker') } }, required: ['total', 'data'] },
    },
  },
};
